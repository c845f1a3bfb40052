"""Readers behind Varnish see an editor's change at once.

Two app servers share PostgreSQL and Redis, Varnish keeps reader pages in
front of them, and an editor works through app server A: every change
purges exactly the pages that show it (a job the worker runs within a
second), so the next reader through Varnish gets the new page while the
others stay kept.
"""

import http.cookiejar
import urllib.parse
import urllib.request
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from fronts.models import BlockKind
from tests.factories import (
    make_article,
    make_draft,
    make_entry,
    make_section,
    make_ticker,
)
from tests.fronts.factories import make_block, make_version

from .reading import get, read_until

PASSWORD = "lange-geheim-99"


class Editor:
    """A signed-in editor using the admin of one app server."""

    def __init__(self, server):
        get_user_model().objects.create_superuser("chefin", password=PASSWORD)
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        get(f"{server}/admin/login/", self.opener)
        self.post("/admin/login/?next=/admin/", username="chefin", password=PASSWORD)

    def post(self, path, **data):
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        request = urllib.request.Request(
            f"{self.server}{path}",
            data=urllib.parse.urlencode(
                {**data, "csrfmiddlewaretoken": token}, doseq=True
            ).encode(),
            headers={"Referer": f"{self.server}{path}"},
        )
        # The first save loads the search's word lists: seconds on a busy
        # machine.
        return self.opener.open(request, timeout=60).status

    def run_action(self, action, article):
        return self.post(
            "/admin/articles/article/", action=action, _selected_action=[article.pk]
        )


def test_a_publish_through_one_server_reaches_readers_through_varnish_at_once(
    engines,
):
    server_a, server_b = engines.servers
    section = make_section(name="Hafen", slug="hafen")
    other = make_article(section=make_section(name="Wetter", slug="wetter"))
    draft = make_draft(section=section, headline="Neue Fähre für die Insel")
    article_url = f"{engines.edge}/hafen/{draft.slug}/"
    # Readers have the section, the home page and another story in Varnish.
    for url in ("/hafen/", "/", other.get_absolute_url()):
        get(f"{engines.edge}{url}")
    status, headers, text = get(f"{engines.edge}/hafen/")
    assert headers["X-Edge-Cache"] == "HIT"
    assert draft.headline not in text
    assert get(article_url)[0] == 404
    editor = Editor(server_a)

    assert editor.run_action("publish", draft) == 200

    shown = read_until(article_url, lambda status, text: status == 200, 1)
    assert shown is not None, "nach 1 s nicht zu sehen"
    status, headers, text = shown[1]
    assert headers["X-Edge-Cache"] == "MISS"
    assert f"article:{draft.pk}" in headers["xkey"].split()
    assert headers["xkey"] == headers["Surrogate-Key"]
    # The lists that show it follow within the same second, a moment after
    # the article page: Varnish never keeps the article's 404, so Django
    # answers it the instant the change commits, while the kept lists wait
    # for the worker's purge (0.05–0.2 s here, seen in the edge's answers:
    # HIT of the old list, then MISS with the new one).
    for url in ("/hafen/", "/"):
        assert read_until(
            f"{engines.edge}{url}", lambda status, text: draft.headline in text, 1
        ), f"{url}: nach 1 s nicht zu sehen"
    # What the change doesn't show stays in Varnish, for every reader.
    assert get(f"{engines.edge}{other.get_absolute_url()}")[1]["X-Edge-Cache"] == "HIT"
    with_a_cookie = urllib.request.build_opener()
    with_a_cookie.addheaders = [("Cookie", "_ga=GA1.2.3")]
    headers = get(f"{engines.edge}{other.get_absolute_url()}", with_a_cookie)[1]
    assert headers["X-Edge-Cache"] == "HIT"

    editor.run_action("withdraw", draft)

    # The article page too may come from Django before the purge: the
    # publish's repeated purge had taken it out of Varnish.
    assert read_until(article_url, lambda status, text: status == 404, 1)
    assert read_until(
        f"{engines.edge}/hafen/", lambda status, text: draft.headline not in text, 1
    ), "/hafen/: nach 1 s noch zu sehen"
    # Readers never see the keys, and staff pass Varnish.
    assert "xkey" not in get(f"{server_b}/hafen/")[1]
    assert get(f"{engines.edge}/admin/", editor.opener)[1]["X-Edge-Cache"] == "PASS"


