"""What the article form shows a journalist of the article as it will stand:
boxes and the inline ad where the page puts them, sections by full path,
the lead counted against its target, crops cut by the renditions' rule, and
the form's queries, which stay the same however many sections there are."""

import json

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from articles.admin.forms import BODY_EDITOR_EXTENSIONS
from articles.models import Article, Section
from images.renditions import crop_box
from tests.articles.test_article_form import ADD_URL, change_url, input_tag
from tests.factories import (
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_section,
    make_staff,
    make_topic_box,
)

LAYOUT_URL = reverse("admin:articles_article_layout")
CROPS_URL = reverse("admin:articles_article_crops")
AD_MANAGER = "Anzeigenverwaltung"
FOUR_PARAGRAPHS = "".join(f"<p>Absatz {n}.</p>" for n in range(1, 5))

# The article form's queries, measured with one topic box on the article,
# after a first request has filled the process's caches. With the section as
# an autocomplete field (before it was offered by path) they were 8 and 25:
# the add form now reads all sections in one query, the change form reads
# them all instead of the chosen one. The change form asks once more whether
# the article came from an agency (agency's TakeoverInline) and reads the
# gallery's pictures (galleries' inline).
ADD_FORM_QUERIES = 10
CHANGE_FORM_QUERIES = 28
# The outline's and the crop previews' answers read nothing but the session,
# the user, their second factor and permissions.
LAYOUT_QUERIES = 5


def option_labels(response, name):
    html = response.content.decode()
    select = html[html.index(f'<select name="{name}"') :]
    select = select[: select.index("</select>")]
    return [
        label.split(">", 1)[1].split("<", 1)[0] for label in select.split("<option")[1:]
    ]


class SectionsByPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=news)
        make_section(name="Wirtschaft", slug="wirtschaft", parent=news)
        lokales = make_section(name="Lokales", slug="lokales", position=0)
        make_section(name="Politik", slug="politik", parent=lokales)
        make_section(name="Bezirke", slug="bezirke", parent=cls.politik)

    def test_each_section_is_labelled_by_its_full_path_and_sorted_by_it(self):
        with self.assertNumQueries(1):
            sections = Section.objects.labelled_by_path()

        self.assertEqual(
            [section.full_name for section in sections],
            [
                "Lokales",
                "Lokales › Politik",
                "News",
                "News › Politik",
                "News › Politik › Bezirke",
                "News › Wirtschaft",
            ],
        )

    def test_sections_above_those_chosen_are_read_for_their_names(self):
        below_news = Section.objects.filter(path__startswith="news/politik")

        with self.assertNumQueries(2):
            sections = below_news.labelled_by_path()

        self.assertEqual(
            [section.full_name for section in sections],
            ["News › Politik", "News › Politik › Bezirke"],
        )

    def test_the_article_form_offers_the_sections_by_path(self):
        self.client.force_login(make_journalist())

        response = self.client.get(ADD_URL)

        self.assertEqual(
            option_labels(response, "section")[1:],
            [
                "Lokales",
                "Lokales › Politik",
                "News",
                "News › Politik",
                "News › Politik › Bezirke",
                "News › Wirtschaft",
            ],
        )

    def test_the_article_list_filters_by_full_path(self):
        self.client.force_login(make_desk_editor())

        response = self.client.get(reverse("admin:articles_article_changelist"))

        self.assertContains(response, "Lokales › Politik")
        self.assertContains(response, "News › Politik › Bezirke")


class ArticleFormQueryTests(TestCase):
    def setUp(self):
        self.journalist = make_journalist()
        self.client.force_login(self.journalist)
        self.article = make_draft(created_by=self.journalist)
        make_topic_box(self.article, make_article(), after_paragraph=2)
        self.client.get(ADD_URL)

    def test_the_add_form_runs_a_fixed_number_of_queries(self):
        with self.assertNumQueries(ADD_FORM_QUERIES):
            self.client.get(ADD_URL)
        for number in range(30):
            make_section(name=f"Ressort {number}")
        with self.assertNumQueries(ADD_FORM_QUERIES):
            self.client.get(ADD_URL)

    def test_the_change_form_runs_a_fixed_number_of_queries(self):
        with self.assertNumQueries(CHANGE_FORM_QUERIES):
            self.client.get(change_url(self.article))
        for number in range(30):
            make_section(name=f"Ressort {number}")
        with self.assertNumQueries(CHANGE_FORM_QUERIES):
            self.client.get(change_url(self.article))


class InlineAdPlaceTests(TestCase):
    def test_the_inline_ad_follows_the_third_paragraph_when_text_follows(self):
        parts = Article(body=FOUR_PARAGRAPHS).body_parts([])

        self.assertEqual(
            [inline_ad for _, _, inline_ad in parts], [False, False, True, False, False]
        )

    def test_no_inline_ad_in_a_text_of_two_paragraphs(self):
        parts = Article(body="<p>1</p><p>2</p><h2>Zum Schluss</h2>").body_parts([])

        self.assertFalse(any(inline_ad for _, _, inline_ad in parts))


