from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_MODELS = ["front", "frontversion", "block", "placement", "frontpreviewlink"]

ROLES = {
    # Journalists see the fronts, their plans and previews, and change nothing.
    "Redakteur/in": [f"view_{model}" for model in FRONT_MODELS],
    # The desk places, plans and shares them.
    "Chef/in vom Dienst": [
        f"{action}_{model}"
        for model in FRONT_MODELS
        for action in ("add", "change", "delete", "view")
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the roles need
    # them now.
    app_config = apps.get_app_config("fronts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="fronts", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="fronts")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fronts", "0001_initial"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
