# Corrections are no longer part of an article's versions (articles.versions):
# their stored copies go, or restoring an old version would bring back a
# correction deleted since, or its earlier wording. The corrections
# themselves stay as they are.

from django.db import migrations


def forget_stored_corrections(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    Version.objects.filter(
        content_type__in=ContentType.objects.filter(
            app_label="articles", model="correction"
        )
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_move_readership"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.RunPython(forget_stored_corrections, migrations.RunPython.noop)
    ]
