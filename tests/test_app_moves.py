"""Moving models between apps keeps every existing installation's data.

A database is filled at the newest state (demo content, ads and their
counts, view counters, "Meistgelesen", pins and recommendation lists,
spent tokens), taken back to the migrations of the release before the
moves, and given what pointed at the moved models then (group permissions,
stored versions, admin log entries). Migrating forward must leave every
table's rows as they were, under the new table names, with everything
still pointing at them; migrating back and forward again changes nothing.
"""

import json
from datetime import date, timedelta
from io import StringIO

from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from ads.models import AdEvent, CountReason, Creative, EventCount
from articles.models import Article
from counting.models import SpentToken
from readership.models import DailyArticleViews, HourlyArticleViews, MostReadArticle
from recommendations.models import RelatedPin

# Apps made after the moves: taken back with them, and their role
# permissions come back new.
LATER_APPS = ("fronts", "galleries", "live", "agency")
# The release before the moves: the new apps did not exist yet.
BEFORE_THE_MOVES = [
    ("articles", "0008_section_redirect"),
    ("ads", "0003_creative_image_checks"),
    ("recommendations", None),
    ("readership", None),
    ("counting", None),
    *((app, None) for app in LATER_APPS),
]
# (old app, model) → new app.
MOVED = {
    ("articles", "relatedpin"): "recommendations",
    ("articles", "relatedarticle"): "recommendations",
    ("articles", "relatedprofile"): "recommendations",
    ("articles", "relatedterm"): "recommendations",
    ("articles", "relatedtermcount"): "recommendations",
    ("articles", "dailyarticleviews"): "readership",
    ("articles", "hourlyarticleviews"): "readership",
    ("articles", "mostreadarticle"): "readership",
    ("ads", "spenttoken"): "counting",
}
NEW_TABLE = {
    f"{old_app}_{model}": f"{new_app}_{model}"
    for (old_app, model), new_app in MOVED.items()
}
# Only these are kept in django-reversion's stored versions.
VERSIONED = {"relatedpin"}
# Rewritten on purpose by the moves; checked on their own below.
REWRITTEN = {"django_migrations", "django_content_type", "reversion_version"}
# Derived from the articles' texts and rebuilt by migrations whenever the
# way of indexing changes: not data a move could lose.
SEARCH_INDEX_TABLES = {"articles_searchword"}
SEARCH_INDEX_COLUMNS = {"search_vector"}
# Columns added since, with a default for the rows they find: not there
# before, so not compared.
LATER_COLUMNS = {("articles_article", "kind")}


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrate the test database to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    named = {app for app, _ in targets}
    nodes = [target for target in targets if target[1] is not None] + [
        node for node in executor.loader.graph.leaf_nodes() if node[0] not in named
    ]
    return executor.loader.project_state(nodes).apps


def tables():
    """Every table's rows, as sorted lists of {column: value}, by table name."""
    contents = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM auth_permission p JOIN django_content_type c "
            "ON p.content_type_id = c.id WHERE c.app_label IN "
            f"({', '.join(['%s'] * len(LATER_APPS))})",
            LATER_APPS,
        )
        later_permissions = {row[0] for row in cursor.fetchall()}
        for table in connection.introspection.table_names(cursor):
            if table in REWRITTEN | SEARCH_INDEX_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            rows = [
                {
                    column: value
                    for column, value in zip(columns, row, strict=True)
                    if column not in SEARCH_INDEX_COLUMNS
                    and (table, column) not in LATER_COLUMNS
                }
                for row in cursor.fetchall()
            ]
            if table == "auth_group_permissions":
                rows = [
                    row for row in rows if row["permission_id"] not in later_permissions
                ]
            # Tables made by later migrations come back empty; a table that
            # lost its rows still differs, as it is listed on the other side.
            if rows:
                contents[table] = sorted(rows, key=repr)
    return contents


def renamed(contents):
    return {NEW_TABLE.get(table, table): rows for table, rows in contents.items()}


