from django.db import connections, models
from django.db.models import F
from django.utils import timezone


class ContentVersionQuerySet(models.QuerySet):
    def current(self):
        """The number of the reader-visible content; 0 before the first change."""
        # Read on every cached page view: plain SQL costs a fifth of the ORM.
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    def bump(self):
        """Start a new version: every page cached under the old one is dead."""
        if not self.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now()
        ):
            self.get_or_create(pk=1, defaults={"number": 1})


class ContentVersion(models.Model):
    """One row whose number changes with anything a reader's page shows.

    It lives in the database rather than the cache so that every process
    (and every app server) sees a change the moment its transaction commits,
    even with a process-local cache.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ContentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "Inhaltsstand"
        verbose_name_plural = "Inhaltsstände"

    def __str__(self):
        return f"Stand {self.number}"
