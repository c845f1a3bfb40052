# Spent tokens moved to the counting app with their rows: counting
# 0001_initial takes the table over; here it only leaves the ads' state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ads", "0003_creative_image_checks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SpentToken")],
            database_operations=[],
        ),
    ]
