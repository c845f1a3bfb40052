from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = "Chef/in vom Dienst"


def desk_keeps_the_pages(apps, schema_editor):
    """The desk (CvD) writes Impressum, Datenschutz and Kontakt."""
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DESK)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pages",
            codename__in=[
                f"{action}_page" for action in ("add", "change", "delete", "view")
            ],
        )
    )


def desk_leaves_the_pages(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=DESK):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="pages")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(desk_keeps_the_pages, desk_leaves_the_pages)]
