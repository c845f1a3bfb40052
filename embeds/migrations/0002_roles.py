from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = "Redakteur/in"
DESK = "Chef/in vom Dienst"

ROLES = {
    # Journalists add embeds (a link in a text adds one too), correct a
    # title or preview and fetch a preview again; they delete none, since
    # other texts may show the same embed.
    JOURNALISTS: ["view_embed", "add_embed", "change_embed"],
    DESK: ["view_embed", "add_embed", "change_embed", "delete_embed"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("embeds")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="embeds", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="embeds")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("embeds", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
