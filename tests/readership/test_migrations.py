"""Moving the view counters to readership (and spent tokens to counting)
keeps every row, and the permissions given out for them."""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from counting.models import SpentToken
from readership.models import DailyArticleViews, HourlyArticleViews, MostReadArticle
from tests.factories import make_article

# Today's main, before the move.
BEFORE = [("articles", "0009_article_links"), ("ads", "0003_creative_image_checks")]
MOVED = {
    ("articles", "DailyArticleViews"): (
        DailyArticleViews,
        ["article_id", "day", "views"],
    ),
    ("articles", "HourlyArticleViews"): (
        HourlyArticleViews,
        ["article_id", "hour", "views"],
    ),
    ("articles", "MostReadArticle"): (
        MostReadArticle,
        ["position", "article_id", "views", "computed_at"],
    ),
    ("ads", "SpentToken"): (SpentToken, ["nonce", "event", "spent_at"]),
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


class MoveMigrationTests(TransactionTestCase):
    # Keeps the migrated data (the roles) for the transactional tests after
    # this one, as tests/browser/base.py does.
    serialized_rollback = True

    def setUp(self):
        self.articles = [make_article(headline=f"Artikel {n}") for n in range(3)]
        self.addCleanup(migrate, latest())
        self.old_apps = migrate(BEFORE)
        self.fill()

    def fill(self):
        apps = self.old_apps
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        for number, article in enumerate(self.articles):
            for days_ago in range(4):
                apps.get_model("articles", "DailyArticleViews").objects.create(
                    article_id=article.pk,
                    day=date(2026, 5, 20) - timedelta(days=days_ago),
                    views=number * 10 + days_ago,
                )
            apps.get_model("articles", "HourlyArticleViews").objects.create(
                article_id=article.pk, hour=hour, views=number + 1
            )
            apps.get_model("articles", "MostReadArticle").objects.create(
                position=number,
                article_id=article.pk,
                views=number + 1,
                computed_at=hour,
            )
        for number in range(5):
            apps.get_model("ads", "SpentToken").objects.create(
                nonce=f"nonce{number}", event="served", spent_at=hour
            )
        # The statistics permission given to a group, and what points at
        # the model by its content type.
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        self.content_type_ids = {}
        for (app_label, name), _ in MOVED.items():
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=name.lower()
            )
            self.content_type_ids[name] = content_type.pk
        permission, _ = Permission.objects.get_or_create(
            content_type_id=self.content_type_ids["DailyArticleViews"],
            codename="view_dailyarticleviews",
            defaults={"name": "Can view Aufrufe pro Tag"},
        )
        group = apps.get_model("auth", "Group").objects.create(name="Statistik")
        group.permissions.add(permission)

    def old_rows(self, apps):
        return {
            name: list(
                apps.get_model(app_label, name)
                .objects.order_by("pk")
                .values_list("pk", *fields)
            )
            for (app_label, name), (_, fields) in MOVED.items()
        }

    def new_rows(self):
        return {
            name: list(model.objects.order_by("pk").values_list("pk", *fields))
            for (_, name), (model, fields) in MOVED.items()
        }

    def assert_moved(self, expected):
        self.assertEqual(self.new_rows(), expected)
        self.assertTrue(
            Group.objects.get(name="Statistik")
            .permissions.filter(
                content_type__app_label="readership", codename="view_dailyarticleviews"
            )
            .exists()
        )
        ContentType.objects.clear_cache()
        for model in (
            DailyArticleViews,
            HourlyArticleViews,
            MostReadArticle,
            SpentToken,
        ):
            self.assertEqual(
                ContentType.objects.get_for_model(model).pk,
                self.content_type_ids[model.__name__],
            )

    def test_every_row_and_permission_survives_the_move_and_its_reversal(self):
        expected = self.old_rows(self.old_apps)
        self.assertEqual(len(expected["DailyArticleViews"]), 12)

        migrate(latest())

        self.assert_moved(expected)

        old_apps = migrate(BEFORE)

        self.assertEqual(self.old_rows(old_apps), expected)
        self.assertTrue(
            old_apps.get_model("auth", "Group")
            .objects.get(name="Statistik")
            .permissions.filter(content_type__app_label="articles")
            .exists()
        )

        migrate(latest())

        self.assert_moved(expected)

    def test_the_moved_tables_take_new_rows(self):
        last_id = self.old_rows(self.old_apps)["DailyArticleViews"][-1][0]

        migrate(latest())
        added = DailyArticleViews.objects.create(
            article=self.articles[0], day=date(2026, 5, 21), views=1
        )

        self.assertGreater(added.pk, last_id)
        self.assertIs(SpentToken.objects.spend("nonce0", "served"), False)
        self.assertIs(SpentToken.objects.spend("nonce0", "view"), True)
