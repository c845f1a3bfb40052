"""What the agencies sent: items, each version of them, and our articles
made from them."""

import difflib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article

from .agencies import Agency

# What an agency version is compared by, with the desk's word for it.
COMPARED_FIELDS = {"headline": "Überschrift", "lead": "Vorspann", "body": "Text"}


class PubStatus(models.TextChoices):
    USABLE = "usable", "Freigegeben"
    WITHHELD = "withheld", "Zurückgehalten"
    CANCELED = "canceled", "Zurückgezogen"


class AgencyItemQuerySet(models.QuerySet):
    def with_outdated_takeovers(self):
        """Items one of our articles used in an earlier version."""
        return self.filter(takeovers__version__lt=F("version")).distinct()


class AgencyItem(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="Agentur", on_delete=models.PROTECT, related_name="items"
    )
    guid = models.CharField("Kennung", max_length=300)
    version = models.PositiveIntegerField("Version")
    version_created_at = models.DateTimeField("Stand der Agentur", null=True)
    urgency = models.PositiveSmallIntegerField(
        "Dringlichkeit", null=True, help_text="1 = am dringendsten, 9 = am wenigsten."
    )
    pubstatus = models.CharField(
        "Status", max_length=10, choices=PubStatus, default=PubStatus.USABLE
    )
    embargoed_until = models.DateTimeField("Sperrfrist bis", null=True)
    headline = models.CharField("Überschrift", max_length=300)
    lead = models.TextField("Vorspann", blank=True)
    body = models.TextField("Text", blank=True)
    subjects = models.JSONField("Themen", default=list)
    note = models.TextField("Hinweis der Agentur", blank=True)
    rights = models.CharField("Rechte", max_length=500, blank=True)
    source = models.CharField(
        "Herkunft", max_length=300, help_text="Datei oder Abruf, aus dem sie kam."
    )
    received_at = models.DateTimeField("Eingegangen", auto_now_add=True)
    updated_at = models.DateTimeField("Zuletzt aktualisiert", auto_now=True)

    objects = AgencyItemQuerySet.as_manager()

    class Meta:
        verbose_name = "Agenturmeldung"
        verbose_name_plural = "Agenturmeldungen"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "guid"],
                name="agency_agencyitem_guid_unique",
                violation_error_message="Diese Meldung der Agentur gibt es schon.",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="agencyitem_updated_idx")]
        permissions = [
            ("take_over_agencyitem", "Kann Agenturmeldungen als Artikel übernehmen")
        ]

    def __str__(self):
        return self.headline

    @property
    def subject_codes(self):
        return [code for s in self.subjects for code in (s["code"], s["name"]) if code]

    @property
    def subject_names(self):
        return ", ".join(subject["name"] for subject in self.subjects)

    @property
    def is_embargoed(self):
        return (
            self.embargoed_until is not None and self.embargoed_until > timezone.now()
        )

    def earliest_publication(self):
        """Now, or the end of the embargo if it has not passed."""
        return self.embargoed_until if self.is_embargoed else timezone.now()

    def check_publishable(self, at):
        """Refuse publishing at `at` before the embargo ends, or at all when
        the agency withdrew or withheld the item."""
        if self.pubstatus != PubStatus.USABLE:
            raise ValidationError(
                f"Die Agentur hat diese Meldung {self.get_pubstatus_display().lower()}; "
                "sie darf nicht veröffentlicht werden."
            )
        if self.embargoed_until is not None and at < self.embargoed_until:
            until = timezone.localtime(self.embargoed_until)
            raise ValidationError(
                f"Sperrfrist bis {until:%d.%m.%Y, %H:%M} Uhr: Vorher darf die Meldung "
                "nicht veröffentlicht werden."
            )

    def receive(self, parsed, source):
        """Take the fields of a newer version `parsed` (a NinjsItem) and keep
        them as a version of their own, for comparing later ones."""
        self.version = parsed.version
        self.version_created_at = parsed.version_created_at
        self.urgency = parsed.urgency
        self.pubstatus = parsed.pubstatus
        self.embargoed_until = parsed.embargoed_until
        self.headline = parsed.headline
        self.lead = parsed.lead
        self.body = parsed.body
        self.subjects = parsed.subjects
        self.note = parsed.note
        self.rights = parsed.rights
        self.source = source[:300]
        self.save()
        ItemVersion.objects.create(
            item=self,
            version=self.version,
            **{name: getattr(self, name) for name in COMPARED_FIELDS},
        )

    def previous_version(self):
        """The version before this one, from `versions` (newest first, and
        prefetched by the admin's list)."""
        return next((v for v in self.versions.all() if v.version < self.version), None)

    def changes(self):
        """What the newest version changed against the one before it, as
        (label, [(kind, text)]) per changed field; kind is "+", "-" or " "."""
        previous = self.previous_version()
        if previous is None:
            return []
        return [
            (label, _word_diff(getattr(previous, name), getattr(self, name)))
            for name, label in COMPARED_FIELDS.items()
            if getattr(previous, name) != getattr(self, name)
        ]


def _word_diff(old, new):
    old_words = strip_tags(old.replace("</p>", "</p> ")).split()
    new_words = strip_tags(new.replace("</p>", "</p> ")).split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append((" ", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("-", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("+", " ".join(new_words[b1:b2])))
    return parts


class ItemVersion(models.Model):
    """The text of one agency version, as it arrived."""

    item = models.ForeignKey(
        AgencyItem,
        verbose_name="Meldung",
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveIntegerField("Version")
    headline = models.CharField("Überschrift", max_length=300)
    lead = models.TextField("Vorspann", blank=True)
    body = models.TextField("Text", blank=True)
    received_at = models.DateTimeField("Eingegangen", auto_now_add=True)

    class Meta:
        verbose_name = "Fassung einer Agenturmeldung"
        verbose_name_plural = "Fassungen von Agenturmeldungen"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "version"],
                name="agency_itemversion_unique",
                violation_error_message="Diese Version der Meldung gibt es schon.",
            ),
        ]

    def __str__(self):
        return f"{self.item} (Version {self.version})"


class TakeoverQuerySet(models.QuerySet):
    def publication_problems(self, article):
        """The embargo or withdrawal of the item `article` was made from,
        however it is published: takeover, form, bulk action or the plan."""
        takeover = self.filter(article=article).select_related("item").first()
        if takeover is None:
            return []
        now = timezone.now()
        at = max(now, article.published_at or now)
        try:
            takeover.item.check_publishable(at)
        except ValidationError as error:
            return error.messages
        return []

    def outdated(self):
        """Takeovers whose item has a newer version than the one used."""
        return self.filter(version__lt=F("item__version"))


class Takeover(models.Model):
    """One of our articles made from an agency item."""

    item = models.ForeignKey(
        AgencyItem,
        verbose_name="Agenturmeldung",
        on_delete=models.PROTECT,
        related_name="takeovers",
    )
    article = models.OneToOneField(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="agency_takeover",
    )
    version = models.PositiveIntegerField("Genutzte Version")
    taken_at = models.DateTimeField("Übernommen", auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Übernommen von",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = TakeoverQuerySet.as_manager()

    class Meta:
        verbose_name = "Übernahme"
        verbose_name_plural = "Übernahmen"
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.article} ← {self.item.agency.credit}"

    @property
    def is_outdated(self):
        return self.version < self.item.version
