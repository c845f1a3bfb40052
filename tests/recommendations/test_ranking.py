from datetime import UTC, datetime, timedelta

from django.test import SimpleTestCase

from recommendations import ranking


class RankingCoreTests(SimpleTestCase):
    config = ranking.RankingConfig()

    def document(self, pk, path="news", tags=(), signature=None, days_ago=0):
        published_at = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(days=days_ago)
        return ranking.Document(
            pk, path, published_at, frozenset(tags), signature or {"x": 1.0}
        )

    def test_a_rare_shared_tag_counts_more_than_a_common_one(self):
        query = self.document(1, tags={"rare", "common"}, signature={"q": 1.0})
        weights = ranking.tag_weights({"rare": 2, "common": 900}, 1000)

        rare = ranking.score(
            query,
            self.document(2, tags={"rare"}, signature={"r": 1}),
            weights,
            self.config,
        )
        common = ranking.score(
            query,
            self.document(3, tags={"common"}, signature={"c": 1}),
            weights,
            self.config,
        )

        self.assertGreater(rare, common)

    def test_same_section_beats_parent_beats_elsewhere(self):
        affinity = ranking.section_affinity

        self.assertEqual(affinity("news/politik", "news/politik"), 1.0)
        self.assertEqual(affinity("news/politik", "news"), 0.5)
        self.assertEqual(affinity("news/politik", "news/wirtschaft"), 0.5)
        self.assertEqual(affinity("news/politik", "sport"), 0.0)

    def test_nothing_in_common_is_no_recommendation(self):
        query = self.document(1, signature={"a": 1.0})

        self.assertIsNone(
            ranking.score(
                query, self.document(2, signature={"b": 1.0}), {}, self.config
            )
        )

    def test_older_than_the_maximum_age_is_no_recommendation(self):
        query = self.document(1, signature={"a": 1.0})
        old = self.document(2, signature={"a": 0.6, "b": 0.8}, days_ago=800)

        self.assertIsNone(ranking.score(query, old, {}, self.config))

    def test_fresher_scores_higher_when_all_else_is_equal(self):
        query = self.document(1, signature={"a": 1.0})
        recent = self.document(2, signature={"a": 0.6, "b": 0.8}, days_ago=2)
        older = self.document(3, signature={"a": 0.6, "b": 0.8}, days_ago=200)

        self.assertGreater(
            ranking.score(query, recent, {}, self.config),
            ranking.score(query, older, {}, self.config),
        )

    def test_near_duplicates_of_a_pick_are_dropped(self):
        first = self.document(2, signature={"a": 1.0})
        copy = self.document(3, signature={"a": 1.0})
        other = self.document(4, signature={"b": 1.0})

        picked = ranking.diversify(
            [(0.9, first), (0.89, copy), (0.3, other)], self.config, 3
        )

        self.assertEqual([doc.id for _, doc in picked], [2, 4])

    def test_a_diversity_penalty_spreads_out_two_tellings_of_one_event(self):
        event = self.document(2, signature={"a": 0.8, "b": 0.6})
        same_event = self.document(3, signature={"a": 0.8, "d": 0.6})
        next_development = self.document(4, signature={"a": 0.6, "c": 0.8})

        picked = ranking.diversify(
            [(0.5, event), (0.49, same_event), (0.45, next_development)],
            ranking.RankingConfig(diversity=0.3),
            3,
        )

        self.assertEqual([doc.id for _, doc in picked], [2, 4, 3])

    def test_ties_are_broken_by_newest_then_lowest_id(self):
        older = self.document(5, days_ago=3)
        newer = self.document(9, days_ago=1)
        twin = self.document(7, days_ago=1)

        picked = ranking.diversify(
            [(0.5, older), (0.5, newer), (0.5, twin)],
            ranking.RankingConfig(diversity=0, duplicate_similarity=2),
            3,
        )

        self.assertEqual([doc.id for _, doc in picked], [7, 9, 5])


class SignatureTests(SimpleTestCase):
    def test_the_signature_keeps_the_topical_words_beside_the_rare_names(self):
        config = ranking.RankingConfig()
        frequencies = {f"name{number}": 1 for number in range(40)}
        frequencies |= {"oil": 3, "price": 3, "barrel": 2}
        stats = ranking.CorpusStats(
            documents=1000,
            average_length=50,
            term_documents={"oil": 60, "price": 120, "barrel": 40},
        )

        kept = ranking.signature(frequencies, stats, config)

        self.assertTrue({"oil", "price", "barrel"} <= set(kept))
        self.assertGreaterEqual(config.signature_terms, 4 * config.query_terms)
