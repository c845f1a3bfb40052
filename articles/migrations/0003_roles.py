from django.contrib.auth.management import create_permissions
from django.db import migrations

ARTICLE_MODELS = [
    "article",
    "section",
    "author",
    "tag",
    "topicbox",
    "correction",
    "previewlink",
    "articleredirect",
]

ROLES = {
    # Writes articles and submits them; edits only own drafts (object rule
    # in ArticleQuerySet.editable_by); cannot publish or delete.
    "Redakteur/in": [
        "add_article",
        "change_article",
        "view_article",
        "view_section",
        "view_author",
        "add_tag",
        "view_tag",
        "add_topicbox",
        "change_topicbox",
        "delete_topicbox",
        "view_topicbox",
        "view_correction",
        "add_previewlink",
        "change_previewlink",
        "view_previewlink",
    ],
    # Reviews, edits any article, publishes, schedules, withdraws, corrects.
    "Chef/in vom Dienst": [
        f"{action}_{model}"
        for model in ARTICLE_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + ["publish_article", "edit_others_articles"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
