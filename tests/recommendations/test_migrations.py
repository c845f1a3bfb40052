"""Models moved between apps keep their rows and whatever points at them.

A database created before the move is filled, migrated forward and back,
and compared row by row; permissions held by groups, stored versions and
admin log entries follow the models to their new app.
"""

import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone


@dataclass
class Move:
    """Models that one migration moved from `old_app` to `new_app`."""

    old_app: str
    new_app: str
    models: list
    # The old app's last migration before the move.
    before: tuple


def fill_articles_0009(apps):
    """One row in each recommendation table, as the site of that time made."""
    Section = apps.get_model("articles", "Section")
    Article = apps.get_model("articles", "Article")
    section = Section.objects.create(name="Region", slug="region", path="region")
    article, target = (
        Article.objects.create(section=section, headline=headline, slug=slug, lead=".")
        for headline, slug in (("Erdrutsch", "erdrutsch"), ("Straße frei", "frei"))
    )
    apps.get_model("articles", "RelatedPin").objects.create(
        article=article, target=target, position=2
    )
    apps.get_model("articles", "RelatedArticle").objects.create(
        article=article, target=target, position=0, source="ranked", score=0.5
    )
    apps.get_model("articles", "RelatedProfile").objects.create(
        article=article, language="de", length=3.0, vocabulary="erdrutsch talbrunn"
    )
    apps.get_model("articles", "RelatedTerm").objects.create(
        article=article, term="talbrunn", weight=0.7
    )
    apps.get_model("articles", "RelatedTermCount").objects.create(
        term="talbrunn", documents=1
    )


MOVES = [
    (
        Move(
            old_app="articles",
            new_app="recommendations",
            models=[
                "relatedpin",
                "relatedarticle",
                "relatedprofile",
                "relatedterm",
                "relatedtermcount",
            ],
            before=("articles", "0009_article_links"),
        ),
        fill_articles_0009,
    ),
]


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def before_the_moves():
    """Every app at its latest migration, except those the moves touch."""
    moves = [move for move, _ in MOVES]
    touched = {move.old_app for move in moves} | {move.new_app for move in moves}
    return [move.before for move in moves] + [
        node for node in latest() if node[0] not in touched
    ]


def migrate(targets):
    """Migrate the test database to `targets`; the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def rows(apps, app_label, model):
    return list(apps.get_model(app_label, model).objects.order_by("pk").values())


class MovedModelsTests(TransactionTestCase):
    # The roles (groups) come from a data migration; keep them for later tests.
    serialized_rollback = True

    def setUp(self):
        self.addCleanup(migrate, latest())

    def fill_and_point_at(self, apps, move):
        """Rows in the moved tables, and a group permission, a version and a
        log entry for each moved model."""
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        Revision = apps.get_model("reversion", "Revision")
        Version = apps.get_model("reversion", "Version")
        LogEntry = apps.get_model("admin", "LogEntry")
        user = apps.get_model("auth", "User").objects.create(username=move.new_app)
        group = apps.get_model("auth", "Group").objects.create(name=move.new_app)
        user.groups.add(group)
        revision = Revision.objects.create(date_created=timezone.now(), user=user)
        for model in move.models:
            content_type, _ = ContentType.objects.get_or_create(
                app_label=move.old_app, model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"change_{model}",
                defaults={"name": f"Can change {model}"},
            )
            group.permissions.add(permission)
            row = apps.get_model(move.old_app, model).objects.earliest("pk")
            Version.objects.create(
                revision=revision,
                object_id=str(row.pk),
                content_type=content_type,
                db="default",
                format="json",
                serialized_data=serializers.serialize("json", [row]),
                object_repr=model,
            )
            LogEntry.objects.create(
                user=user,
                content_type=content_type,
                object_id=str(row.pk),
                object_repr=model,
                action_flag=2,
                change_message="[]",
            )

    def assert_everything_points_at(self, apps, move, app_label, content_types):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Version = apps.get_model("reversion", "Version")
        LogEntry = apps.get_model("admin", "LogEntry")
        for model in move.models:
            with self.subTest(model=model, app=app_label):
                content_type = ContentType.objects.get(app_label=app_label, model=model)
                self.assertEqual(content_type.pk, content_types[model])
                self.assertQuerySetEqual(
                    apps.get_model("auth", "Group")
                    .objects.get(name=move.new_app)
                    .permissions.filter(content_type=content_type)
                    .values_list("codename", flat=True),
                    [f"change_{model}"],
                )
                version = Version.objects.get(content_type=content_type)
                self.assertEqual(
                    json.loads(version.serialized_data)[0]["model"],
                    f"{app_label}.{model}",
                )
                self.assertTrue(
                    LogEntry.objects.filter(content_type=content_type).exists()
                )

    def test_moved_models_keep_their_rows_permissions_and_versions(self):
        old_apps = migrate(before_the_moves())
        before, content_types = {}, {}
        for move, fill in MOVES:
            fill(old_apps)
            self.fill_and_point_at(old_apps, move)
            for model in move.models:
                before[model] = rows(old_apps, move.old_app, model)
                content_types[model] = (
                    old_apps.get_model("contenttypes", "ContentType")
                    .objects.get(app_label=move.old_app, model=model)
                    .pk
                )

        new_apps = migrate(latest())

        for move, _ in MOVES:
            for model in move.models:
                self.assertEqual(rows(new_apps, move.new_app, model), before[model])
                version = new_apps.get_model("reversion", "Version").objects.get(
                    content_type_id=content_types[model]
                )
                restored = next(
                    serializers.deserialize("json", version.serialized_data)
                )
                self.assertEqual(
                    restored.object._meta.label_lower, f"{move.new_app}.{model}"
                )
            self.assert_everything_points_at(
                new_apps, move, move.new_app, content_types
            )
            user = get_user_model().objects.get(username=move.new_app)
            self.assertIs(
                user.has_perm(f"{move.new_app}.change_{move.models[0]}"), True
            )

        old_apps = migrate(before_the_moves())

        for move, _ in MOVES:
            for model in move.models:
                self.assertEqual(rows(old_apps, move.old_app, model), before[model])
            self.assert_everything_points_at(
                old_apps, move, move.old_app, content_types
            )
