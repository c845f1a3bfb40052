# Spent tokens come from the ads app with their rows (ads
# 0004_move_spent_token drops the model from its state): the state is taken
# over as it was, then the table, its index and constraint are renamed to
# this app's and the content type moves along. A token spent before the
# move stays spent.

from django.db import migrations, models

MOVED_MODELS = ["spenttoken"]


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
        ("ads", "0004_move_spent_token"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SpentToken",
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
                        ("nonce", models.CharField(max_length=24)),
                        ("event", models.CharField(max_length=10)),
                        ("spent_at", models.DateTimeField()),
                    ],
                    options={
                        "verbose_name": "Verbrauchtes Token",
                        "verbose_name_plural": "Verbrauchte Tokens",
                        "db_table": "ads_spenttoken",
                        "indexes": [
                            models.Index(
                                fields=["spent_at"], name="ads_spenttoken_spent_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("nonce", "event"),
                                name="ads_spenttoken_once_per_event",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="SpentToken", table=None),
        migrations.RenameIndex(
            model_name="SpentToken",
            new_name="counting_spenttoken_spent_idx",
            old_name="ads_spenttoken_spent_idx",
        ),
        RenameUniqueConstraint(
            "SpentToken", "ads_spenttoken_once_per_event", "counting_spenttoken_once"
        ),
        migrations.RunPython(
            move_content_types("ads", "counting"),
            move_content_types("counting", "ads"),
        ),
    ]
