"""Single-use tokens: signed for one page view or ad, counted once."""

from datetime import timedelta
from unittest import mock

from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from counting import tokens
from counting.models import SpentToken

SALT = "tests.counting"
MAX_AGE = timedelta(hours=6)


class TokenTests(TestCase):
    def read(self, token, max_age=MAX_AGE):
        return tokens.read_token(token, SALT, max_age)

    def test_a_token_names_what_it_was_issued_for(self):
        ticket = self.read(tokens.issue_token(SALT, 7, 3))

        self.assertEqual(ticket.ids, (7, 3))
        self.assertIs(ticket.is_expired, False)

    def test_each_token_is_new(self):
        first, second = (self.read(tokens.issue_token(SALT, 7)) for _ in range(2))

        self.assertNotEqual(first.nonce, second.nonce)

    def test_forged_tampered_or_foreign_tokens_are_invalid(self):
        token = tokens.issue_token(SALT, 7)
        for bad in [
            "",
            "Unsinn",
            token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
            tokens.issue_token("another.salt", 7),
            signing.dumps(["sieben", "nonce"], salt=SALT),
            signing.dumps("nonce", salt=SALT),
        ]:
            with self.subTest(token=bad), self.assertRaises(tokens.InvalidToken):
                self.read(bad)

    def test_an_old_token_is_read_but_marked_expired(self):
        seven_hours_ago = timezone.now() - timedelta(hours=7)
        with mock.patch(
            "django.core.signing.time.time", return_value=seven_hours_ago.timestamp()
        ):
            old = tokens.issue_token(SALT, 7)

        self.assertIs(self.read(old).is_expired, True)

    def test_a_token_is_one_djangos_signing_reads(self):
        token = tokens.issue_token(SALT, 7, 3)

        self.assertEqual(signing.loads(token, salt=SALT)[:2], [7, 3])

    def test_a_token_is_signed_with_the_current_secret_key(self):
        with self.settings(SECRET_KEY="ein-anderer-schluessel-" * 3):
            token = tokens.issue_token(SALT, 7)

        with self.assertRaises(tokens.InvalidToken):
            self.read(token)

    def test_no_token_may_outlive_its_spent_record(self):
        with self.assertRaises(ValueError):
            self.read(tokens.issue_token(SALT, 7), max_age=timedelta(days=2))


class SpendTests(TestCase):
    def setUp(self):
        self.ticket = tokens.read_token(tokens.issue_token(SALT, 7), SALT, MAX_AGE)

    def test_a_token_counts_once_per_event(self):
        spent = [
            tokens.spend(self.ticket, "served"),
            tokens.spend(self.ticket, "served"),
            tokens.spend(self.ticket, "click"),
        ]

        self.assertEqual(spent, [True, False, True])

    def test_a_spent_token_stays_spent_when_the_cache_is_cleared(self):
        tokens.spend(self.ticket, "view")

        cache.clear()

        self.assertIs(tokens.spend(self.ticket, "view"), False)

    def test_nothing_but_the_nonce_is_kept(self):
        tokens.spend(self.ticket, "view")

        self.assertEqual(
            {field.name for field in SpentToken._meta.get_fields()},
            {"id", "nonce", "event", "spent_at"},
        )

    def test_spent_tokens_are_forgotten_once_their_tokens_expired(self):
        tokens.spend(self.ticket, "view")
        SpentToken.objects.update(spent_at=timezone.now() - timedelta(days=2))
        fresh = tokens.read_token(tokens.issue_token(SALT, 8), SALT, MAX_AGE)
        tokens.spend(fresh, "view")

        call_command("forget_spent_tokens", stdout=mock.Mock())

        self.assertEqual(
            list(SpentToken.objects.values_list("nonce", flat=True)), [fresh.nonce]
        )
