"""Making one of our articles from an agency item."""

from django.core.exceptions import ValidationError
from django.db import transaction
from reversion import create_revision, set_comment, set_user

from articles.models import Article, Author

from .models import Takeover

HEADLINE_ROOM = Article._meta.get_field("headline").max_length


def credit_author(agency):
    """The byline an agency's copy carries, e.g. "dpa"."""
    author = Author.objects.filter(name=agency.credit).first()
    return author or Author.objects.create(name=agency.credit)


def take_over(item, user):
    """Our article from `item`, in the Ressort the agency's rules give it:
    a draft, or published (after an embargo: scheduled for its end) where
    the rule says so. Saved through the article's own transitions, in one
    revision of its history.

    Returns the article and why it stayed a draft although the rule
    publishes directly (e.g. a headline too long to publish), or "".
    """
    rule = item.agency.rule_for(item.subject_codes, item.urgency)
    if rule is None:
        raise ValidationError(
            "Keine Regel der Agentur ordnet diese Meldung einem Ressort zu. "
            "Bitte eine Regel anlegen (auch eine ohne Thema ist möglich)."
        )
    publish_at = item.earliest_publication()
    item.check_publishable(publish_at)
    held_back = ""
    with transaction.atomic(), create_revision():
        # Locked, so two clicks at once make one article.
        if type(item).objects.select_for_update().get(pk=item.pk).takeovers.exists():
            raise ValidationError("Diese Meldung wurde schon übernommen.")
        set_user(user)
        article = Article(
            headline=item.headline[:HEADLINE_ROOM],
            lead=item.lead,
            body=item.body,
            section=rule.section,
            created_by=user,
            # A later "Veröffentlichen" keeps this time: not before the embargo.
            published_at=item.embargoed_until if item.is_embargoed else None,
        )
        article.save()
        article.authors.add(credit_author(item.agency))
        Takeover.objects.create(
            item=item, article=article, version=item.version, taken_by=user
        )
        done = "übernommen"
        if rule.publishes_directly:
            try:
                with transaction.atomic():
                    article.publish(at=publish_at)
                done = "veröffentlicht"
            except ValidationError as error:
                held_back = " ".join(error.messages)
        set_comment(f"Aus Agenturmeldung ({item.agency.credit}) {done}")
    return article, held_back
