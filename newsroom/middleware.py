"""The admin's own Content Security Policy.

django-csp applies CONTENT_SECURITY_POLICY to every response; the admin
needs a looser one (ADMIN_CONTENT_SECURITY_POLICY) for its inline styles
and the body editor's import map. It is chosen here, by the app of the view
that answered, because the admin's views can't be decorated one by one.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


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
        return parts
