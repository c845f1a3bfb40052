"""Counting what happened to an ad shown: served, viewable, clicked.

A page view's ads share one signed token (counting.tokens) naming each ad's
creative and slot; each ad carries it with its own place on the page, so
that signing costs a page view once, not once per ad. Each event counts
once per ad shown, by the rules all counting shares (counting.rules);
everything else is recorded as an hourly number by reason. Nothing about
the reader is stored.
"""

from datetime import timedelta

from django.db import transaction

from counting import rules, tokens

from .models import AdEvent, CountReason, EventCount

TOKEN_SALT = "ads.page"
# Before a page's ads shared a token, each had one of its own, signed with
# this salt; a tab opened then still counts and clicks for TOKEN_MAX_AGE.
SINGLE_AD_SALT = "ads.placement"
# Between the page's token and an ad's place on the page; in neither the
# token's alphabet nor a URL's reserved characters.
PLACE = "."
# An ad's place as written in its token; only these, so that "01" can't
# count the ad "1" a second time. A page shows a handful of ads.
PLACES = {str(place): place for place in range(100)}
# A reader may leave a tab open; a click the next morning still counts.
TOKEN_MAX_AGE = timedelta(hours=24)
# A page has at most a handful of ads, each with three events; a reader
# clicking through pages quickly stays far below this.
RATE_LIMIT_EVENTS = 240
EVENTS = frozenset(AdEvent.values)


def issue_tokens(ads):
    """Each ad's token for a page view showing `ads`, [(creative id, slot id)]."""
    page = tokens.issue_token(TOKEN_SALT, *(pk for ad in ads for pk in ad))
    return [f"{page}{PLACE}{place}" for place in range(len(ads))]


def issue_token(creative_id, slot_id):
    """The token of a page view that shows one ad."""
    return issue_tokens([(creative_id, slot_id)])[0]


def read_token(token):
    """The ticket of one ad behind `token`: its ids (creative, slot) and a
    nonce of its own. Forged ones raise."""
    page, separator, place = token.rpartition(PLACE)
    if not separator:
        ticket = tokens.read_token(token, SINGLE_AD_SALT, TOKEN_MAX_AGE)
        if len(ticket.ids) != 2:
            raise tokens.InvalidToken
        return ticket
    if place not in PLACES:
        raise tokens.InvalidToken
    ticket = tokens.read_token(page, TOKEN_SALT, TOKEN_MAX_AGE)
    start = 2 * PLACES[place]
    if len(ticket.ids) % 2 or start >= len(ticket.ids):
        raise tokens.InvalidToken
    return tokens.Ticket(
        ids=ticket.ids[start : start + 2],
        nonce=f"{ticket.nonce}{PLACE}{place}",
        is_expired=ticket.is_expired,
    )


def is_rate_limited(request):
    """More events from this address in the last minute than a reader makes."""
    return rules.is_rate_limited(request, "ads", RATE_LIMIT_EVENTS)


def reason_for_request(request):
    """Why events from this request are not counted, or COUNTED."""
    reason = rules.why_not_counted(request, "ads", RATE_LIMIT_EVENTS)
    return CountReason(reason) if reason else CountReason.COUNTED


def record(event, token, request_reason):
    """Count `event` for `token` once, or record why not. Returns (reason, ticket)."""
    try:
        ticket = read_token(token)
    except tokens.InvalidToken:
        EventCount.objects.add(event, CountReason.INVALID)
        return CountReason.INVALID, None
    reason = CountReason.EXPIRED if ticket.is_expired else request_reason
    creative_id, slot_id = ticket.ids
    with transaction.atomic():
        if reason == CountReason.COUNTED and not tokens.spend(ticket, event):
            reason = CountReason.REPEAT
        known = EventCount.objects.add(event, reason, creative_id, slot_id)
    if not known:
        # The creative or slot was deleted after the page was shown.
        EventCount.objects.add(event, CountReason.INVALID)
        return CountReason.INVALID, None
    return reason, ticket
