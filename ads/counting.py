"""Counting what happened to an ad shown: served, viewable, clicked.

Each ad on a page carries a signed token naming its creative and slot plus a
random nonce. Each event counts once per token; everything else is recorded
as an hourly number by reason. Nothing about the reader is stored.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from crawleruseragents import is_crawler
from django.core import signing
from django.db import transaction
from django.utils import timezone

from articles import beacons

from .models import AdEvent, CountReason, EventCount, SpentToken

TOKEN_SALT = "ads.placement"
# A reader may leave a tab open; a click the next morning still counts.
TOKEN_MAX_AGE = timedelta(hours=24)
# Spent nonces are needed only while their tokens are valid.
SPENT_TOKENS_KEPT = TOKEN_MAX_AGE + timedelta(hours=1)
# A page has at most a handful of ads, each with three events; a reader
# clicking through pages quickly stays far below this.
RATE_LIMIT_EVENTS = 240
EVENTS = frozenset(AdEvent.values)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Ticket:
    """What a token says: which creative in which slot, shown once."""

    creative_id: int
    slot_id: int
    nonce: str
    is_expired: bool = False


def issue_token(creative_id, slot_id):
    nonce = secrets.token_urlsafe(12)
    return signing.dumps([creative_id, slot_id, nonce], salt=TOKEN_SALT)


def read_token(token):
    """The ticket behind `token`; expired ones are marked, forged ones raise."""
    try:
        payload = signing.loads(
            token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE.total_seconds()
        )
        expired = False
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=TOKEN_SALT)
        expired = True
    except signing.BadSignature as error:
        raise InvalidToken from error
    try:
        creative_id, slot_id, nonce = payload
        return Ticket(int(creative_id), int(slot_id), str(nonce), expired)
    except (TypeError, ValueError) as error:
        raise InvalidToken from error


@lru_cache(maxsize=4096)
def is_bot(user_agent):
    """A missing user agent or one on the crawler-user-agents list."""
    return not user_agent.strip() or is_crawler(user_agent)


def is_prefetch(request):
    return any(
        "prefetch" in request.META.get(header, "").lower()
        or "preview" in request.META.get(header, "").lower()
        for header in PREFETCH_HEADERS
    )


def is_rate_limited(request):
    """More events from this address in the last minute than a reader makes."""
    return beacons.is_rate_limited(request, "ads", RATE_LIMIT_EVENTS)


def reason_for_request(request):
    """Why events from this request are not counted, or COUNTED."""
    if is_prefetch(request):
        return CountReason.PREFETCH
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return CountReason.BOT
    if request.user.is_authenticated and request.user.is_staff:
        return CountReason.STAFF
    if is_rate_limited(request):
        return CountReason.RATE_LIMITED
    return CountReason.COUNTED


def record(event, token, request_reason):
    """Count `event` for `token` once, or record why not. Returns (reason, ticket)."""
    try:
        ticket = read_token(token)
    except InvalidToken:
        EventCount.objects.add(event, CountReason.INVALID)
        return CountReason.INVALID, None
    if ticket.is_expired:
        reason = CountReason.EXPIRED
    else:
        reason = request_reason
    with transaction.atomic():
        if reason == CountReason.COUNTED and not SpentToken.objects.spend(
            ticket.nonce, event
        ):
            reason = CountReason.REPEAT
        known = EventCount.objects.add(
            event, reason, ticket.creative_id, ticket.slot_id
        )
    if not known:
        # The creative or slot was deleted after the page was shown.
        EventCount.objects.add(event, CountReason.INVALID)
        return CountReason.INVALID, None
    return reason, ticket


def forget_spent_tokens():
    """Delete the nonces of tokens that have expired; returns how many."""
    cutoff = timezone.now() - SPENT_TOKENS_KEPT
    deleted, _ = SpentToken.objects.older_than(cutoff).delete()
    return deleted
