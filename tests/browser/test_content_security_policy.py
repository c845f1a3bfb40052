"""Pages work in chromium under their Content Security Policy, unviolated."""

from django.db.models import Sum
from django.urls import reverse

from ads.models import AdEvent, CountReason, EventCount
from readership.models import DailyArticleViews
from tests.browser.base import BrowserTestCase, wait_for
from tests.browser.test_ads import READER_AGENT
from tests.factories import (
    image_file,
    make_article,
    make_creative,
    make_editor,
    make_native_slot,
    make_section,
    make_slot,
    make_staff,
    make_topic_box,
)

PASSWORD = "Pressefreiheit-2026"
# Runs before any script of the page: every violation, reported or not in
# the console, ends up in this list.
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class ContentSecurityPolicyInBrowserTests(BrowserTestCase):
    maxDiff = None

    def setUp(self):
        news = make_section(name="News", slug="news")
        self.politik = make_section(name="Politik", slug="politik", parent=news)
        self.article = make_article(
            section=self.politik,
            kicker="Nach Jahren der Funkstille",
            headline="Nachbarländer vereinbaren neue Gespräche",
            body="".join(f"<p>Absatz {n}.</p>" for n in range(1, 6)),
            image=image_file(size=(1600, 900)),
            image_alt="Verhandlungstisch",
            image_credit="Newsroom/Lea Brandt",
            tags=["Diplomatie"],
        )
        make_topic_box(
            self.article,
            make_article(section=self.politik, headline="Der lange Streit"),
            after_paragraph=2,
        )
        for number in range(3):
            make_article(headline=f"Diplomaten erwarten {number}", tags=["Diplomatie"])
        for key, width, height in [
            ("header", 728, 90),
            ("article-inline", 300, 250),
            ("article-end-1", 300, 250),
            ("sidebar", 300, 250),
        ]:
            make_creative(
                slot=make_slot(key=key, width=width, height=height),
                image=image_file("motiv.png", size=(width, height), fmt="PNG"),
            )
        make_creative(slot=make_native_slot())

    def open_watched(self, page, url):
        page.goto(f"{self.live_server_url}{url}", wait_until="load")
        page.wait_for_load_state("networkidle")
        return page.evaluate("window.cspViolations")

    def watched_page(self, page=None, **context_options):
        page = page or self.new_page(**context_options)
        page.context.add_init_script(COLLECT_VIOLATIONS)
        console = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and console.append(message.text)
            ),
        )
        return page, console

    def test_reader_pages_run_their_scripts_without_a_violation(self):
        page, console = self.watched_page(user_agent=READER_AGENT)
        urls = [
            reverse("articles:front_page"),
            self.politik.get_absolute_url(),
            reverse("articles:tag_detail", kwargs={"slug": "diplomatie"}),
            f"{reverse('articles:search')}?q=Gespräche",
            "/gibt-es-nicht/",
            self.article.get_absolute_url(),
        ]

        violations = {url: self.open_watched(page, url) for url in urls}

        self.assertEqual(violations, {url: [] for url in urls})
        self.assertEqual(console, [])
        # The view counter and the ad script still ran on the article page.
        self.assertTrue(
            wait_for(lambda: DailyArticleViews.objects.filter(views=1).exists())
        )
        self.assertTrue(
            wait_for(
                lambda: EventCount.objects.filter(
                    event=AdEvent.SERVED, reason=CountReason.COUNTED
                ).aggregate(total=Sum("count"))["total"]
            )
        )
        # JSON-LD is data, not script: no nonce needed, nothing blocked.
        self.assertEqual(page.locator("script[type='application/ld+json']").count(), 2)

    def test_admin_pages_load_without_a_violation(self):
        editor = make_editor(username="chefin")
        editor.set_password(PASSWORD)
        editor.save()
        signed_out, signed_out_console = self.watched_page()
        login_violations = self.open_watched(signed_out, reverse("admin:login"))
        page, console = self.watched_page(self.log_in("chefin", PASSWORD))
        urls = [
            reverse("admin:index"),
            reverse("admin:two_factor"),
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_add"),
            reverse("admin:articles_article_history", args=[self.article.pk]),
            reverse("admin:ads_campaign_add"),
            reverse("admin:ads_creative_changelist"),
            reverse("admin:ads_campaign_report"),
        ]

        violations = {url: self.open_watched(page, url) for url in urls}

        self.assertEqual(login_violations, [])
        self.assertEqual(signed_out_console, [])
        self.assertEqual(violations, {url: [] for url in urls})
        self.assertEqual(console, [])

    def test_the_article_form_works_under_the_admin_policy(self):
        make_staff("Chef/in vom Dienst", password=PASSWORD, username="cvd")
        page, console = self.watched_page(self.log_in("cvd", PASSWORD))
        url = reverse("admin:articles_article_change", args=[self.article.pk])

        violations = self.open_watched(page, url)
        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        editor.click()
        page.keyboard.press("End")
        page.keyboard.type(" Nachtrag.")
        page.select_option("#id_section", label="News › Politik")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")

        self.assertEqual(violations, [])
        self.assertEqual(page.evaluate("window.cspViolations"), [])
        self.assertEqual(console, [])
        self.article.refresh_from_db()
        self.assertIn("Nachtrag.", self.article.body)
