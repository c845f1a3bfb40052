# The view counters and "Meistgelesen" come from the articles app with their
# rows (articles 0011_move_readership drops them from its state): the state
# is taken over as it was, then the tables and constraints are renamed to
# this app's and the content types move along, so that permissions, admin
# log entries and versions keep pointing at the same models.

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ["dailyarticleviews", "hourlyarticleviews", "mostreadarticle"]


def move_content_types(old_label, new_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MOVED_MODELS:
            moving = content_types.filter(app_label=old_label, model=model)
            if moving.exists():
                # After a migration backwards, post_migrate has created empty
                # ones under the other label; the moving one holds the
                # permissions given out.
                content_types.filter(app_label=new_label, model=model).delete()
                moving.update(app_label=new_label)

    return move


class RenameUniqueConstraint(migrations.operations.base.Operation):
    """Rename a unique constraint without building its index anew.

    PostgreSQL renames it in place; SQLite rebuilds the table.
    """

    reversible = True

    def __init__(self, model_name, old_name, new_name):
        self.model_name, self.old_name, self.new_name = model_name, old_name, new_name

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [self.model_name, self.old_name, self.new_name],
            {},
        )

    def state_forwards(self, app_label, state):
        self._rename(app_label, state, self.old_name, self.new_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rename_in_database(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rename_in_database(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return (
            f"Rename constraint {self.old_name} on {self.model_name} to {self.new_name}"
        )

    def _rename(self, app_label, state, old_name, new_name):
        model_state = state.models[app_label, self.model_name.lower()]
        constraint = next(
            c for c in model_state.options["constraints"] if c.name == old_name
        )
        renamed = constraint.clone()
        renamed.name = new_name
        state.remove_constraint(app_label, self.model_name.lower(), old_name)
        state.add_constraint(app_label, self.model_name.lower(), renamed)

    def _rename_in_database(self, app_label, schema_editor, from_state, to_state):
        old_model = from_state.apps.get_model(app_label, self.model_name)
        new_model = to_state.apps.get_model(app_label, self.model_name)
        (old,) = [
            c
            for c in old_model._meta.constraints
            if c.name in (self.old_name, self.new_name)
        ]
        (new,) = [
            c
            for c in new_model._meta.constraints
            if c.name in (self.old_name, self.new_name)
        ]
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"ALTER TABLE {quote(new_model._meta.db_table)} "
                f"RENAME CONSTRAINT {quote(old.name)} TO {quote(new.name)}"
            )
        else:
            schema_editor.remove_constraint(old_model, old)
            schema_editor.add_constraint(new_model, new)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0011_move_readership"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DailyArticleViews",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("day", models.DateField(verbose_name="Tag")),
                        (
                            "views",
                            models.PositiveIntegerField(
                                default=0, verbose_name="Aufrufe"
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="daily_views",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Aufrufe pro Tag",
                        "verbose_name_plural": "Aufrufe pro Tag",
                        "ordering": ["-day", "-views"],
                        "db_table": "articles_dailyarticleviews",
                        "indexes": [
                            models.Index(fields=["day"], name="daily_views_day_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "day"),
                                name="articles_dailyviews_unique",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HourlyArticleViews",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("hour", models.DateTimeField()),
                        ("views", models.PositiveIntegerField(default=0)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="hourly_views",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_hourlyarticleviews",
                        "indexes": [
                            models.Index(fields=["hour"], name="hourly_views_hour_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "hour"),
                                name="articles_hourlyviews_unique",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MostReadArticle",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(unique=True)),
                        ("views", models.PositiveIntegerField()),
                        ("computed_at", models.DateTimeField()),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="most_read_places",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["position"],
                        "db_table": "articles_mostreadarticle",
                    },
                ),
            ],
            database_operations=[],
        ),
        # Each table is named after the app that owns it.
        migrations.AlterModelTable(name="DailyArticleViews", table=None),
        migrations.AlterModelTable(name="HourlyArticleViews", table=None),
        migrations.AlterModelTable(name="MostReadArticle", table=None),
        RenameUniqueConstraint(
            "DailyArticleViews",
            "articles_dailyviews_unique",
            "readership_dailyviews_unique",
        ),
        RenameUniqueConstraint(
            "HourlyArticleViews",
            "articles_hourlyviews_unique",
            "readership_hourlyviews_unique",
        ),
        migrations.RunPython(
            move_content_types("articles", "readership"),
            move_content_types("readership", "articles"),
        ),
    ]
