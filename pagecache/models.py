from functools import lru_cache

from django.db import InterfaceError, OperationalError, connections, models
from django.db.models import F
from django.utils import timezone


class ContentVersionQuerySet(models.QuerySet):
    def _the_row(self):
        row, _ = self.get_or_create(pk=1)
        return row

    def bump(self):
        """Start a new version and return its number."""
        if not self.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now()
        ):
            self.get_or_create(pk=1, defaults={"number": 1})
        return self.filter(pk=1).values_list("number", flat=True).get()

    def raise_to(self, number):
        """Make sure the version is at least `number`."""
        self._the_row()
        self.filter(pk=1, number__lt=number).update(number=number)

    def scheduled_until(self):
        return self._the_row().scheduled_until

    def lock_scheduled_until(self):
        """How far scheduled changes have been applied; locks the row."""
        self._the_row()
        return (
            self.select_for_update()
            .filter(pk=1)
            .values_list("scheduled_until", flat=True)
            .get()
        )


class ContentVersionManager(models.Manager):
    # Read on every page from the cache: a manager's method, because a
    # queryset's would build a QuerySet per page view for nothing.

    def current(self):
        """The number of the reader-visible content; 0 before the first change."""
        return self.stamps([])[0]

    def stamps(self, keys):
        """The current number, and the newest stamp among `keys` (or None).

        One statement, read on every cached page view: plain SQL costs a
        fifth of the ORM.
        """
        connection = connections[self.db]
        if not health_check_pending(connection):
            return self._stamps(connection, keys)
        # Before a request's first statement Django asks the database
        # whether the connection still works (conn_health_checks): a round
        # trip of its own, as dear as this statement, which is all a page
        # from the cache asks. A read is safe to repeat, so it is its own
        # check: a connection that has died while idle is replaced, and the
        # statement sent again.
        connection.health_check_done = True
        try:
            return self._stamps(connection, keys)
        except (OperationalError, InterfaceError):
            connection.close()
            return self._stamps(connection, keys)

    def _stamps(self, connection, keys):
        with connection.cursor() as cursor:
            cursor.execute(stamps_sql(self.db, len(keys)), keys)
            number, stamp = cursor.fetchone()
        return number or 0, stamp


def health_check_pending(connection):
    """Django would check `connection` before its next statement."""
    return (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    )


@lru_cache(maxsize=256)
def stamps_sql(alias, key_count):
    """The statement of ContentVersionManager.stamps for so many keys."""
    connection = connections[alias]
    versions = connection.ops.quote_name(ContentVersion._meta.db_table)
    stamps = connection.ops.quote_name(Dependency._meta.db_table)
    newest = "NULL"
    if key_count:
        placeholders = ", ".join(["%s"] * key_count)
        newest = f"(SELECT MAX(stamp) FROM {stamps} WHERE name IN ({placeholders}))"
    return f"SELECT (SELECT number FROM {versions} WHERE id = 1), {newest}"


class ContentVersion(models.Model):
    """One row whose number grows with every change a reader's page shows.

    It lives in the database rather than the cache so that every process
    (and every app server) sees a change the moment its transaction commits,
    even with a process-local cache.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    # What the clock changed up to here (a scheduled publication) has been
    # touched (pagecache.dependencies.apply_scheduled_changes).
    scheduled_until = models.DateTimeField(default=timezone.now)

    objects = ContentVersionManager.from_queryset(ContentVersionQuerySet)()

    class Meta:
        verbose_name = "Inhaltsstand"
        verbose_name_plural = "Inhaltsstände"

    def __str__(self):
        return f"Stand {self.number}"


class Dependency(models.Model):
    """The content version at which something pages show last changed."""

    name = models.CharField(max_length=250, primary_key=True)
    stamp = models.BigIntegerField()

    class Meta:
        verbose_name = "Abhängigkeit"
        verbose_name_plural = "Abhängigkeiten"

    def __str__(self):
        return f"{self.name} @ {self.stamp}"
