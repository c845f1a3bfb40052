"""The site's Content Security Policy, per page.

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
"""

import re

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

FRAME_REQUEST = re.compile(rb'data-frame-src="(https://[a-z0-9.-]+(?::[0-9]+)?)"')


def frame_sources(response):
    """The origins an HTML page asks to frame, in their order on the page."""
    if response.streaming or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return []
    found = FRAME_REQUEST.findall(response.content)
    return [origin.decode() for origin in dict.fromkeys(found)]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
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