def test_an_eilmeldung_reaches_readers_within_a_second_and_leaves_on_time(engines):
    editor = Editor(engines.servers[0])
    get(f"{engines.edge}/")
    assert get(f"{engines.edge}/")[1]["X-Edge-Cache"] == "HIT"
    # Far enough ahead for a slow save to start it before its end.
    ends_at = timezone.localtime() + timedelta(seconds=8)

    editor.post(
        "/admin/live/eilmeldung/add/",
        text="Eilmeldung: Sturmflut an der Nordsee erwartet",
        ends_at_0=ends_at.strftime("%d.%m.%Y"),
        ends_at_1=ends_at.strftime("%H:%M:%S"),
        _save="Sichern",
    )

    shown = read_until(
        f"{engines.edge}/", lambda status, text: "Sturmflut an der Nordsee" in text, 1
    )
    assert shown is not None, "nach 1 s nicht zu sehen"
    # Nobody ends it: its set end (whole seconds) is the clock's change.
    gone = read_until(
        f"{engines.edge}/",
        lambda status, text: "Sturmflut an der Nordsee" not in text,
        15,
    )
    assert gone is not None
    ended = ends_at.replace(microsecond=0)
    assert (timezone.now() - ended).total_seconds() < 1


def test_a_ticker_entry_reaches_readers_polling_through_varnish_within_a_second(
    engines,
):
    ticker = make_ticker()
    ticker.refresh_from_db()
    poll = f"{engines.edge}/liveticker/{ticker.pk}/neu/?seit={ticker.revision}"
    get(poll)
    assert get(poll)[1]["X-Edge-Cache"] == "HIT"

    # An app server's save, as the desk's: the purge is a job after commit.
    with override_settings(VARNISH_PURGE_URLS=[engines.edge]):
        make_entry(ticker, text="<p>Die Fähre hat angelegt.</p>")

    shown = read_until(poll, lambda status, text: "Die Fähre hat angelegt." in text, 1)
    assert shown is not None, "nach 1 s nicht zu sehen"
    assert shown[1][1]["X-Edge-Cache"] == "MISS"


def in_block(block, headline):
    """Whether the front page's `block` shows `headline` (the article may
    also stand in other lists of the page)."""

    def wanted(status, text):
        opening = text.find(f'aria-labelledby="block-{block.pk}"')
        return (
            opening != -1
            and headline in text[opening : text.find("</section>", opening)]
        )

    return wanted


def test_the_desks_front_page_reaches_readers_through_varnish_within_a_second(
    engines,
):
    first = make_article(headline="Deichbau beginnt im Frühjahr")
    second = make_article(headline="Leuchtturm wird Museum")
    planned = make_article(headline="Neue Brücke über die Förde")
    version = make_version()
    # One teaser: a block with room to spare fills it with the newest.
    block = make_block(version, kind=BlockKind.LEAD, placed=[first], count=1)
    get(f"{engines.edge}/")
    status, headers, text = get(f"{engines.edge}/")
    assert headers["X-Edge-Cache"] == "HIT"
    assert not in_block(block, second.headline)(status, text)

    # The desk's saves on an app server: each purge is a job after commit.
    with override_settings(VARNISH_PURGE_URLS=[engines.edge]):
        version.placements.create(block=block, article=second, position=0)
        # A version planned for a moment ahead, which nobody starts.
        starts_at = timezone.now() + timedelta(seconds=6)
        later = make_version(name="Mittagsausgabe", starts_in=timedelta(seconds=6))
        later_block = make_block(later, kind=BlockKind.LEAD, placed=[planned], count=1)

    shown = read_until(f"{engines.edge}/", in_block(block, second.headline), 1)
    assert shown is not None, "Platzierung nach 1 s nicht zu sehen"
    # Its start is the clock's change: nobody starts it, no purge is sent.
    started = read_until(
        f"{engines.edge}/", in_block(later_block, planned.headline), 15
    )
    assert started is not None
    assert (timezone.now() - starts_at).total_seconds() < 1
