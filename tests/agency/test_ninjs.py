import json
from datetime import UTC, datetime, timedelta

from django.test import SimpleTestCase

from agency.ninjs import NinjsError, parse
from tests.agency.factories import SAMPLES


def sample(name):
    return json.loads((SAMPLES / name).read_text())


class NinjsParsingTests(SimpleTestCase):
    def test_an_item_gives_what_the_desk_reads(self):
        item = parse(sample("haushalt_v1.json"))

        self.assertEqual(
            item.guid, "urn:newsml:newsroom.test:20261203:haushalt-auenland"
        )
        self.assertEqual(item.version, 1)
        self.assertEqual(item.urgency, 3)
        self.assertEqual(item.headline, "Auenland streitet über neuen Haushalt")
        self.assertTrue(item.lead.startswith("Die Landesregierung will 200 Millionen"))
        self.assertEqual(
            item.version_created_at,
            datetime(2026, 12, 3, 8, 15, tzinfo=UTC),
        )
        self.assertEqual(
            [subject["name"] for subject in item.subjects], ["Politik", "Haushalt"]
        )
        self.assertEqual(item.rights, "dpa · Nur zur redaktionellen Verwendung.")
        self.assertEqual(item.unknown_fields, [])

    def test_the_body_goes_through_the_article_bodys_sanitiser(self):
        item = parse(sample("haushalt_v1.json"))

        self.assertIn("<p>Finanzministerin Petra Lindner", item.body)
        self.assertNotIn("script", item.body)

    def test_a_plain_text_body_becomes_paragraphs_and_gives_the_lead(self):
        item = parse(sample("unbekannte_felder.json"))

        self.assertEqual(
            item.body,
            "<p>Auenstadt (dpa) - In der Nacht sinken die Temperaturen unter null "
            "Grad.</p><p>Autofahrer sollen mit Glätte rechnen.</p>",
        )
        self.assertTrue(item.lead.startswith("Auenstadt (dpa) - In der Nacht"))

    def test_unknown_fields_are_named(self):
        item = parse(sample("unbekannte_felder.json"))

        self.assertEqual(item.unknown_fields, ["wetterstation", "x_redaktionsfarbe"])

    def test_an_embargo_and_an_editorial_note_are_read(self):
        embargoed = parse(sample("sport_sperrfrist.json"))
        corrected = parse(sample("haushalt_v3_korrektur.json"))

        self.assertEqual(
            embargoed.embargoed_until,
            datetime(2036, 6, 1, 16, 0, tzinfo=UTC),
        )
        self.assertTrue(corrected.note.startswith("Korrektur: Im zweiten Absatz"))
        # The note is no lead.
        self.assertTrue(corrected.lead.startswith("Die Landesregierung"))

    def test_ninjs_1_body_html_is_read_too(self):
        data = {"uri": "urn:x", "headline": "Kurz", "body_html": "<p>Text</p>"}

        self.assertEqual(parse(data).body, "<p>Text</p>")

    def test_unreadable_items_are_refused_with_a_german_reason(self):
        base = sample("haushalt_v1.json")
        cases = [
            ([], "Keine ninjs-Meldung"),
            ({**base, "uri": ""}, "keine Kennung"),
            ({**base, "headlines": []}, "Die Überschrift fehlt"),
            ({**base, "type": "picture"}, "Art „picture“ wird nicht übernommen"),
            ({**base, "version": "zwei"}, "Die Version „zwei“ ist keine Zahl"),
            ({**base, "version": 0}, "mindestens 1"),
            ({**base, "urgency": 12}, "zwischen 1 und 9"),
            ({**base, "embargoed": "morgen früh"}, "„embargoed“ ist keine gültige"),
            ({**base, "pubstatus": "geheim"}, "Unbekannter Status „geheim“"),
            ({**base, "uri": "u" * 301}, "zu lang"),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesMessage(NinjsError, message):
                    parse(data)

    def test_a_time_without_offset_is_german_time(self):
        data = {**sample("haushalt_v1.json"), "versioncreated": "2026-07-01T12:00:00"}

        moment = parse(data).version_created_at

        self.assertEqual(moment.utcoffset(), timedelta(hours=2))
