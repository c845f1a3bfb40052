"""Which articles each block shows: placed first, the rest the newest of its
source, each article once per front, no hole when a placed one goes."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from articles.models import Correction, CorrectionKind
from fronts.filling import fill
from fronts.models import Block, BlockKind, Front, TeaserLabel
from tests.factories import make_article, make_scheduled, make_section, make_slot
from tests.fronts.factories import make_block, make_version


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


def shown(version):
    """{block heading: [headlines]} as the front shows them."""
    return {
        block.heading: [teaser.article.headline for teaser in teasers]
        for block, teasers in fill(version)
    }


class FillingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.sport = make_section(name="Sport", slug="sport")
        cls.oldest = make_article(
            section=cls.politik, headline="Alt", published_at=ago(5)
        )
        cls.older = make_article(
            section=cls.sport, headline="Älter", published_at=ago(4)
        )
        cls.old = make_article(
            section=cls.news, headline="Mittel", published_at=ago(3), tags=["Hitze"]
        )
        cls.new = make_article(
            section=cls.sport, headline="Neu", published_at=ago(2), tags=["Hitze"]
        )
        cls.newest = make_article(
            section=cls.politik, headline="Neuest", published_at=ago(1)
        )

    def setUp(self):
        self.version = make_version()

    def test_an_empty_block_shows_the_newest_articles(self):
        make_block(self.version, title="Top", count=3)

        self.assertEqual(shown(self.version), {"Top": ["Neuest", "Neu", "Mittel"]})

    def test_placed_articles_come_first_in_their_order_then_the_newest(self):
        make_block(self.version, title="Top", count=3, placed=[self.oldest, self.old])

        self.assertEqual(shown(self.version), {"Top": ["Alt", "Mittel", "Neuest"]})

    def test_a_ressort_block_shows_its_ressort_and_those_below(self):
        make_block(self.version, BlockKind.SECTION, section=self.news, count=5)

        self.assertEqual(shown(self.version), {"News": ["Neuest", "Mittel", "Alt"]})

    def test_a_topic_block_shows_its_tag(self):
        tag = self.new.tag_list[0]
        make_block(self.version, BlockKind.TOPIC, tag=tag, count=5)

        self.assertEqual(shown(self.version), {"Hitze": ["Neu", "Mittel"]})

    def test_no_article_appears_twice_on_a_front(self):
        make_block(self.version, BlockKind.LEAD, count=1)
        make_block(self.version, title="Top", count=2)
        make_block(self.version, BlockKind.SECTION, section=self.sport, count=2)

        self.assertEqual(
            shown(self.version),
            {"Aufmacher": ["Neuest"], "Top": ["Neu", "Mittel"], "Sport": ["Älter"]},
        )

    def test_an_article_placed_further_down_is_kept_for_its_block(self):
        make_block(self.version, BlockKind.LEAD, count=1)
        make_block(self.version, title="Unten", count=1, placed=[self.newest])

        self.assertEqual(
            shown(self.version), {"Aufmacher": ["Neu"], "Unten": ["Neuest"]}
        )

    def test_a_block_that_allows_repeats_shows_articles_shown_elsewhere(self):
        make_block(self.version, BlockKind.LEAD, count=1)
        make_block(
            self.version, BlockKind.SECTION, section=self.politik, allows_repeats=True
        )
        make_block(self.version, title="Top", count=1)

        self.assertEqual(
            shown(self.version),
            {"Aufmacher": ["Neuest"], "Politik": ["Neuest", "Alt"], "Top": ["Neu"]},
        )

    def test_an_article_placed_twice_in_one_block_is_shown_once(self):
        make_block(self.version, title="Top", count=2, placed=[self.old, self.old])

        self.assertEqual(shown(self.version), {"Top": ["Mittel", "Neuest"]})

    def test_a_withdrawn_placed_article_leaves_no_hole(self):
        make_block(self.version, title="Top", count=2, placed=[self.oldest, self.old])

        self.oldest.withdraw()

        self.assertEqual(shown(self.version), {"Top": ["Mittel", "Neuest"]})

    def test_a_scheduled_article_is_neither_placed_nor_filled_before_its_time(self):
        later = make_scheduled(section=self.sport, headline="Später")
        make_block(self.version, title="Top", count=2, placed=[later])

        self.assertEqual(shown(self.version), {"Top": ["Neuest", "Neu"]})

    def test_most_read_and_ad_blocks_show_no_articles_of_their_own(self):
        make_block(self.version, BlockKind.MOST_READ)
        make_block(self.version, BlockKind.AD, ad_slot=make_slot(key="sidebar"))
        make_block(self.version, title="Top", count=1)

        self.assertEqual(
            shown(self.version),
            {"Meistgelesen": [], "Werbeplatz": [], "Top": ["Neuest"]},
        )


class LabelTests(TestCase):
    def setUp(self):
        self.version = make_version()
        self.article = make_article()

    def label(self):
        [(_, [teaser])] = fill(self.version)
        return teaser.label

    def test_an_article_without_updates_has_no_label(self):
        make_block(self.version, count=1)

        self.assertEqual(self.label(), "")

    def test_an_article_updated_after_publication_says_update(self):
        Correction.objects.create(
            article=self.article, kind=CorrectionKind.UPDATE, text="Neue Zahlen."
        )
        make_block(self.version, count=1)

        self.assertEqual(self.label(), "Update")

    def test_a_correction_is_no_update(self):
        Correction.objects.create(
            article=self.article, kind=CorrectionKind.CORRECTION, text="Tippfehler."
        )
        make_block(self.version, count=1)

        self.assertEqual(self.label(), "")

    def test_the_desk_labels_a_placed_article(self):
        block = make_block(self.version, count=1, placed=[self.article])
        block.placements.update(label=TeaserLabel.LIVE)

        self.assertEqual(self.label(), "Live")


class BlockRulesTests(TestCase):
    def setUp(self):
        self.version = make_version()

    def test_each_kind_asks_for_what_it_needs(self):
        for kind, field in (
            (BlockKind.SECTION, "section"),
            (BlockKind.TOPIC, "tag"),
            (BlockKind.AD, "ad_slot"),
        ):
            block = Block(version=self.version, kind=kind)
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as error:
                block.full_clean()
            self.assertIn(field, error.exception.message_dict)

    def test_a_block_shows_one_to_twenty_four_articles(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            make_block(self.version, count=0)

    def test_a_page_has_one_front(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Front.objects.create(section=None)
