"""Ad slots target the page they are told about, never what a template
happens to call its variables."""

from django.template import Context, RequestContext, Template
from django.test import RequestFactory, TestCase

from tests.factories import make_article, make_section


def render(source, context):
    return Template("{% load ads %}" + source).render(context)


class SlotTargetingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Sport")
        cls.article = make_article(section=cls.section, tags=["Fußball"])
        cls.tag = cls.article.tag_list[0]
        cls.ad_free = make_article(section=cls.section, is_ad_free=True)

    def test_context_variables_alone_target_nothing(self):
        html = render(
            '{% ad_slot "header" %}',
            Context({"article": self.ad_free, "section": self.section}),
        )

        self.assertIn("slot=header section= tags=-->", html)

    def test_the_article_named_gives_its_section_and_tags(self):
        html = render('{% ad_slot "header" article=a %}', Context({"a": self.article}))

        self.assertIn(f"section={self.section.path} tags={self.tag.pk}-->", html)

    def test_a_section_or_tag_named_is_the_target(self):
        context = Context({"s": self.section, "t": self.tag})

        self.assertIn(
            f"section={self.section.path} tags=-->",
            render('{% ad_slot "sidebar" section=s %}', context),
        )
        self.assertIn(
            f"section= tags={self.tag.pk}-->",
            render('{% ad_slot "header" tag=t %}', context),
        )

    def test_later_slots_of_a_request_keep_the_page_named_first(self):
        context = RequestContext(RequestFactory().get("/"), {"a": self.article})

        html = render(
            '{% ad_slot "header" article=a %}'
            '{% ad_slot_or "related-sponsored" %}Karte{% end_ad_slot_or %}',
            context,
        )

        self.assertEqual(html.count(f"section={self.section.path} tags="), 2)

    def test_an_ad_free_article_leaves_every_slot_of_the_request_empty(self):
        context = RequestContext(RequestFactory().get("/"), {"a": self.ad_free})

        html = render(
            '{% ad_slot "header" article=a %}{% ad_slot "sidebar" %}'
            '{% ad_slot_or "related-sponsored" %}Karte{% end_ad_slot_or %}',
            context,
        )

        self.assertEqual(html, "Karte")