def fill_newest_state():
    call_command("load_demo_content", stdout=StringIO())
    call_command("load_demo_ads", stdout=StringIO())
    first, second, third = Article.objects.published()[:3]
    RelatedPin.objects.create(article=first, target=third, position=0)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number, article in enumerate((first, second, third)):
        for days_ago in range(3):
            DailyArticleViews.objects.create(
                article=article,
                day=date(2026, 11, 20) - timedelta(days=days_ago),
                views=10 * number + days_ago,
            )
        HourlyArticleViews.objects.create(article=article, hour=hour, views=number)
        MostReadArticle.objects.create(
            position=number, article=article, views=number, computed_at=hour
        )
    creative = Creative.objects.first()
    slot = creative.slots.first()
    for event in (AdEvent.SERVED, AdEvent.VIEWABLE, AdEvent.CLICK):
        EventCount.objects.add(event, CountReason.COUNTED, creative.pk, slot.pk)
    for number in range(3):
        SpentToken.objects.spend(f"nonce-{number}", "served")


def point_at_moved_models(apps):
    """What pointed at the moved models before the move, by content type."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Version = apps.get_model("reversion", "Version")
    LogEntry = apps.get_model("admin", "LogEntry")
    user = apps.get_model("auth", "User").objects.create(username="umzug")
    group = apps.get_model("auth", "Group").objects.create(name="Umzug")
    revision = apps.get_model("reversion", "Revision").objects.create(
        date_created=timezone.now(), user=user
    )
    content_types = {}
    for old_app, model in MOVED:
        content_type, _ = ContentType.objects.get_or_create(
            app_label=old_app, model=model
        )
        content_types[model] = content_type.pk
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"view_{model}",
            defaults={"name": f"Darf {model} sehen"},
        )
        group.permissions.add(permission)
        row = apps.get_model(old_app, model).objects.earliest("pk")
        LogEntry.objects.create(
            user=user,
            content_type=content_type,
            object_id=str(row.pk),
            object_repr=model,
            action_flag=2,
            change_message="[]",
        )
        if model not in VERSIONED:
            continue
        Version.objects.create(
            revision=revision,
            object_id=str(row.pk),
            content_type=content_type,
            db="default",
            format="json",
            serialized_data=serializers.serialize("json", [row]),
            object_repr=model,
        )
    return content_types


class AppMovesTests(TransactionTestCase):
    # The roles come from a data migration; later tests need them back.
    serialized_rollback = True

    def setUp(self):
        self.addCleanup(migrate, latest())

    def assert_everything_points_at_the_new_apps(self, content_types):
        apps = migrate(latest())
        ContentType = apps.get_model("contenttypes", "ContentType")
        group = apps.get_model("auth", "Group").objects.get(name="Umzug")
        for (_, model), new_app in MOVED.items():
            with self.subTest(model=model):
                content_type = ContentType.objects.get(app_label=new_app, model=model)
                self.assertEqual(content_type.pk, content_types[model])
                self.assertTrue(
                    group.permissions.filter(
                        content_type=content_type, codename=f"view_{model}"
                    ).exists()
                )
                self.assertTrue(
                    apps.get_model("admin", "LogEntry")
                    .objects.filter(content_type=content_type)
                    .exists()
                )
                versions = apps.get_model("reversion", "Version").objects.filter(
                    content_type=content_type
                )
                self.assertEqual(
                    [json.loads(v.serialized_data)[0]["model"] for v in versions],
                    [f"{new_app}.{model}"] if model in VERSIONED else [],
                )

    def test_a_database_from_before_the_moves_keeps_every_row(self):
        fill_newest_state()
        old_apps = migrate(BEFORE_THE_MOVES)
        content_types = point_at_moved_models(old_apps)
        before = tables()
        self.assertTrue(before["articles_relatedpin"])
        self.assertTrue(before["articles_relatedarticle"])
        self.assertEqual(len(before["articles_dailyarticleviews"]), 9)
        self.assertTrue(before["ads_eventcount"])

        migrate(latest())

        self.assertEqual(tables(), renamed(before))
        self.assert_everything_points_at_the_new_apps(content_types)

        migrate(BEFORE_THE_MOVES)

        self.assertEqual(tables(), before)

        migrate(latest())

        self.assertEqual(tables(), renamed(before))
        self.assert_everything_points_at_the_new_apps(content_types)

    def test_the_moved_tables_take_new_rows(self):
        fill_newest_state()
        migrate(BEFORE_THE_MOVES)
        last_id = max(row["id"] for row in tables()["articles_dailyarticleviews"])

        migrate(latest())
        added = DailyArticleViews.objects.create(
            article=Article.objects.first(), day=date(2026, 11, 21), views=1
        )

        self.assertGreater(added.pk, last_id)
        self.assertIs(SpentToken.objects.spend("nonce-0", "served"), False)
        self.assertIs(SpentToken.objects.spend("nonce-0", "viewable"), True)
