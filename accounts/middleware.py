import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
# Writing the session on every request would cost a database write each
# time; a minute is precise enough for an idle timeout of an hour.
LAST_SEEN_PRECISION = 60


def start_session_clock(sender, request, user, **kwargs):
    """Connected to user_logged_in: the session's clocks start at sign-in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Signs people out after SESSION_IDLE_TIMEOUT seconds without a request,
    and SESSION_COOKIE_AGE seconds after they signed in, however busy.

    Django's own expiry moves with every save of the session, so it alone
    would let a session live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Readers have no session: don't load one for them.
        if request.session.session_key and request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = int(time.time())
        session = request.session
        # Sessions from before this check start their clock now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT:
            self.sign_out(request, "Sie waren zu lange inaktiv")
        elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
            self.sign_out(request, "Ihre Sitzung ist abgelaufen")
        elif LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_PRECISION:
            session[LAST_SEEN_AT] = now

    def sign_out(self, request, reason):
        logout(request)
        messages.info(
            request, f"{reason} und wurden abgemeldet. Bitte melden Sie sich neu an."
        )


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the storage made when first used.

    Making it derives the signing key of the messages cookie, about a
    twentieth of the framework's work on a reader's request, whose pages
    never show a message. Storage nobody used has nothing to store: Django
    would leave the response as it is, too.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)
