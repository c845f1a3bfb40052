"""Who may do what in the admin, for every model, page and action.

The tables below are the rules; the tests try every cell. A role may:
v  list and open (read-only where it may not change),
a  add,
c  change (save the form),
d  delete,
and nothing else. Anonymous visitors are always sent to the login page.
"""

from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from agency.models import AgencyItem
from articles.models import Article, ArticleRedirect, ArticleStatus
from fronts.models import FrontVersion
from tests.accounts.roles import (
    ADMIN,
    ANONYMOUS,
    ANZEIGEN,
    CVD,
    DENIED,
    GONE,
    MOVED,
    OK,
    REDAKTEURIN,
    ROLES,
    admin_url,
    make_user,
    save_version,
)
from tests.agency.factories import make_agency, make_item
from tests.factories import (
    make_article,
    make_author,
    make_creative,
    make_draft,
    make_editor,
    make_eilmeldung,
    make_embed,
    make_entry,
    make_job,
    make_page,
    make_section,
    make_ticker,
)
from tests.fronts.factories import make_block, make_version

# The sample article every role is tried on is published and was written by
# someone else: the journalist may read it but not change it (own drafts
# are in test_article_permissions.py).
MODEL_RIGHTS = {
    #                           anonym Red.   CvD     Anz.    Staff  Super
    "auth.user": ("", "", "", "", "", "vacd"),
    "auth.group": ("", "", "", "", "", "vacd"),
    "articles.section": ("", "v", "vacd", "v", "", "vacd"),
    "articles.author": ("", "v", "vacd", "", "", "vacd"),
    "articles.tag": ("", "va", "vacd", "v", "", "vacd"),
    "articles.article": ("", "va", "vacd", "v", "", "vacd"),
    "articles.articleredirect": ("", "", "vacd", "", "", "vacd"),
    "fronts.front": ("", "v", "vacd", "", "", "vacd"),
    "fronts.frontversion": ("", "v", "vacd", "", "", "vacd"),
    # Impressum, Datenschutz, Kontakt: the desk answers for them.
    "pages.page": ("", "", "vacd", "", "", "vacd"),
    "ads.adslot": ("", "", "", "vacd", "", "vacd"),
    "ads.advertiser": ("", "", "", "vacd", "", "vacd"),
    "ads.campaign": ("", "", "", "vacd", "", "vacd"),
    "ads.creative": ("", "", "", "vacd", "", "vacd"),
    # Sign-in records are written by django-axes, never added by hand.
    "axes.accessattempt": ("", "", "", "", "", "vcd"),
    "axes.accesslog": ("", "", "", "", "", "vcd"),
    "axes.accessfailurelog": ("", "", "", "", "", "vcd"),
    "otp_totp.totpdevice": ("", "", "", "", "", "vacd"),
    # Started and ended by those who may publish; kept, never deleted.
    "live.eilmeldung": ("", "", "vac", "", "", "vac"),
    # The desk starts tickers; journalists open them to post (the desk page).
    "live.ticker": ("", "v", "vac", "", "", "vac"),
    # Posted on the ticker's desk, deleted there with a note for readers.
    "live.entry": ("", "vc", "vc", "", "", "vc"),
    # Shared by every text that links to it: only the desk deletes one.
    "embeds.embed": ("", "vac", "vacd", "", "", "vacd"),
    # Addresses and keys of the agencies, and their rules: the desk's.
    "agency.agency": ("", "", "vacd", "", "", "vacd"),
    # Items arrive from the agencies only and stay as sent; the desk
    # clears them out.
    "agency.agencyitem": ("", "v", "vd", "", "", "vd"),
    # Background jobs: the desk sees what waits or failed; nobody edits them.
    "jobs.job": ("", "", "v", "", "", "v"),
}

# Bulk actions offered on each list; "delete_selected" comes with "d".
BULK_ACTIONS = {
    "articles.article": {
        REDAKTEURIN: {"submit_for_review"},
        CVD: {"submit_for_review", "publish", "withdraw"},
        ADMIN: {"submit_for_review", "publish", "withdraw"},
    },
    "ads.campaign": {
        ANZEIGEN: {"pause_campaigns", "activate_campaigns"},
        ADMIN: {"pause_campaigns", "activate_campaigns"},
    },
    "axes.accessattempt": {ADMIN: {"cleanup_expired_attempts"}},
    "live.eilmeldung": {CVD: {"end_now"}, ADMIN: {"end_now"}},
    "live.ticker": {CVD: {"end_tickers"}, ADMIN: {"end_tickers"}},
    "jobs.job": {CVD: {"retry_now"}, ADMIN: {"retry_now"}},
    "embeds.embed": {
        REDAKTEURIN: {"fetch_again"},
        CVD: {"fetch_again"},
        ADMIN: {"fetch_again"},
    },
    "agency.agencyitem": {
        REDAKTEURIN: {"take_over"},
        CVD: {"take_over"},
        ADMIN: {"take_over"},
    },
}

