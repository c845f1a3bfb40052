"""Counting what happened to an ad shown: served, viewable, clicked.

Each ad on a page carries a single-use token (counting.tokens) naming its
creative and slot. Each event counts once per token, by the rules all
counting shares (counting.rules); everything else is recorded as an hourly
number by reason. Nothing about the reader is stored.
"""

from datetime import timedelta

from django.db import transaction

from counting import rules, tokens

from .models import AdEvent, CountReason, EventCount

TOKEN_SALT = "ads.placement"
# A reader may leave a tab open; a click the next morning still counts.
TOKEN_MAX_AGE = timedelta(hours=24)
# A page has at most a handful of ads, each with three events; a reader
# clicking through pages quickly stays far below this.
RATE_LIMIT_EVENTS = 240
EVENTS = frozenset(AdEvent.values)


def issue_token(creative_id, slot_id):
    return tokens.issue_token(TOKEN_SALT, creative_id, slot_id)


def read_token(token):
    """The ticket behind `token`, its ids (creative, slot); forged ones raise."""
    ticket = tokens.read_token(token, TOKEN_SALT, TOKEN_MAX_AGE)
    if len(ticket.ids) != 2:
        raise tokens.InvalidToken
    return ticket


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
