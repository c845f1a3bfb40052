from datetime import timedelta

from django.template import Context, Template
from django.test import TestCase
from django.utils import timezone

from tests.factories import make_creative, make_slot


def render_slot(key):
    return Template("{% load ads %}{% ad_slot key %}").render(Context({"key": key}))


class AdSlotTagTests(TestCase):
    def test_active_creative_is_labelled_and_reserves_the_slot_size(self):
        slot = make_slot(key="header", width=728, height=90)
        make_creative(
            slot=slot, alt_text="Frühbucher-Rabatt", target_url="https://example.org/a"
        )

        html = render_slot("header")

        self.assertIn('<p class="ad-slot__label">Anzeige</p>', html)
        self.assertIn('width="728" height="90"', html)
        self.assertIn('alt="Frühbucher-Rabatt"', html)
        self.assertIn('href="https://example.org/a"', html)
        self.assertIn('rel="sponsored noopener"', html)

    def test_slot_without_creative_renders_nothing(self):
        make_slot(key="header")

        self.assertEqual(render_slot("header").strip(), "")

    def test_unknown_slot_renders_nothing(self):
        self.assertEqual(render_slot("gibt-es-nicht").strip(), "")

    def test_creatives_outside_their_window_or_switched_off_are_not_shown(self):
        slot = make_slot(key="article-end-1")
        now = timezone.now()
        make_creative(slot=slot, active_from=now + timedelta(days=1))
        make_creative(
            slot=slot,
            active_from=now - timedelta(days=2),
            active_until=now - timedelta(days=1),
        )
        make_creative(slot=slot, is_active=False)

        self.assertEqual(render_slot("article-end-1").strip(), "")

    def test_slots_below_the_fold_load_lazily(self):
        make_creative(slot=make_slot(key="article-end-1"))
        make_creative(slot=make_slot(key="header"))

        self.assertIn('loading="lazy"', render_slot("article-end-1"))
        self.assertNotIn('loading="lazy"', render_slot("header"))
