"""May this article go online: the rules, and the steps that take it on and
off the site.

Article's own rules live here; other apps add theirs (a gallery's pictures,
an agency's embargo) with add_publication_check().
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from .states import MAX_HEADLINE_LENGTH_TO_PUBLISH, ArticleStatus

# Checks of rows other apps attach to an article (a gallery's pictures):
# each is called with the article and returns German sentences.
_publication_checks = []


def add_publication_check(check, in_form=False):
    """Let `check(article)` refuse publishing; apps call this from
    AppConfig.ready(). With `in_form`, the article form's own validation runs
    it too: for rules on rows the form can't change in the same save."""
    _publication_checks.append((check, in_form))


class Publication:
    """Article's publishing: what keeps it offline, publishing, scheduling and
    withdrawing, and whether readers see it now."""

    def publication_problems(self, attached=True):
        """What keeps this article from going live, one German sentence each;
        with `attached`, also what other apps find in their stored rows."""
        problems = []
        if not self.headline.strip():
            problems.append("Die Überschrift fehlt.")
        elif self.headline_fits_column and (too_long := self.headline_too_long()):
            # A headline too long to store is refused by its field, whose
            # message names both limits; one message is enough.
            problems.append(too_long)
        if not self.lead.strip():
            problems.append("Der Vorspann fehlt.")
        if not self.section_id:
            problems.append("Das Ressort fehlt.")
        if self.image:
            if not self.image_alt.strip():
                problems.append("Der Alternativtext zum Aufmacherbild fehlt.")
            if not self.image_credit.strip():
                problems.append("Der Bildnachweis zum Aufmacherbild fehlt.")
        if self.pk:
            for check, in_form in _publication_checks:
                if attached or in_form:
                    problems.extend(check(self))
        return problems

    def headline_too_long(self):
        """Why the headline is too long to publish, or None if it is not."""
        length = len(self.headline)
        if length <= MAX_HEADLINE_LENGTH_TO_PUBLISH:
            return None
        return (
            f"Die Überschrift ist {length} Zeichen lang; veröffentlicht werden "
            f"können höchstens {MAX_HEADLINE_LENGTH_TO_PUBLISH}."
        )

    @property
    def headline_fits_column(self):
        return len(self.headline) <= self._meta.get_field("headline").max_length

    def publish(self, at=None):
        """Publish now, or at `at` (scheduling), if nothing is missing."""
        planned, self.published_at = (
            self.published_at,
            at or self.published_at or timezone.now(),
        )
        # The checks may ask when it goes online (an agency's embargo).
        if problems := self.publication_problems():
            self.published_at = planned
            raise ValidationError(problems)
        self.status = ArticleStatus.PUBLISHED
        self.save()

    def publish_now(self):
        """Publish at once, also an article scheduled for later."""
        self.publish(at=timezone.now())

    def unschedule(self):
        """Take a scheduled article off the plan: back into review, no time."""
        if not self.is_scheduled:
            raise ValidationError(
                "Nur geplante Artikel können aus der Planung genommen werden."
            )
        self.status = ArticleStatus.REVIEW
        self.published_at = None
        self.save()

    def withdraw(self):
        if self.status != ArticleStatus.PUBLISHED:
            raise ValidationError(
                "Nur veröffentlichte Artikel können zurückgezogen werden."
            )
        self.status = ArticleStatus.WITHDRAWN
        self.save()

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_expired(self):
        """Published, but its "Sichtbar bis" has passed: gone for readers."""
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
        )