class BodyLayoutTests(TestCase):
    def setUp(self):
        self.client.force_login(make_journalist())

    def layout(self, body, *positions):
        response = self.client.post(
            LAYOUT_URL, {"body": body, "after_paragraph": list(positions)}
        )
        self.assertEqual(response.status_code, 200)
        return json.loads(response.content)["parts"]

    def test_boxes_and_the_inline_ad_stand_where_the_page_puts_them(self):
        parts = self.layout(FOUR_PARAGRAPHS, "1", "3", "9")

        self.assertEqual(
            [(part["boxes"], part["inline_ad"]) for part in parts],
            [([0], False), ([], False), ([1], True), ([], False), ([2], False)],
        )
        self.assertEqual(parts[0]["markup"], "<p>Absatz 1.</p>")

    def test_the_layout_matches_the_saved_articles_own_parts(self):
        article = make_article(body=FOUR_PARAGRAPHS + "<h2>Zum Schluss</h2>")
        box = make_topic_box(article, make_article(), after_paragraph=2)

        parts = self.layout(article.body, "2")

        self.assertEqual(
            [(part["markup"], part["boxes"], part["inline_ad"]) for part in parts],
            [
                (markup, [0] * len(boxes), inline_ad)
                for markup, boxes, inline_ad in article.body_parts([box])
            ],
        )

    def test_the_text_is_placed_as_it_will_be_saved(self):
        parts = self.layout('<p>Eins<script>alert("x")</script></p><p>Zwei</p>')

        self.assertEqual(parts[0]["markup"], "<p>Eins</p>")

    def test_a_box_without_a_valid_number_yet_is_not_placed(self):
        parts = self.layout(FOUR_PARAGRAPHS, "", "0", "zwei", "2")

        self.assertEqual([part["boxes"] for part in parts], [[], [3], [], [], []])

    def test_the_layout_runs_only_the_sign_in_queries(self):
        self.layout(FOUR_PARAGRAPHS, "1")

        with self.assertNumQueries(LAYOUT_QUERIES):
            self.layout(FOUR_PARAGRAPHS * 20, "1", "2", "3")

    def test_only_a_post_is_answered(self):
        self.assertEqual(self.client.get(LAYOUT_URL).status_code, 405)

    def test_people_who_cannot_write_articles_are_refused(self):
        self.client.force_login(make_staff(AD_MANAGER))

        response = self.client.post(LAYOUT_URL, {"body": FOUR_PARAGRAPHS})

        self.assertEqual(response.status_code, 403)

    def test_signed_out_visitors_are_sent_to_the_login(self):
        self.client.logout()

        response = self.client.post(LAYOUT_URL, {"body": FOUR_PARAGRAPHS})

        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_the_body_field_names_the_layout_address(self):
        response = self.client.get(ADD_URL)

        self.assertIn(f'data-layout-url="{LAYOUT_URL}"', input_tag(response, "body"))
        self.assertContains(response, "articles/admin/body_layout")


class CropPreviewTests(TestCase):
    def setUp(self):
        self.client.force_login(make_journalist())

    def crops(self, **query):
        return self.client.get(CROPS_URL, query)

    def test_the_crops_are_cut_by_the_renditions_rule(self):
        response = self.crops(breite="1600", hoehe="900", x="0.1", y="0.5")

        self.assertEqual(
            json.loads(response.content)["crops"],
            [
                {"name": "16x9", "box": [0, 0, 1600, 900]},
                {"name": "4x3", "box": [0, 0, 1200, 900]},
                {"name": "1x1", "box": [0, 0, 900, 900]},
            ],
        )
        self.assertEqual(
            list(crop_box((1600, 900), (1, 1), (0.9, 0.5))),
            json.loads(self.crops(breite=1600, hoehe=900, x=0.9, y=0.5).content)[
                "crops"
            ][2]["box"],
        )

    def test_the_crops_run_only_the_sign_in_queries(self):
        self.crops(breite="1600", hoehe="900", x="0.5", y="0.5")

        with self.assertNumQueries(LAYOUT_QUERIES):
            self.crops(breite="1600", hoehe="900", x="0.2", y="0.7")

    def test_a_missing_or_impossible_point_is_refused_in_german(self):
        for query in [
            {},
            {"breite": "1600", "hoehe": "900", "x": "links", "y": "0.5"},
            {"breite": "1600", "hoehe": "900", "x": "1.5", "y": "0.5"},
            {"breite": "0", "hoehe": "900", "x": "0.5", "y": "0.5"},
        ]:
            response = self.crops(**query)
            self.assertEqual(response.status_code, 400, query)
            self.assertIn("Bildgröße", json.loads(response.content)["error"])

    def test_people_who_cannot_write_articles_are_refused(self):
        self.client.force_login(make_staff(AD_MANAGER))

        response = self.crops(breite="1600", hoehe="900", x="0.5", y="0.5")

        self.assertEqual(response.status_code, 403)

    def test_the_focal_point_names_the_crops_address(self):
        response = self.client.get(ADD_URL)

        self.assertIn(
            f'data-crops-url="{CROPS_URL}"', input_tag(response, "image_focal_x")
        )


class CountersAndToolbarTests(TestCase):
    def test_the_lead_is_counted_against_a_target_of_300(self):
        self.client.force_login(make_journalist())

        lead = input_tag(self.client.get(ADD_URL), "lead")

        self.assertIn('data-target-length="300"', lead)
        self.assertNotIn("data-publish-limit", lead)

    def test_the_body_editor_has_a_subheading_button(self):
        self.assertIn("SubheadingButton", BODY_EDITOR_EXTENSIONS)
        (extensions,) = settings.DJANGO_PROSE_EDITOR_EXTENSIONS
        self.assertIn("SubheadingButton", extensions["extensions"])
        self.assertTrue(
            any("prose_editor_subheading" in str(js) for js in extensions["js"])
        )
