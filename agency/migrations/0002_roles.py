from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = "Redakteur/in"
DESK = "Chef/in vom Dienst"

ROLES = {
    # Read the Agenturmeldungen and take them over as articles (published
    # directly only where the desk's rules say so).
    JOURNALISTS: [
        "view_agencyitem",
        "take_over_agencyitem",
        "view_takeover",
    ],
    # The desk also keeps the agencies (addresses, keys) and their rules,
    # and clears out items.
    DESK: [
        "add_agency",
        "change_agency",
        "delete_agency",
        "view_agency",
        "add_rule",
        "change_rule",
        "delete_rule",
        "view_rule",
        "view_agencyitem",
        "delete_agencyitem",
        "take_over_agencyitem",
        "view_takeover",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("agency")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="agency", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="agency")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
