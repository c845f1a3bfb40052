"""Counters that add one in a single statement.

A counter is a row of a model with a unique constraint over its key (an
article and a day, an hour and an ad's event) and a number. Two requests
counting into a new row at the same moment cannot lose an increment: the
row is inserted or incremented by one `INSERT … ON CONFLICT DO UPDATE`,
which SQLite and PostgreSQL share, partial-index conflict targets included.
"""

from datetime import UTC

from django.db import connection, models
from django.db.models.sql import Query


def hour_bucket(at):
    """The start of `at`'s hour in UTC."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def add_one(model, counter, key, constraint=None):
    """Add one to `counter` of the `model` row with `key`, creating it at one.

    `key` maps field names to values (ids for foreign keys). The row is
    found by `constraint` (a name), by default the model's unique constraint
    over exactly the fields of `key`. Returns False, and counts nothing, if
    an object a foreign key in `key` names is gone.
    """
    unique = _unique_constraint(model, key, constraint)
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in key]
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, key.values(), strict=True)
    ]
    # Rows named by a foreign key must still exist: the insert then selects
    # nothing instead of failing on the constraint. SQLite needs a WHERE in
    # any case to tell the SELECT from the ON CONFLICT.
    guards = ["1 = 1"]
    for field, value in zip(fields, key.values(), strict=True):
        if field.is_relation and value is not None:
            target = field.related_model._meta
            guards.append(
                f"EXISTS (SELECT 1 FROM {quote(target.db_table)} "
                f"WHERE {quote(target.pk.column)} = %s)"
            )
            params.append(field.get_db_prep_save(value, connection))
    condition, condition_params = _condition_sql(model, unique)
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    count_column = quote(model._meta.get_field(counter).column)
    target = ", ".join(
        quote(model._meta.get_field(name).column) for name in unique.fields
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {count_column}) "
            f"SELECT {', '.join(['%s'] * len(fields))}, 1 WHERE {' AND '.join(guards)} "
            f"ON CONFLICT ({target}){condition} "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1",
            params + condition_params,
        )
        return cursor.rowcount == 1


def _unique_constraint(model, key, name):
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and (
            constraint.name == name
            if name
            else set(constraint.fields) == set(key) and constraint.condition is None
        ):
            return constraint
    raise LookupError(f"{model.__name__} has no unique constraint for {list(key)}.")


def _condition_sql(model, constraint):
    """The WHERE of a partial unique index, as the conflict target needs it."""
    if constraint.condition is None:
        return "", []
    query = Query(model=model, alias_cols=False)
    where = query.build_where(constraint.condition)
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return f" WHERE {sql}", list(params)
