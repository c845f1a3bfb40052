from django.core import signing
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.views import ArticleDetailView

from .counting import EVENTS, is_rate_limited, reason_for_request, record
from .delivery import Placement, creative_plan, decide, slot_plan
from .forms import FillForm
from .middleware import render_placements
from .models import AdEvent, AdSlot, CountReason, Creative

# One page has at most a handful of ads; anything longer is not our script.
MAX_TOKENS_PER_BEACON = 20
PREVIEW_SALT = "ads.preview"
PREVIEW_MAX_AGE = 7 * 24 * 3600


@csrf_exempt
@never_cache
def beacon(request):
    """Count served and viewable events sent by static/ads/ads.js."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    events = [
        (event, token)
        for event in request.POST
        if event in EVENTS and event != AdEvent.CLICK
        for token in request.POST.getlist(event)
    ]
    if not events or len(events) > MAX_TOKENS_PER_BEACON:
        return HttpResponseBadRequest(_("Ungültige Zählung."))
    reason = reason_for_request(request)
    for event, token in events:
        record(event, token, reason)
    if reason == CountReason.RATE_LIMITED:
        # Recorded by reason like everything else; the sender is told to
        # slow down.
        return HttpResponse(status=429)
    return HttpResponse(status=204)


@require_safe
@never_cache
def fill(request):
    """This reader's ads for the pending slots of a page shared by a cache.

    static/ads/ads.js asks once per page view (see fill_slots) and gets
    {slot key: markup}, with fresh tokens, as fill_slots would have filled
    them in.
    """
    if is_rate_limited(request):
        return HttpResponse(status=429)
    form = FillForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ungültige Anfrage."))
    try:
        placements = decide(form.cleaned_data["slot"], form.page())
    except (OperationalError, InterfaceError):
        placements = {}
    return JsonResponse(
        {key: markup.decode() for key, markup in render_placements(placements).items()}
    )


@require_safe
@never_cache
def click(request, token):
    """Count the click once and send the reader to the creative's stored address."""
    reason, ticket = record(AdEvent.CLICK, token, reason_for_request(request))
    if ticket is None:
        return HttpResponseBadRequest(_("Dieser Anzeigen-Link ist ungültig."))
    if reason == CountReason.PREFETCH:
        # Anything but 2xx makes the browser drop the prefetch and ask again
        # when the reader really clicks, which is then counted.
        return HttpResponse(status=503, headers={"Retry-After": "0"})
    creative = Creative.objects.filter(pk=ticket.ids[0]).first()
    if reason == CountReason.EXPIRED or creative is None:
        return HttpResponse(_("Diese Anzeige ist nicht mehr verfügbar."), status=404)
    response = HttpResponseRedirect(creative.target_url)
    # The advertiser learns that the reader came from us, not from which page.
    response["Referrer-Policy"] = "origin"
    return response


def preview_token(creative, slot, article):
    return signing.dumps([creative.pk, slot.pk, article.pk], salt=PREVIEW_SALT)


@require_safe
@never_cache
def preview(request, token):
    """An article page showing one creative in one slot; nothing is counted."""
    try:
        creative_id, slot_id, article_id = signing.loads(
            token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE
        )
    except (signing.BadSignature, TypeError, ValueError):
        return HttpResponseBadRequest(
            _("Dieser Vorschau-Link ist ungültig oder abgelaufen.")
        )
    creative = get_object_or_404(
        Creative.objects.select_related("campaign__advertiser").prefetch_related(
            "slots"
        ),
        pk=creative_id,
    )
    slot = get_object_or_404(AdSlot, pk=slot_id)
    article = get_object_or_404(
        Article.objects.published().select_related("section"), pk=article_id
    )
    request.ad_preview = Placement(
        slot=slot_plan(slot),
        creative=creative_plan(creative, creative.campaign.advertiser.name),
    )
    response = ArticleDetailView.as_view()(
        request, section_path=article.section.path, slug=article.slug
    )
    response["X-Robots-Tag"] = "noindex"
    return response
