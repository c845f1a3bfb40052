from django.conf import settings
from django.db import models


def created_by_field():
    """Who made the row: set by the code that creates it, never in a form.

    The row outlives the account that made it.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Angelegt von",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
