from datetime import timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleStatus
from recommendations.lists import rebuild, recommendations_for
from recommendations.models import (
    RecommendationSource,
    RelatedArticle,
    RelatedPin,
    RelatedProfile,
    RelatedTermCount,
)
from tests.factories import make_article, make_draft, make_scheduled, make_section

# Short texts on clearly different subjects, so that only what a test sets
# up makes two articles similar.
SUBJECTS = [
    ("Hafen", "Containerschiffe, Kräne und Zollbeamte prägen den Alltag am Kai."),
    ("Orgel", "Pfeifen, Register und Blasebälge füllen die alte Kirche mit Klang."),
    ("Imker", "Bienenvölker, Waben und Honigschleudern stehen im Garten bereit."),
    ("Segelflug", "Thermik, Seilwinde und Cockpit entscheiden über die Strecke."),
    ("Bäckerei", "Sauerteig, Backofen und Brötchen gibt es schon vor Sonnenaufgang."),
    ("Sternwarte", "Teleskop, Kuppel und Nebelflecken locken Besucher in die Nacht."),
    ("Schmiede", "Amboss, Esse und glühendes Eisen formen jedes Hufeisen von Hand."),
    ("Fähre", "Autodeck, Fahrplan und Möwen begleiten die Überfahrt zur Insel."),
]
VILLAGE = (
    "Ackerbau Bergwerk Chorprobe Dachdecker Eisdiele Feuerwache Gießkanne "
    "Hufschmied Imkerei Jagdhütte Kläranlage Leuchtturm Mühlrad Nähmaschine "
    "Obstwiese Pferdekoppel Quellwasser Rathausuhr Sägewerk Töpferei Uhrmacher "
    "Viehmarkt Wetterhahn Ziegelei Zollhaus Kornspeicher Schleuse Weinberg "
    "Torfstich Flachs Glockenturm Holzsteg Kalkofen Lehmgrube Moorbad "
    "Nagelschmiede Ölmühle Pfarrgarten Reetdach Salzstock"
)


def story(number, **overrides):
    """An article about one of the unrelated subjects above."""
    word, sentence = SUBJECTS[number % len(SUBJECTS)]
    fields = {
        "headline": word,
        "kicker": word,
        "lead": sentence,
        "body": f"<p>{sentence}</p>",
    }
    fields.update(overrides)
    return make_article(**fields)


def landslide(**overrides):
    """An article of the story about the landslide in Talbrunn."""
    fields = {
        "headline": "Erdrutsch verschüttet Landstraße bei Talbrunn",
        "lead": "Nach tagelangem Regen ist bei Talbrunn ein Hang abgerutscht.",
        "body": "<p>Geröll und Schlamm blockieren die Landstraße nach Talbrunn. "
        "Der Hang am Kesselberg war nach dem Dauerregen ins Rutschen geraten.</p>",
    }
    fields.update(overrides)
    return make_article(**fields)


def follow_up(headline, **overrides):
    """Another article of the landslide story, told differently."""
    fields = {
        "headline": headline,
        "lead": "Am Kesselberg bei Talbrunn sichern Geologen den Hang.",
        "body": "<p>Die Landstraße nach Talbrunn bleibt gesperrt, solange "
        "am Kesselberg Geröll nachrutschen kann.</p>",
    }
    fields.update(overrides)
    return make_article(**fields)


def shown(article, count=4):
    return [other.pk for other in recommendations_for(article, count)]


