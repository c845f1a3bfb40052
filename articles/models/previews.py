from datetime import timedelta

from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .articles import Article
from .fields import created_by_field

PREVIEW_LINK_LIFETIME = timedelta(hours=48)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open their preview: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def default_preview_expiry():
    return timezone.now() + PREVIEW_LINK_LIFETIME


class SharedPreview(models.Model):
    """A signed link that shows something unpublished to someone without an
    account, until it expires or is revoked.

    Concrete links name what they show (a foreign key), SIGNING_SALT and
    URL_NAME, the view that takes the token (`from_token`).
    """

    SIGNING_SALT = None
    URL_NAME = None

    created_at = models.DateTimeField("Erstellt", auto_now_add=True)
    created_by = created_by_field()
    expires_at = models.DateTimeField("Gültig bis", default=default_preview_expiry)
    revoked_at = models.DateTimeField("Widerrufen", null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        verbose_name = "Vorschau-Link"
        verbose_name_plural = "Vorschau-Links"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Vorschau bis {timezone.localtime(self.expires_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self):
        # No timestamp in the token: one link keeps one address; it expires
        # through expires_at, which the desk can change.
        token = signing.Signer(salt=self.SIGNING_SALT).sign_object(self.pk)
        return reverse(self.URL_NAME, kwargs={"token": token})

    @classmethod
    def from_token(cls, token):
        """The usable link a token names, or None for a bad, old or revoked one."""
        try:
            pk = signing.Signer(salt=cls.SIGNING_SALT).unsign_object(token)
        except signing.BadSignature:
            return None
        return cls.objects.usable().filter(pk=pk).first()

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class PreviewLink(SharedPreview):
    """A link that shows an unpublished article to someone without an account."""

    SIGNING_SALT = "articles.preview-link"
    URL_NAME = "articles:shared_preview"

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="preview_links",
    )

    class Meta(SharedPreview.Meta):
        pass
