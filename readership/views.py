import csv
import re
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from articles.models import Article
from counting import rules

from . import services
from .forms import StatisticsForm
from .tokens import issue_view_token, spend_view_token

# Nobody reads two articles a second for a minute; readers behind one
# address (an office, a mobile network) share it.
VIEWS_PER_ADDRESS_AND_MINUTE = 120
ARTICLE_ID = re.compile(r"[1-9][0-9]{0,17}")


@csrf_exempt
@require_POST
def count_view(request):
    """Count one view of an article, sent by the page's script after load.

    No cookie is read or set and nothing about the reader is stored; the
    request only adds one to the article's counters for this day and hour.
    It carries no CSRF token because cached pages can't have a valid one;
    the view token signed for this page view (readership.tokens) counts
    once, and each address may only send so many a minute. Bots, staff and
    prefetches are not counted (counting.rules) and keep their token.
    """
    reason = rules.why_not_counted(request, "views", VIEWS_PER_ADDRESS_AND_MINUTE)
    if reason == rules.RATE_LIMITED:
        return HttpResponse(status=429)
    if reason is not None:
        return HttpResponse(status=204)
    article_id = spend_view_token(request.POST.get("token", ""))
    if article_id is None:
        return HttpResponseBadRequest(
            "Dieser Aufruf ist ungültig, abgelaufen oder schon gezählt."
        )
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    services.count_view(article)
    return HttpResponse(status=204)


@require_safe
@never_cache
def view_token(request):
    """A view token of its own for a reader of a page shared by a cache.

    static/js/article-views.js asks for one when its page came without (see
    fill_view_tokens), then counts the view as usual.
    """
    if rules.is_rate_limited(request, "view-tokens", VIEWS_PER_ADDRESS_AND_MINUTE):
        return HttpResponse(status=429)
    article_id = request.GET.get("artikel", "")
    if not ARTICLE_ID.fullmatch(article_id):
        return HttpResponseBadRequest("Ungültiger Artikel.")
    if not Article.objects.published().filter(pk=article_id).exists():
        raise Http404
    return JsonResponse({"token": issue_view_token(int(article_id))})


class StatisticsView(TemplateView):
    template_name = "readership/statistics.html"

    def get_context_data(self, **kwargs):
        day_articles = services.most_read(count=10, hours=24, fall_back=False)
        week_articles = services.most_read(count=10, hours=24 * 7)
        return super().get_context_data(
            day_articles=day_articles, week_articles=week_articles, **kwargs
        )


@require_safe
@staff_member_required
def staff_statistics(request):
    form = StatisticsForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        chosen = {key: form.cleaned_data[key] for key in ("von", "bis", "nach")}
        context.update(services.views_report(**form.period()))
        # Show the period actually reported, defaults included.
        context["form"] = StatisticsForm(initial=chosen)
        context["export_query"] = urlencode(chosen)
    return render(request, "readership/staff_statistics.html", context)


@require_safe
@staff_member_required
def staff_statistics_csv(request):
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors.get("__all__", [])))
    report = services.views_report(**form.period())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="aufrufe-{report["first_day"]}-{report["last_day"]}.csv"'
    )
    # A byte-order mark lets spreadsheet programs read the umlauts right.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([report["grouping_label"], "Aufrufe"])
    for row in report["rows"]:
        writer.writerow([row["name"], row["total"]])
    return response
