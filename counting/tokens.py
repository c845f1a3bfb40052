"""Signed single-use tokens: issued with a page, spent by one count.

A token names what it counts (ids chosen by the issuer) and carries a random
nonce. Spending it inserts the nonce into a table in one statement, so that
of many identical requests, on any number of servers, exactly one counts,
and clearing a cache changes nothing.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import SpentToken

# Spent nonces are kept this long; no token may be valid for longer.
LONGEST_TOKEN_LIFE = timedelta(hours=24)
SPENT_TOKENS_KEPT = LONGEST_TOKEN_LIFE + timedelta(hours=1)


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Ticket:
    """What a token says: the ids it was issued for, shown once."""

    ids: tuple
    nonce: str
    is_expired: bool = False


def issue_token(salt, *ids):
    """What `signing.dumps([*ids, nonce], salt=salt)` returns, made faster.

    A cached page hands out several tokens per view; Django derives the
    signing key from the secret anew for each, which was most of their
    cost. Here it is derived once per salt, the JSON of integer ids and a
    URL-safe nonce is written directly, and the token is the same.
    """
    nonce = secrets.token_urlsafe(12)
    payload = f'[{",".join(str(int(pk)) for pk in ids)},"{nonce}"]'.encode()
    value = b"%s:%s" % (
        base64.urlsafe_b64encode(payload).rstrip(b"="),
        timestamp(int(time.time())),
    )
    mac = signer_mac(salt, settings.SECRET_KEY).copy()
    mac.update(value)
    return (value + b":" + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=")).decode()


@lru_cache(maxsize=1)
def timestamp(seconds):
    """signing.b62_encode(seconds) as bytes, worked out once a second."""
    return signing.b62_encode(seconds).encode()


@lru_cache(maxsize=16)
def signer_mac(salt, secret_key):
    """django.core.signing.Signer's HMAC for `salt`, before any message."""
    key = hashlib.sha256(f"{salt}signer{secret_key}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def read_token(token, salt, max_age):
    """The ticket behind `token`; expired ones are marked, forged ones raise."""
    if max_age > LONGEST_TOKEN_LIFE:
        raise ValueError("Spent tokens are not kept that long.")
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age.total_seconds())
        expired = False
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=salt)
        expired = True
    except signing.BadSignature as error:
        raise InvalidToken from error
    try:
        *ids, nonce = payload
        return Ticket(tuple(int(value) for value in ids), str(nonce), expired)
    except (TypeError, ValueError) as error:
        raise InvalidToken from error


def spend(ticket, event):
    """Mark `event` of the ticket as counted; False if it already was."""
    return SpentToken.objects.spend(ticket.nonce, event)


def forget_spent_tokens():
    """Delete the nonces of tokens that have expired; returns how many."""
    cutoff = timezone.now() - SPENT_TOKENS_KEPT
    deleted, _ = SpentToken.objects.older_than(cutoff).delete()
    return deleted