# Other pages, each with the answer per role (anonymous: login page).
#                              Red.    CvD     Anz.    Staff   Super
OTHER_PAGES = {
    "index": (OK, OK, OK, OK, OK),
    "own password": (OK, OK, OK, OK, OK),
    "two-factor set-up": (OK, OK, OK, OK, OK),
    "newsroom statistics": (OK, OK, OK, OK, OK),
    "newsroom statistics csv": (OK, OK, OK, OK, OK),
    "preview of a draft": (OK, OK, GONE, DENIED, OK),
    "preview of a planned front": (OK, OK, DENIED, DENIED, OK),
    "article history": (OK, OK, OK, DENIED, OK),
    "article compare": (OK, OK, OK, DENIED, OK),
    # "Änderungen ansehen" leads on to the compare page.
    "changes since a form was opened": (MOVED, MOVED, MOVED, DENIED, MOVED),
    "restore an old version": (DENIED, OK, DENIED, DENIED, OK),
    "deleted articles": (DENIED, OK, DENIED, DENIED, OK),
    "recover a deleted article": (DENIED, OK, DENIED, DENIED, OK),
    # Read by the whole newsroom; only the desk gets its buttons
    # (tests/articles/test_planning.py).
    "desk plan": (OK, OK, DENIED, DENIED, OK),
    "ad report": (DENIED, DENIED, OK, DENIED, OK),
    "ad preview link": (DENIED, DENIED, OK, DENIED, OK),
    "ticker desk": (OK, OK, DENIED, DENIED, OK),
    # One click on the list; a POST only.
    "take over an agency item": (405, 405, DENIED, DENIED, 405),
    # Nobody reads another person's second-factor secret.
    "two-factor secret": (DENIED, DENIED, DENIED, DENIED, DENIED),
    # django-taggit's own tags are unused and not in the admin.
    "taggit tags": (GONE, GONE, GONE, GONE, GONE),
}


class AdminPermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {role: make_user(role) for role in ROLES}
        desk = cls.users[CVD]
        section = make_section()
        make_author()
        cls.article = make_article(section=section, tags=["Haushalt"], created_by=desk)
        cls.version = save_version(cls.article, desk)
        cls.draft = make_draft(section=section, created_by=desk)
        deleted = make_draft(section=section, created_by=desk)
        save_version(deleted, desk)
        deleted.delete()
        cls.deleted_version = Version.objects.get_deleted(Article).get()
        ArticleRedirect.objects.create(old_path="/alt/", article=cls.article)
        cls.creative = make_creative()
        make_block(make_version(), count=2, placed=[cls.article])
        for model_name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            fields = {"user_agent": "Browser", "ip_address": "192.0.2.1"}
            if model_name == "AccessAttempt":
                fields.update(get_data="", post_data="", failures_since_start=1)
            ContentType.objects.get(
                app_label="axes", model=model_name.lower()
            ).model_class().objects.create(username="jana", **fields)
        cls.device = TOTPDevice.objects.create(
            user=make_editor(), name="Telefon", confirmed=True
        )
        make_eilmeldung()
        cls.ticker = make_ticker(cls.article)
        make_entry(cls.ticker)
        make_page(title="Impressum", slug="impressum")
        make_embed()
        make_item(make_agency(section=section), "haushalt_v1.json")
        make_job(args=[[cls.article.pk]])

    def sign_in(self, role):
        self.client.logout()
        if role != ANONYMOUS:
            self.client.force_login(self.users[role])

    def assert_answer(self, response, expected):
        if expected is None:
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response.url.startswith(reverse("admin:login")))
        else:
            self.assertEqual(response.status_code, expected)

    def sample(self, model):
        return self.article if model is Article else model.objects.first()

    def test_the_matrix_covers_every_model_in_the_admin(self):
        registered = {model._meta.label_lower for model in site._registry}

        self.assertEqual(registered, set(MODEL_RIGHTS))

    def test_each_role_gets_exactly_its_model_pages(self):
        for label, row in MODEL_RIGHTS.items():
            model = next(m for m in site._registry if m._meta.label_lower == label)
            obj = self.sample(model)
            for role, rights in zip(ROLES, row, strict=True):
                self.sign_in(role)
                pages = [
                    ("list", "get", admin_url(model, "changelist"), "v"),
                    ("open", "get", admin_url(model, "change", obj.pk), "v"),
                    ("history", "get", admin_url(model, "history", obj.pk), "v"),
                    ("add", "get", admin_url(model, "add"), "a"),
                    ("save", "post", admin_url(model, "change", obj.pk), "c"),
                    ("delete", "get", admin_url(model, "delete", obj.pk), "d"),
                ]
                for page, method, url, right in pages:
                    with self.subTest(model=label, role=role, page=page):
                        response = getattr(self.client, method)(url)

                        if role == ANONYMOUS:
                            self.assert_answer(response, None)
                        elif right in rights or (right == "v" and "c" in rights):
                            # A save with an empty form is refused by the
                            # form (200), or stored if nothing is required.
                            allowed = (200, 302) if method == "post" else (200,)
                            self.assertIn(response.status_code, allowed, url)
                        else:
                            self.assertEqual(response.status_code, 403, url)

    def test_each_role_is_offered_exactly_its_bulk_actions(self):
        for label, row in MODEL_RIGHTS.items():
            model = next(m for m in site._registry if m._meta.label_lower == label)
            for role, rights in zip(ROLES, row, strict=True):
                if "v" not in rights:
                    continue
                expected = set(BULK_ACTIONS.get(label, {}).get(role, set()))
                if "d" in rights:
                    expected.add("delete_selected")
                self.sign_in(role)
                with self.subTest(model=label, role=role):
                    response = self.client.get(admin_url(model, "changelist"))

                    form = response.context["action_form"]
                    choices = form.fields["action"].choices if form else []
                    self.assertEqual({value for value, _ in choices} - {""}, expected)

    def test_a_bulk_action_not_offered_is_refused_when_posted(self):
        for label, row in MODEL_RIGHTS.items():
            model = next(m for m in site._registry if m._meta.label_lower == label)
            obj = self.sample(model)
            every_action = {"delete_selected"} | set().union(
                *BULK_ACTIONS.get(label, {}).values()
            )
            for role, rights in zip(ROLES, row, strict=True):
                offered = set(BULK_ACTIONS.get(label, {}).get(role, set()))
                if "d" in rights:
                    offered.add("delete_selected")
                self.sign_in(role)
                for action in sorted(every_action - offered):
                    with self.subTest(model=label, role=role, action=action):
                        response = self.client.post(
                            admin_url(model, "changelist"),
                            {
                                "action": action,
                                "_selected_action": [obj.pk],
                                "post": "yes",
                            },
                        )

                        if role == ANONYMOUS:
                            self.assert_answer(response, None)
                        elif "v" in rights:
                            # Back to the list (or the list itself, for
                            # someone offered no action at all), undone.
                            self.assertIn(response.status_code, (200, 302))
                            self.assertTrue(model.objects.filter(pk=obj.pk).exists())
                        else:
                            self.assertEqual(response.status_code, 403)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, ArticleStatus.PUBLISHED)

    def other_page_urls(self):
        compare = admin_url(Article, "compare", self.article.pk)
        return {
            "index": reverse("admin:index"),
            "own password": reverse("admin:password_change"),
            "two-factor set-up": reverse("admin:two_factor"),
            "newsroom statistics": reverse("readership:staff_statistics"),
            "newsroom statistics csv": reverse("readership:staff_statistics_csv"),
            "preview of a draft": reverse(
                "articles:article_preview", args=[self.draft.pk]
            ),
            "preview of a planned front": reverse(
                "fronts:preview", args=[FrontVersion.objects.get().pk]
            ),
            "article history": admin_url(Article, "history", self.article.pk),
            "article compare": f"{compare}?version_id1={self.version.pk}"
            f"&version_id2={self.version.pk}",
            "changes since a form was opened": admin_url(
                Article, "changes", self.article.pk
            )
            + f"?seit={self.article.edit_token}",
            "restore an old version": admin_url(
                Article, "revision", self.article.pk, self.version.pk
            ),
            "deleted articles": admin_url(Article, "recoverlist"),
            "recover a deleted article": admin_url(
                Article, "recover", self.deleted_version.pk
            ),
            "desk plan": reverse("admin:articles_article_planning"),
            "ad report": reverse("admin:ads_campaign_report"),
            "ad preview link": reverse(
                "admin:ads_creative_preview", args=[self.creative.pk]
            ),
            "two-factor secret": reverse(
                "admin:otp_totp_totpdevice_config", args=[self.device.pk]
            ),
            "taggit tags": "/admin/taggit/tag/",
            "ticker desk": reverse("admin:live_ticker_desk", args=[self.ticker.pk]),
            "take over an agency item": reverse(
                "admin:agency_agencyitem_take_over",
                args=[AgencyItem.objects.get().pk],
            ),
        }

    def test_each_role_gets_exactly_its_other_pages(self):
        urls = self.other_page_urls()
        self.assertEqual(set(urls), set(OTHER_PAGES))
        for page, answers in OTHER_PAGES.items():
            for role, expected in zip(ROLES, (None, *answers), strict=True):
                self.sign_in(role)
                with self.subTest(page=page, role=role):
                    response = self.client.get(urls[page])

                    self.assert_answer(response, expected)
