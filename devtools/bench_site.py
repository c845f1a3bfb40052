"""The site as `make bench` serves it: ours, plus two yardsticks.

- the framework floor, a view that returns a few bytes, and
- the reference render, a bare Django template of a full German article
  page (about 68 KB) rendered from a dict kept in memory: no database, no
  cache, no template tags of ours.

Both answer through the project's whole MIDDLEWARE, as a reader's request
(no cookies) does, so the figures of our pages compare with them directly.
A third view, the counter, has callgrind write its count so far when the
worker runs under valgrind (devtools.instructions, bench_instructions).
devtools.bench_wsgi serves this URLconf; the site never names it.
"""

import itertools

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from newsroom import urls as site

from . import instructions

SENTENCES = [
    "Der Stadtrat hat am Dienstagabend nach langer Debatte über den neuen "
    "Haushalt abgestimmt und dabei mehrere Änderungen am Entwurf beschlossen.",
    "Vor allem die Mittel für Schulen, Radwege und die Sanierung der alten "
    "Stadthalle waren zwischen den Fraktionen bis zuletzt umstritten.",
    "Die Kämmerin warnte, dass steigende Zinsen den Spielraum der kommenden "
    "Jahre deutlich einschränken würden, wenn die Einnahmen nicht wachsen.",
    "Anwohnerinnen und Anwohner verfolgten die Sitzung auf der Empore und "
    "meldeten sich in der Fragestunde mit Anliegen aus ihren Vierteln.",
    "Ein Sprecher der Verwaltung kündigte an, die Beschlüsse bis zum Frühjahr "
    "umzusetzen und die Öffentlichkeit regelmäßig über den Stand zu informieren.",
    "Kritiker bemängeln, dass viele Vorhaben seit Jahren angekündigt, aber "
    "wegen fehlender Fachkräfte in den Ämtern nie begonnen worden seien.",
]
SECTIONS = [
    "Politik", "Wirtschaft", "Kultur", "Sport", "Wissen", "Panorama", "Region",
    "Meinung", "Digital", "Reise", "Gesundheit", "Bildung",
]  # fmt: skip


def reference_page():
    """The dict the reference template renders: one long article with
    teasers, link lists and a footer, as plain Python values."""
    sentences = itertools.cycle(SENTENCES)
    paragraphs = [" ".join(next(sentences) for _ in range(4)) for _ in range(70)]
    teasers = [
        {
            "kicker": SECTIONS[number % len(SECTIONS)],
            "headline": f"Meldung {number + 1}: {SENTENCES[number % 6][:70]}",
            "summary": SENTENCES[(number + 2) % 6],
            "url": f"/{SECTIONS[number % len(SECTIONS)].lower()}/meldung-{number + 1}/",
            "image": f"/media/bilder/meldung-{number + 1}-640.jpg",
            "published_at": f"{number % 28 + 1:02d}.11.2026, {number % 24:02d}:15 Uhr",
        }
        for number in range(32)
    ]
    links = [
        {
            "title": f"{section} – Übersicht {number + 1}",
            "url": f"/{section.lower()}/{number + 1}/",
        }
        for section in SECTIONS
        for number in range(6)
    ]
    return {
        "headline": "Stadtrat beschließt Haushalt nach langer Nachtsitzung",
        "kicker": "Kommunalpolitik",
        "lead": SENTENCES[0],
        "author": "Redaktion Newsroom",
        "published_at": "03.12.2026, 21:40 Uhr",
        "paragraphs": paragraphs,
        "tags": ["Haushalt", "Stadtrat", "Schulen", "Radwege", "Finanzen"],
        "sections": SECTIONS,
        "teasers": teasers,
        "links": links,
    }


PAGE = reference_page()


@require_safe
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


@require_safe
def reference(request):
    return render(request, "devtools/reference_article.html", PAGE)


@require_safe
def count(request, label):
    """Have callgrind write this worker's count so far (bench_instructions)."""
    try:
        instructions.dump(label)
    except (instructions.CounterUnavailable, ValueError) as error:
        raise Http404(str(error)) from error
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("__messung/boden/", floor, name="bench_floor"),
    path("__messung/referenz/", reference, name="bench_reference"),
    path("__messung/zaehler/<slug:label>/", count, name="bench_count"),
    *site.urlpatterns,
]
handler500 = site.handler500
