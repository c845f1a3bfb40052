"""Take over the recommendation tables from articles, with every row.

articles 0010 dropped these models from the migration state only. They come
back here as this app's models, first describing the tables exactly as they
are (articles_* names), then taking this app's table and constraint names.
Their content types move to this app's label, and with them the permissions
groups and users hold, admin log entries and the stored versions of pins.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Replace

# (model, [(constraint name in articles, name here)])
MOVED = [
    (
        "relatedpin",
        [
            ("articles_relatedpin_not_self", "recommendations_relatedpin_not_self"),
            ("articles_relatedpin_unique", "recommendations_relatedpin_unique"),
        ],
    ),
    (
        "relatedarticle",
        [
            ("articles_relatedarticle_slot", "recommendations_relatedarticle_slot"),
            ("articles_relatedarticle_once", "recommendations_relatedarticle_once"),
        ],
    ),
    ("relatedprofile", []),
    (
        "relatedterm",
        [("articles_relatedterm_unique", "recommendations_relatedterm_unique")],
    ),
    ("relatedtermcount", []),
]


class RenameConstraint(migrations.operations.base.Operation):
    """Give a constraint a new name; the constraint itself stays.

    PostgreSQL renames it in place. Elsewhere (SQLite keeps constraints in
    the table's definition) it is dropped and added again.
    """

    def __init__(self, model_name, old_name, new_name):
        self.model_name = model_name
        self.old_name = old_name
        self.new_name = new_name

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "old_name": self.old_name,
            "new_name": self.new_name,
        }
        return self.__class__.__qualname__, [], kwargs

    def describe(self):
        return f"Rename constraint {self.old_name} to {self.new_name}"

    def state_forwards(self, app_label, state):
        self._rename_in_state(app_label, state, self.old_name, self.new_name)

    def state_backwards(self, app_label, state):
        self._rename_in_state(app_label, state, self.new_name, self.old_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rename_in_database(
            app_label,
            schema_editor,
            (from_state, self.old_name),
            (to_state, self.new_name),
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rename_in_database(
            app_label,
            schema_editor,
            (from_state, self.new_name),
            (to_state, self.old_name),
        )

    def _rename_in_state(self, app_label, state, old_name, new_name):
        constraint = state.models[app_label, self.model_name].get_constraint_by_name(
            old_name
        )
        _, args, kwargs = constraint.deconstruct()
        state.remove_constraint(app_label, self.model_name, old_name)
        state.add_constraint(
            app_label,
            self.model_name,
            type(constraint)(*args, **{**kwargs, "name": new_name}),
        )

    def _rename_in_database(self, app_label, schema_editor, before, after):
        (before_state, old_name), (after_state, new_name) = before, after
        model = after_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"ALTER TABLE {quote(model._meta.db_table)} "
                f"RENAME CONSTRAINT {quote(old_name)} TO {quote(new_name)}"
            )
        else:
            before_model_state = before_state.models[app_label, self.model_name]
            after_model_state = after_state.models[app_label, self.model_name]
            schema_editor.remove_constraint(
                model, before_model_state.get_constraint_by_name(old_name)
            )
            schema_editor.add_constraint(
                model, after_model_state.get_constraint_by_name(new_name)
            )


def move_content_types(apps, schema_editor, source, target):
    """Relabel the moved models' content types from `source` to `target`.

    Permissions and admin log entries point at the content type and follow
    it; stored versions also name the model inside their data, so that is
    rewritten too (django-reversion stores JSON here).
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model, _ in MOVED:
        moving = content_types.filter(app_label=source, model=model)
        if not moving.exists():
            continue
        # `migrate` creates the content types of the code's models after
        # each run, so a database migrated back and forth already has the
        # target one, holding only the permissions generated with it.
        content_types.filter(app_label=target, model=model).delete()
        moving.update(app_label=target)
        Version.objects.using(schema_editor.connection.alias).filter(
            content_type__app_label=target, content_type__model=model
        ).update(
            serialized_data=Replace(
                "serialized_data",
                models.Value(f'"model": "{source}.{model}"'),
                models.Value(f'"model": "{target}.{model}"'),
            )
        )


def to_recommendations(apps, schema_editor):
    move_content_types(apps, schema_editor, "articles", "recommendations")


def back_to_articles(apps, schema_editor):
    move_content_types(apps, schema_editor, "recommendations", "articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0010_recommendations_app"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RelatedProfile",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="related_profile",
                                serialize=False,
                                to="articles.article",
                            ),
                        ),
                        ("language", models.CharField(max_length=10)),
                        (
                            "length",
                            models.FloatField(help_text="Weighted number of words."),
                        ),
                        ("vocabulary", models.TextField()),
                    ],
                    options={"db_table": "articles_relatedprofile"},
                ),
                migrations.CreateModel(
                    name="RelatedTermCount",
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
                        ("term", models.CharField(max_length=64, unique=True)),
                        ("documents", models.IntegerField(default=0)),
                    ],
                    options={"db_table": "articles_relatedtermcount"},
                ),
                migrations.CreateModel(
                    name="RelatedArticle",
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
                        ("position", models.PositiveSmallIntegerField()),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("pinned", "Redaktion"),
                                    ("ranked", "Ähnlichkeit"),
                                    ("fallback", "Neueste in der Nähe"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("score", models.FloatField(null=True)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="related_entries",
                                to="articles.article",
                            ),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="recommended_in",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_relatedarticle",
                        "verbose_name": "Empfehlung",
                        "verbose_name_plural": "Empfehlungen",
                        "ordering": ["article", "position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "position"),
                                name="articles_relatedarticle_slot",
                            ),
                            models.UniqueConstraint(
                                fields=("article", "target"),
                                name="articles_relatedarticle_once",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RelatedPin",
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
                        (
                            "position",
                            models.PositiveSmallIntegerField(
                                default=0,
                                help_text="Kleinere Zahlen stehen weiter vorn.",
                                verbose_name="Reihenfolge",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="related_pins",
                                to="articles.article",
                            ),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.article",
                                verbose_name="Empfohlener Artikel",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_relatedpin",
                        "verbose_name": "Feste Empfehlung",
                        "verbose_name_plural": (
                            "Feste Empfehlungen („Das könnte Sie auch interessieren“)"
                        ),
                        "ordering": ["position", "pk"],
                        "abstract": False,
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("target", models.F("article")), _negated=True
                                ),
                                name="articles_relatedpin_not_self",
                                violation_error_message=(
                                    "Ein Artikel kann nicht auf sich selbst verweisen."
                                ),
                            ),
                            models.UniqueConstraint(
                                fields=("article", "target"),
                                name="articles_relatedpin_unique",
                                violation_error_message=(
                                    "Dieser Artikel ist schon fest empfohlen."
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RelatedTerm",
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
                        ("term", models.CharField(max_length=64)),
                        ("weight", models.FloatField()),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_relatedterm",
                        "indexes": [
                            models.Index(
                                fields=["term", "article", "weight"],
                                name="related_term_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "term"),
                                name="articles_relatedterm_unique",
                            )
                        ],
                    },
                ),
            ],
        ),
        # The tables take this app's names (a rename: no row is copied).
        *(migrations.AlterModelTable(name=model, table=None) for model, _ in MOVED),
        *(
            RenameConstraint(model, old_name, new_name)
            for model, renames in MOVED
            for old_name, new_name in renames
        ),
        migrations.RunPython(to_recommendations, back_to_articles),
    ]