class RelatedListTests(TestCase):
    def build(self, make, *args, **kwargs):
        """Create, and let the recommendation lists catch up as on commit."""
        with self.captureOnCommitCallbacks(execute=True):
            return make(*args, **kwargs)

    def test_the_same_story_ranks_above_the_same_section(self):
        politik = make_section(slug="politik")
        article = self.build(landslide, section=politik)
        same_section = self.build(story, 0, section=politik)
        same_story = self.build(follow_up, "Talbrunn: Landstraße bleibt gesperrt")

        self.assertEqual(shown(article)[:2], [same_story.pk, same_section.pk])

    def test_a_related_article_of_the_ressort_comes_before_a_closer_one_elsewhere(
        self,
    ):
        politik, sport = make_section(slug="politik"), make_section(slug="sport")
        article = self.build(landslide, section=politik)
        closer_elsewhere = self.build(
            follow_up, "Erdrutsch bei Talbrunn: Landstraße verschüttet", section=sport
        )
        further_here = self.build(follow_up, "Geologen am Kesselberg", section=politik)

        self.assertEqual(shown(article)[:2], [further_here.pk, closer_elsewhere.pk])

    def test_a_long_report_finds_an_article_sharing_only_one_of_its_lesser_words(
        self,
    ):
        for number in range(8):
            self.build(story, number)
        about_the_toll = self.build(
            make_article,
            kicker="Verkehr",
            headline="Brückenzoll",
            lead="Der Brückenzoll steigt.",
            body="<p>Brückenzoll ab März.</p>",
        )
        # Forty words of the report alone outweigh the one it shares.
        report = self.build(
            make_article,
            kicker="Heimat",
            headline="Ein Rundgang durchs Dorf",
            lead="",
            body=f"<p>{VILLAGE} Brückenzoll</p>",
        )

        self.assertEqual(
            RelatedArticle.objects.get(article=report, target=about_the_toll).source,
            RecommendationSource.RANKED,
        )

    def test_a_shared_rare_tag_beats_a_shared_common_tag(self):
        for number in range(6):
            self.build(story, number, tags=["Wetter"])
        article = self.build(story, 1, tags=["Wetter", "Kesselberg"], headline="Hang")
        rare = self.build(story, 2, tags=["Kesselberg"], headline="Rare")
        common = self.build(story, 3, tags=["Wetter"], headline="Common")

        order = shown(article, 8)

        self.assertLess(order.index(rare.pk), order.index(common.pk))

    def test_pinned_articles_come_first_in_the_editors_order(self):
        article = self.build(landslide)
        self.build(follow_up, "Erdrutsch: Talbrunn räumt weiter")
        first, second = self.build(story, 3), self.build(story, 4)

        self.build(
            RelatedPin.objects.create, article=article, target=second, position=1
        )
        self.build(RelatedPin.objects.create, article=article, target=first, position=2)

        self.assertEqual(shown(article)[:2], [second.pk, first.pk])
        self.assertEqual(
            RelatedArticle.objects.get(article=article, target=second).source,
            RecommendationSource.PINNED,
        )

    def test_block_is_full_even_without_anything_similar(self):
        news = make_section(slug="news")
        politik = make_section(slug="politik", parent=news)
        article = self.build(story, 0, section=politik)
        in_section = self.build(story, 1, section=politik)
        in_parent = self.build(story, 2, section=news)
        elsewhere = [self.build(story, n) for n in (3, 4)]

        self.assertEqual(
            shown(article),
            [in_section.pk, in_parent.pk, elsewhere[1].pk, elsewhere[0].pk],
        )

    def test_unpublished_articles_never_appear_and_scheduled_ones_do_in_time(self):
        article = self.build(landslide)
        draft = self.build(make_draft, headline="Erdrutsch bei Talbrunn: Entwurf")
        scheduled = self.build(
            make_scheduled, headline="Erdrutsch bei Talbrunn: morgen"
        )
        for number in range(4):
            self.build(story, number)

        self.assertNotIn(draft.pk, shown(article))
        self.assertNotIn(scheduled.pk, shown(article))

        Article.objects.filter(pk=scheduled.pk).update(
            published_at=timezone.now() - timedelta(minutes=1)
        )

        self.assertEqual(shown(article)[0], scheduled.pk)

    def test_never_the_article_itself_and_never_twice(self):
        article = self.build(landslide, tags=["Talbrunn"])
        for number in range(6):
            self.build(follow_up, f"Talbrunn, Tag {number + 2}", tags=["Talbrunn"])

        ids = shown(article, 6)

        self.assertNotIn(article.pk, ids)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), 6)

    def test_a_newly_published_article_enters_the_lists_it_belongs_in(self):
        articles = [self.build(story, number) for number in range(8)]
        article = self.build(landslide)
        self.assertEqual(
            RelatedArticle.objects.filter(
                article=article, source=RecommendationSource.RANKED
            ).count(),
            0,
        )

        follow_up_article = self.build(follow_up, "Talbrunn: Der Hang rutscht erneut")

        self.assertEqual(shown(article)[0], follow_up_article.pk)
        self.assertNotIn(follow_up_article.pk, shown(articles[0])[:1])

    def test_an_unpublished_article_leaves_the_lists_it_was_in(self):
        for number in range(8):
            self.build(story, number)
        article = self.build(landslide)
        follow_up_article = self.build(follow_up, "Talbrunn räumt auf")
        self.assertEqual(shown(article)[0], follow_up_article.pk)

        follow_up_article.status = ArticleStatus.DRAFT
        self.build(follow_up_article.save)

        self.assertFalse(
            RelatedArticle.objects.filter(
                target=follow_up_article, source=RecommendationSource.RANKED
            ).exists()
        )
        self.assertNotIn(follow_up_article.pk, shown(article))

    def test_changing_tags_recomputes_the_list(self):
        # No other organ story: its text would rank above any shared tag.
        for number in (0, 2, 3, 4, 5, 6, 7, 8):
            self.build(story, number)
        article = self.build(story, 1, headline="Orgelweihe", tags=["Kirchenmusik"])
        other = self.build(story, 5, headline="Sterne")
        self.assertNotEqual(shown(article)[0], other.pk)

        self.build(other.tags.add, "Kirchenmusik")

        self.assertEqual(shown(article)[0], other.pk)

    def test_a_deleted_article_leaves_the_index(self):
        article = self.build(landslide)
        self.assertEqual(RelatedTermCount.objects.get(term="talbrunn").documents, 1)

        self.build(article.delete)

        self.assertEqual(RelatedTermCount.objects.get(term="talbrunn").documents, 0)
        self.assertFalse(RelatedProfile.objects.exists())

    def test_rebuilding_gives_the_same_lists_as_saving(self):
        articles = [self.build(story, number) for number in range(5)]
        articles += [self.build(follow_up, f"Talbrunn {n}") for n in range(3)]
        saved = {article.pk: shown(article, 8) for article in articles}

        rebuild()

        self.assertEqual({article.pk: shown(article, 8) for article in articles}, saved)

    @override_settings(NEWSROOM_RELATED={"language": "en"})
    def test_the_language_of_the_texts_is_configurable(self):
        article = self.build(
            make_article,
            headline="Flooding closes the harbour road",
            lead="The harbour road is flooded.",
            body="<p>Floods again.</p>",
        )

        self.assertEqual(RelatedProfile.objects.get(article=article).language, "en")
        self.assertIn("flood", RelatedProfile.objects.get(article=article).vocabulary)

    def test_the_page_reads_the_stored_list_in_one_query(self):
        article = self.build(landslide)
        for number in range(6):
            self.build(follow_up, f"Talbrunn, Folge {number}")
        article = Article.objects.select_related("section").get(pk=article.pk)

        with CaptureQueriesContext(connection) as queries:
            recommendations = recommendations_for(article, 4)

        self.assertEqual(len(recommendations), 4)
        self.assertEqual(len(queries), 1)

    def test_related_block_on_the_page_links_the_stored_list(self):
        article = self.build(landslide)
        other = self.build(follow_up, "Talbrunn: Straße wieder frei")

        response = self.client.get(article.get_absolute_url())

        related_html = response.content.decode().split("Das könnte Sie auch")[1]
        self.assertIn(other.get_absolute_url(), related_html)
