from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from pagecache.dependencies import note

from .cache_keys import place_key
from .filling import fill
from .models import Front, FrontPreviewLink, FrontVersion

TEMPLATE = "fronts/front.html"


def render_version(request, version, section=None, is_preview=False):
    """The version on the real template."""
    return render(
        request,
        TEMPLATE,
        {
            "front": version.front,
            "version": version,
            "section": section,
            "ancestors": section.ancestry()[:-1] if section else [],
            "blocks": fill(version),
            "is_preview": is_preview,
        },
    )


def curated_page(request, section=None):
    """The front readers see in place of the newest-first page, if there is
    one and a version of it has started (articles.views.show_curated_pages)."""
    note(place_key(section.pk if section else None))
    front = Front.objects.for_section(section).first()
    version = front and front.current_version()
    if not version:
        return None
    version.front = front
    return render_version(request, version, section)


def preview_response(request, version):
    front = version.front
    response = render_version(request, version, front.section, is_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def versions():
    return FrontVersion.objects.select_related("front__section")


@require_safe
def preview(request, pk):
    """Any version, planned, live or past, for the newsroom."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("fronts.view_frontversion"):
        raise PermissionDenied
    return preview_response(request, get_object_or_404(versions(), pk=pk))


@require_safe
def shared_preview(request, token):
    link = FrontPreviewLink.from_token(token)
    if link is None:
        raise Http404("Dieser Vorschau-Link ist abgelaufen oder wurde widerrufen.")
    return preview_response(request, get_object_or_404(versions(), pk=link.version_id))
