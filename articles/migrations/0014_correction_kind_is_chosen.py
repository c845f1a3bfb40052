# A correction's kind has no default any more: the desk chooses "Korrektur"
# or "Aktualisierung" every time, and the database refuses a row without one.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_german_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='correction',
            name='kind',
            field=models.CharField(choices=[('correction', 'Korrektur'), ('update', 'Aktualisierung')], max_length=12, verbose_name='Art'),
        ),
        migrations.AddConstraint(
            model_name='correction',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['correction', 'update'])), name='articles_correction_kind_chosen', violation_error_message='Bitte wählen Sie, ob es eine Korrektur (ein Fehler wurde berichtigt) oder eine Aktualisierung (neue Entwicklungen) ist.'),
        ),
    ]
