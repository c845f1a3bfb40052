from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from ads.models import Creative
from tests.factories import image_file, make_creative, make_slot


class CreativeTests(TestCase):
    def test_target_must_be_https(self):
        creative = Creative(
            slot=make_slot(),
            name="Alt",
            image=image_file("motiv.png", size=(300, 250), fmt="PNG"),
            alt_text="Motiv",
            target_url="http://example.org/",
        )

        with self.assertRaisesMessage(ValidationError, "https://"):
            creative.full_clean()

    def test_window_must_end_after_it_starts(self):
        now = timezone.now()
        creative = make_creative()
        creative.active_from, creative.active_until = now, now - timedelta(hours=1)

        with self.assertRaisesMessage(
            ValidationError, "„Aktiv bis“ muss nach „Aktiv ab“ liegen."
        ):
            creative.full_clean()

    def test_newest_booking_wins_a_slot(self):
        slot = make_slot(key="sidebar")
        make_creative(
            slot=slot, name="Älter", active_from=timezone.now() - timedelta(days=2)
        )
        newer = make_creative(
            slot=slot, name="Neuer", active_from=timezone.now() - timedelta(days=1)
        )

        self.assertEqual(Creative.objects.servable_in("sidebar").first(), newer)
