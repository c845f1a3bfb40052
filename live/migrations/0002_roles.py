from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = "Redakteur/in"
DESK = "Chef/in vom Dienst"

ROLES = {
    # Post entries and correct or delete them (readers see that they were);
    # follow the tickers; no Eilmeldung, no pinning, no ending.
    JOURNALISTS: [
        "view_ticker",
        "add_entry",
        "change_entry",
        "delete_entry",
        "view_entry",
    ],
    # The desk also starts and ends tickers, pins entries and marks key
    # events, and starts and ends Eilmeldungen (which also needs
    # articles.publish_article, the CvD's).
    DESK: [
        "add_ticker",
        "change_ticker",
        "view_ticker",
        "end_ticker",
        "add_entry",
        "change_entry",
        "delete_entry",
        "view_entry",
        "mark_entry",
        "add_eilmeldung",
        "change_eilmeldung",
        "view_eilmeldung",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("live")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="live", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="live")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
