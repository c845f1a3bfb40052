"""The site's Content Security Policy: the admin's own, and the readers' per page.

django-csp applies CONTENT_SECURITY_POLICY to every response; the admin
needs a looser one (ADMIN_CONTENT_SECURITY_POLICY) for its inline styles
and the body editor's import map. It is chosen here, by the app of the view
that answered, because the admin's views can't be decorated one by one.

A reader page may frame another site only where it shows something that
asks for it: an element carrying `data-frame-src="https://host"` (an
embed's placeholder) adds that origin to `frame-src`, on this page alone.
The page's own HTML decides, so a page from the page cache gets the same
policy as when it was rendered. Texts can't ask: the body's sanitiser
keeps no data attributes.

django-csp builds the header anew for every response, which cost about a
third of the framework's own work on a reader's request (make bench). A
response that asks for nothing of its own (no nonce, no decorator, not the
admin, no frames) gets the readers' header, built once per process and
settings.
"""

import re
from functools import cache

from csp.constants import HEADER, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What django-csp's decorators leave on a response to change its policy.
PER_RESPONSE_POLICY = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def readers_policy():
    return build_policy()


@receiver(setting_changed)
def forget_readers_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        readers_policy.cache_clear()


FRAME_REQUEST_START = b'data-frame-src="'
FRAME_REQUEST = re.compile(
    re.escape(FRAME_REQUEST_START) + rb'(https://[a-z0-9.-]+(?::[0-9]+)?)"'
)


def frame_sources(response):
    """The origins an HTML page asks to frame, in their order on the page."""
    if response.streaming or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return []
    content = response.content
    # Most pages frame nothing: bytes' own search says so several times
    # faster than the regular expression.
    if FRAME_REQUEST_START not in content:
        return []
    found = FRAME_REQUEST.findall(content)
    return [origin.decode() for origin in dict.fromkeys(found)]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not self.has_readers_policy(request, response):
            return super().process_response(request, response)
        policy = readers_policy()
        if policy and HEADER not in response:
            response[HEADER] = policy
        # As django-csp does: a nonce asked for after this would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def has_readers_policy(self, request, response):
        match = getattr(request, "resolver_match", None)
        policy = settings.CONTENT_SECURITY_POLICY or {}
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in PER_RESPONSE_POLICY)
            and not (match and "admin" in match.app_names)
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and not settings.DEBUG
            and not frame_sources(response)
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if (
            not report_only
            and parts.config is None
            and match
            and "admin" in match.app_names
        ):
            parts.config = default_config(
                settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        elif not report_only and (origins := frame_sources(response)):
            parts.update = {**(parts.update or {}), "frame-src": [SELF, *origins]}
        return parts
