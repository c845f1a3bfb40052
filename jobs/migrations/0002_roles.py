from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = "Chef/in vom Dienst"

# The desk sees what waits or failed (a picture without its sizes, an
# article missing from search) and may start a failed job again.
CODENAMES = ["view_job", "retry_job"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("jobs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DESK)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="jobs", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=DESK):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="jobs")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_jobs_and_workers"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
