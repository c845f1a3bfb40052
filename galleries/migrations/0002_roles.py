from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = "Redakteur/in"
DESK = "Chef/in vom Dienst"

# Pictures belong to their article: whoever writes galleries adds, orders,
# captions and removes them in the article form (which still decides whose
# article may be changed, and who publishes).
PICTURES = [
    "add_gallerypicture",
    "change_gallerypicture",
    "delete_gallerypicture",
    "view_gallerypicture",
]
ROLES = {JOURNALISTS: PICTURES, DESK: PICTURES}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("galleries")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="galleries", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="galleries")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("galleries", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
