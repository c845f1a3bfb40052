from django.db import connection, models
from django.utils import timezone


class SpentTokenQuerySet(models.QuerySet):
    def spend(self, nonce, event):
        """Mark the token's `event` as counted; False if it already was."""
        # Insert-or-nothing in one statement is the atomic check: of many
        # identical beacons arriving together exactly one inserts the row.
        table = SpentToken._meta.db_table
        spent_at = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (nonce, event, spent_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (nonce, event) DO NOTHING",
                [nonce, event, spent_at],
            )
            return cursor.rowcount == 1

    def older_than(self, moment):
        return self.filter(spent_at__lt=moment)


class SpentToken(models.Model):
    """A counted event of one token, kept until the token has expired."""

    nonce = models.CharField(max_length=24)
    # What was counted with the token: "view", "served", "click", ...
    event = models.CharField(max_length=10)
    spent_at = models.DateTimeField()

    objects = SpentTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "Verbrauchtes Token"
        verbose_name_plural = "Verbrauchte Tokens"
        constraints = [
            models.UniqueConstraint(
                fields=["nonce", "event"], name="counting_spenttoken_once"
            ),
        ]
        indexes = [
            models.Index(fields=["spent_at"], name="counting_spenttoken_spent_idx")
        ]

    def __str__(self):
        return f"{self.nonce} ({self.event})"
