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

    def test_the_ressort_is_a_tier_a_weak_match_there_beats_a_close_one_elsewhere(
        self,
    ):
        query = self.document(1, "news/politik", signature={"a": 1.0})
        weak_here = self.document(
            2, "news/politik", signature={"a": 0.2, "b": 0.98}, days_ago=600
        )
        close_next_door = self.document(
            3, "news/wirtschaft", signature={"a": 0.9, "c": 0.44}
        )
        close_elsewhere = self.document(4, "sport", signature={"a": 0.9, "c": 0.44})

        values = [
            ranking.score(query, other, {}, self.config)
            for other in (weak_here, close_next_door, close_elsewhere)
        ]

        self.assertEqual(values, sorted(values, reverse=True))
        self.assertEqual([int(value) for value in values], [2, 1, 0])

    def test_without_the_tier_the_ressort_only_weighs(self):
        config = ranking.RankingConfig(section_tier=False, section_weight=0.15)
        query = self.document(1, "news/politik", signature={"a": 1.0})
        weak_here = self.document(2, "news/politik", signature={"a": 0.2, "b": 0.98})
        close_elsewhere = self.document(3, "sport", signature={"a": 0.9, "c": 0.44})

        self.assertGreater(
            ranking.score(query, close_elsewhere, {}, config),
            ranking.score(query, weak_here, {}, config),
        )

    def test_nothing_in_common_is_no_recommendation(self):
        query = self.document(1, signature={"a": 1.0})

        self.assertIsNone(
            ranking.score(
                query, self.document(2, signature={"b": 1.0}), {}, self.config
            )
        )

    def test_a_faint_match_is_still_a_recommendation(self):
        # Better than the newest article, which would fill its place.
        query = self.document(1, signature={"a": 1.0})
        faint = self.document(2, signature={"a": 0.03, "b": 0.9995})

        self.assertIsNotNone(ranking.score(query, faint, {}, self.config))

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
        # The lookup reads at most half of it; the rest only scores.
        self.assertGreaterEqual(config.signature_terms, 2 * config.query_terms)


class FeedbackTests(SimpleTestCase):
    config = ranking.RankingConfig(feedback_neighbours=2, feedback_weight=1.0)

    def document(self, pk, signature):
        published_at = datetime(2026, 11, 1, tzinfo=UTC)
        return ranking.Document(pk, "news", published_at, frozenset(), signature)

    def test_the_best_matches_widen_the_query_to_their_shared_words(self):
        query = self.document(1, {"hang": 0.8, "talbrunn": 0.6})
        matches = [
            self.document(2, {"hang": 0.6, "geroell": 0.8}),
            self.document(3, {"talbrunn": 0.6, "geroell": 0.8}),
        ]
        # Shares no word with the query, only with its best matches.
        follow_up = self.document(4, {"geroell": 1.0})

        expanded = ranking.expand(query, matches, self.config)

        self.assertEqual(ranking.similarity(query.signature, follow_up.signature), 0)
        self.assertGreater(ranking.similarity(expanded, follow_up.signature), 0.4)
        self.assertAlmostEqual(
            sum(weight * weight for weight in expanded.values()), 1.0
        )

    def test_only_the_configured_number_of_matches_feeds_back(self):
        query = self.document(1, {"a": 1.0})
        matches = [self.document(n, {f"w{n}": 1.0}) for n in (2, 3, 4)]

        expanded = ranking.expand(query, matches, self.config)

        self.assertEqual(set(expanded), {"a", "w2", "w3"})

    def test_feedback_switched_off_leaves_the_query_alone(self):
        query = self.document(1, {"a": 1.0})
        matches = [self.document(2, {"b": 1.0})]

        self.assertIsNone(
            ranking.expand(query, matches, ranking.RankingConfig(feedback_weight=0))
        )
        self.assertIsNone(ranking.expand(query, [], self.config))

    def test_thresholds_keep_to_the_articles_own_signature(self):
        query = self.document(1, {"a": 1.0})
        copy = self.document(2, {"a": 1.0})
        expanded = {"a": 0.6, "b": 0.8}

        self.assertIsNone(
            ranking.score(query, copy, {}, self.config, expanded=expanded)
        )
