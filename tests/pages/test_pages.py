"""Impressum, Datenschutz and Kontakt: editable pages every footer links to."""

from django.test import TestCase, override_settings
from django.urls import reverse
from reversion import create_revision, set_user
from reversion.models import Version

from pages.models import Page
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_article,
    make_page,
    make_staff,
)

HOST = "www.newsroom-zeitung.de"


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ReadingPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()
        cls.imprint = make_page(
            title="Impressum",
            slug="impressum",
            position=1,
            body="<p>Newsroom Verlag, Hafenstraße 12</p>",
        )
        cls.contact = make_page(title="Kontakt", slug="kontakt", position=2)

    def get(self, url):
        return self.client.get(url, HTTP_HOST=HOST)

    def test_a_page_shows_its_title_and_text(self):
        response = self.get("/info/impressum/")

        self.assertContains(response, "<h1>Impressum</h1>", html=True)
        self.assertContains(response, "Newsroom Verlag, Hafenstraße 12")

    def test_an_unknown_page_is_not_found(self):
        self.assertEqual(self.get("/info/agb/").status_code, 404)

    def test_every_footer_links_the_pages_and_the_statistics(self):
        for url in ["/", self.article.get_absolute_url(), "/info/kontakt/"]:
            with self.subTest(url=url):
                response = self.get(url)
                footer = response.content.decode().split('class="site-footer"')[1]
                links = [
                    ('href="/info/impressum/"', "Impressum"),
                    ('href="/info/kontakt/"', "Kontakt"),
                    ('href="/statistik/"', "Statistik"),
                ]
                positions = [footer.index(f"{href}>{text}<") for href, text in links]
                self.assertEqual(positions, sorted(positions))

    def test_statistics_are_no_longer_beside_the_ressorts(self):
        header = self.get("/").content.decode().split("</header>")[0]

        self.assertNotIn("/statistik/", header)

    def test_the_text_keeps_only_what_an_article_body_may_hold(self):
        self.imprint.body = '<p onclick="x()">Text</p><script>alert(1)</script>'
        self.imprint.save()

        self.assertEqual(Page.objects.get(pk=self.imprint.pk).body, "<p>Text</p>")

    def test_a_page_reads_few_rows(self):
        url = "/info/impressum/"
        self.get(url)
        self.imprint.save()
        # The page cache's stamps and its clocks (six), the page, and one
        # statement for each of the four stored parts of every page (head
        # links, header with the Ressorts, Eilmeldung, footer): each asks
        # whether what it shows has changed, and is not rendered again.
        with self.assertNumQueries(11):
            self.assertEqual(self.get(url)["X-Cache"], "MISS")


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class StoredPagesTests(TestCase):
    """A change retires exactly the stored pages that show it."""

    @classmethod
    def setUpTestData(cls):
        cls.imprint = make_page(title="Impressum", slug="impressum")
        make_article(headline="Hafenfest wird verlegt")

    def get(self, url):
        return self.client.get(url, HTTP_HOST=HOST)

    def stored(self, *urls):
        for url in urls:
            self.get(url)
            self.assertEqual(self.get(url)["X-Cache"], "HIT", url)

    def test_a_new_text_retires_its_own_page_only(self):
        self.stored("/", "/info/impressum/")

        self.imprint.body = "<p>Neue Anschrift: Kaistraße 3</p>"
        self.imprint.save()

        self.assertContains(self.get("/info/impressum/"), "Kaistraße 3")
        self.assertEqual(self.get("/")["X-Cache"], "HIT")

    def test_a_new_title_retires_every_page_with_the_footer(self):
        self.stored("/", "/info/impressum/")

        self.imprint.title = "Impressum und Verantwortliche"
        self.imprint.save()

        self.assertContains(self.get("/"), "Impressum und Verantwortliche")

    def test_a_new_page_appears_in_every_footer(self):
        self.stored("/")

        make_page(title="Kontakt", slug="kontakt")

        self.assertContains(self.get("/"), 'href="/info/kontakt/"')

    def test_a_deleted_page_leaves_every_footer(self):
        self.stored("/", "/info/impressum/")

        self.imprint.delete()

        self.assertNotContains(self.get("/"), 'href="/info/impressum/"')
        self.assertEqual(self.get("/info/impressum/").status_code, 404)


class EditingPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = make_page(title="Datenschutzerklärung", slug="datenschutz")
        cls.desk = make_staff(DESK_EDITOR)

    def change_url(self):
        return reverse("admin:pages_page_change", args=[self.page.pk])

    def form_data(self, **overrides):
        data = {
            "title": self.page.title,
            "slug": self.page.slug,
            "body": self.page.body,
            "position": 0,
        }
        data.update(overrides)
        return data

    def test_the_desk_edits_a_page_and_readers_see_it(self):
        self.client.force_login(self.desk)

        response = self.client.post(
            self.change_url(), self.form_data(body="<p>Wir speichern nichts.</p>")
        )

        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertContains(self.client.get("/info/datenschutz/"), "speichern nichts")

    def test_journalists_may_not_open_the_pages(self):
        self.client.force_login(make_staff(JOURNALIST))

        for url in (reverse("admin:pages_page_changelist"), self.change_url()):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_an_address_taken_twice_is_refused_in_german_and_nothing_is_saved(self):
        make_page(title="Kontakt", slug="kontakt")
        self.client.force_login(self.desk)

        response = self.client.post(
            self.change_url(), self.form_data(title="Neu", slug="kontakt")
        )

        self.assertContains(response, "Unter dieser Adresse steht schon eine Seite.")
        self.assertEqual(
            Page.objects.get(pk=self.page.pk).title, "Datenschutzerklärung"
        )

    def test_restoring_an_earlier_version_brings_the_old_text_back(self):
        with create_revision():
            set_user(self.desk)
            self.page.body = "<p>Erste Fassung</p>"
            self.page.save()
        with create_revision():
            set_user(self.desk)
            self.page.body = "<p>Zweite Fassung</p>"
            self.page.save()
        first = Version.objects.get_for_object(self.page).last()

        first.revision.revert()

        self.assertContains(self.client.get("/info/datenschutz/"), "Erste Fassung")

    def test_the_list_reads_few_rows(self):
        make_page(title="Kontakt", slug="kontakt")
        self.client.force_login(self.desk)
        url = reverse("admin:pages_page_changelist")
        self.client.get(url)

        # Session, person, two-factor devices (twice), permissions (two),
        # two counts, the pages, and the transaction's savepoint pair: as
        # many for two pages as for two hundred.
        with self.assertNumQueries(11):
            self.assertEqual(self.client.get(url).status_code, 200)
