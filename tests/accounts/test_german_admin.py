"""Every admin page, as every role, reads in German.

The walk visits each page a role may open (lists, forms, history, compare,
restore, statistics) and reads what a person sees: text, tooltips, labels
of buttons and choices. Any word from the list of English interface words
fails it; proper names and the trade's loan words are allowed.
"""

import re

import html5lib
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion import create_revision, set_comment, set_user
from reversion.models import Version

from ads.models import AdEvent, CountReason, EventCount
from agency.takeover import take_over
from articles.models import (
    Article,
    ArticleRedirect,
    AutosavedDraft,
    Correction,
    CorrectionKind,
    PreviewLink,
    Tag,
)
from fronts.models import BlockKind, FrontPreviewLink, FrontVersion, TeaserLabel
from tests.agency.factories import make_agency, make_item, receive_sample
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_article,
    make_author,
    make_campaign,
    make_creative,
    make_draft,
    make_editor,
    make_eilmeldung,
    make_entry,
    make_job,
    make_page,
    make_scheduled,
    make_section,
    make_staff,
    make_ticker,
    make_topic_box,
)
from tests.fronts.factories import make_block, make_version

AD_MANAGER = "Anzeigenverwaltung"
SUPERUSER = "Superuser"
ROLES = (SUPERUSER, DESK_EDITOR, JOURNALIST, AD_MANAGER)

# Words of an English interface, matched as whole words, any case. Words
# that are German as well ("Filter", "Name", "Status", "Link", "Tag",
# "Token", "Optional", "Version") are left out.
ENGLISH_WORDS = """
    add added change changed changes delete deleted save saved history search
    home view site log out logout login sign compare revert reverted go back
    pacing created by paragraph heading update updated edit title insert
    remove select selected all none yes no today now clear choose show hide
    previous next page of and the to for with is are this that from date
    time user users group groups password permissions recent actions action
    my object objects field fields value required list undo redo
    bold italic unlink quote blockquote ordered unordered bullet cancel
    close open new window vector preview slug author authors section
    sections article articles correction corrections redirect device
    published draft review edit_token search_vector results result total
    run running goal goals click clicks served viewable report statistics
    help full screen fullscreen rule horizontal figure image images caption
    please correct error errors below above entry entries submit apply
    yesterday tomorrow midnight noon calendar clock reset
    items item summary level restore recover reversion
""".split()
ENGLISH = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w-])",
    re.IGNORECASE,
)
# Proper names, abbreviations and loan words a German newsroom uses as they
# are; removed before the check.
ALLOWED = re.compile(
    r"Newsroom|dpa|RSS|Atom|CSV|URL|SEO|JSON-LD|HTML|CTR|TOTP|Django|"
    r"https?://\S+|/\S*|\S+@\S+"
)
# German, but wrong here: to a newsroom, "Kürzel" are a person's initials.
MISLEADING = re.compile(r"Kürzel")

# English that comes from other packages and has no German to switch to,
# on pages only superusers see. Listed so that nothing else slips through.
THIRD_PARTY_ENGLISH = re.compile(
    # Django names permissions in English when it creates them.
    r".* \| Can (add|change|delete|view) .*|"
    # Django 5.2's new help texts for passwords, untranslated so far.
    r"Raw passwords are not stored.*|Whether the user will be able to .*|"
    r"After you’ve created a user.*|"
    # Rows linking two objects, which Django lists when one is deleted.
    r".*-Beziehung: \w+ object \(\d+\)|"
    # django-otp's model, listed among what goes with a deleted person.
    r"TOTP device\b.*"
)
# django-axes (sign-in records) and django-otp (authenticator apps) have
# no German for their fields and records; only superusers open them.
UNTRANSLATED_APPS = ("axes", "otp_totp")

# Elements whose content nobody reads.
SKIPPED = {"script", "style", "template", "noscript"}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}


def is_hidden(element):
    return (
        element.get("hidden") is not None
        or "hidden" in element.get("class", "").split()
    )


def visible_texts(html):
    """What a person reads on the page: text, tooltips and button labels."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    texts = []

    def walk(element):
        if element.tag in SKIPPED or is_hidden(element):
            return
        for name in READ_ATTRIBUTES:
            if element.get(name):
                texts.append(element.get(name))
        if element.tag == "input" and element.get("type") in BUTTON_TYPES:
            texts.append(element.get("value", ""))
        if element.text:
            texts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                texts.append(child.tail)

    walk(document)
    return [" ".join(text.split()) for text in texts if text.strip()]


def wrong_words_in(html):
    """English (or misleading) words on the page, each with its text."""
    found = []
    for text in visible_texts(html):
        if THIRD_PARTY_ENGLISH.fullmatch(text):
            continue
        for pattern in (ENGLISH, MISLEADING):
            for match in pattern.finditer(ALLOWED.sub(" ", text)):
                found.append(f"{match.group()!r} in {text[:120]!r}")
    return found


def admin_url(model, page, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def save_version(article, user, comment=""):
    with create_revision():
        set_user(user)
        set_comment(comment)
        article.save()
    return Version.objects.get_for_object(article).first()


class GermanAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {
            SUPERUSER: make_editor(),
            **{role: make_staff(role) for role in ROLES[1:]},
        }
        desk = cls.users[DESK_EDITOR]
        section = make_section()
        author = make_author()
        cls.article = make_article(
            section=section, tags=["Haushalt"], authors=[author], created_by=desk
        )
        cls.first_version = save_version(cls.article, desk, "Erste Fassung")
        cls.article.headline = "Länder einigen sich über Zuschüsse"
        cls.article.slug = "laender-einigen-sich"
        cls.second_version = save_version(cls.article, desk)
        Correction.objects.create(
            article=cls.article,
            kind=CorrectionKind.CORRECTION,
            text="Die Zahl war falsch.",
            created_at=timezone.now(),
        )
        PreviewLink.objects.create(article=cls.article, created_by=desk)
        cls.draft = make_draft(
            section=section, created_by=cls.users[JOURNALIST], headline="Entwurf"
        )
        save_version(cls.draft, cls.users[JOURNALIST])
        # Something in every group of the desk's plan.
        make_article(section=section, status="review", headline="In Prüfung")
        make_scheduled(section=section, headline="Geplant")
        make_topic_box(cls.article, cls.draft)
        deleted = make_draft(section=section, created_by=desk)
        save_version(deleted, desk)
        deleted.delete()
        cls.deleted_version = Version.objects.get_deleted(Article).get()
        ArticleRedirect.objects.create(old_path="/alt/", article=cls.article)
        # An agency item taken over, then updated: its changes and the flag.
        agency = make_agency(section=section)
        take_over(make_item(agency, "haushalt_v1.json"), desk)
        receive_sample(agency, "haushalt_v2.json")
        campaign = make_campaign(impression_goal=1000)
        cls.creative = make_creative(campaign=campaign)
        for event in AdEvent:
            for reason in CountReason:
                EventCount.objects.add(
                    event,
                    reason,
                    creative_id=cls.creative.pk,
                    slot_id=cls.creative.slots.first().pk,
                )
        for model_name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            fields = {"user_agent": "Browser", "ip_address": "192.0.2.1"}
            if model_name == "AccessAttempt":
                fields.update(get_data="", post_data="", failures_since_start=1)
            ContentType.objects.get(
                app_label="axes", model=model_name.lower()
            ).model_class().objects.create(username="jana", **fields)
        TOTPDevice.objects.create(user=make_editor(), name="Telefon", confirmed=True)
        cls.front_version = make_version()
        make_block(cls.front_version, BlockKind.LEAD, count=1, placed=[cls.article])
        cls.front_version.placements.update(label=TeaserLabel.UPDATE)
        FrontPreviewLink.objects.create(version=cls.front_version, created_by=desk)
        with create_revision():
            set_user(desk)
            cls.front_version.save()
        cls.front_revision = Version.objects.get_for_object(cls.front_version).get()
        # Everyone left a draft behind: the forms offer it, or show it restored.
        for user in cls.users.values():
            for article in (cls.article, cls.draft, None):
                AutosavedDraft.keep(user, article, {"headline": "Halb getippt"}, None)
        make_eilmeldung(article=cls.article, text="")
        cls.ticker = make_ticker(cls.article)
        make_entry(cls.ticker, is_pinned=True, author=desk)
        page = make_page(title="Impressum", slug="impressum")
        make_job(args=[[cls.article.pk]])
        save_version(page, desk, "Erste Fassung")

    def sample(self, model):
        if model is Article:
            return self.article
        if model is Tag:
            return Tag.objects.first()
        return model.objects.first()

    def page_urls(self):
        """Every admin page worth reading, whoever may open it."""
        urls = [
            reverse("admin:index"),
            reverse("admin:password_change"),
            reverse("admin:two_factor"),
            reverse("readership:staff_statistics"),
            reverse("admin:ads_campaign_report"),
            reverse("admin:articles_article_planning"),
            reverse("admin:ads_creative_preview", args=[self.creative.pk]),
            reverse("admin:live_ticker_desk", args=[self.ticker.pk]),
            admin_url(Article, "recoverlist"),
            admin_url(Article, "recover", self.deleted_version.pk),
            admin_url(Article, "revision", self.article.pk, self.first_version.pk),
            admin_url(Article, "compare", self.article.pk)
            + f"?version_id1={self.first_version.pk}"
            f"&version_id2={self.second_version.pk}",
            admin_url(
                FrontVersion,
                "revision",
                self.front_version.pk,
                self.front_revision.pk,
            ),
            admin_url(Article, "add") + "?entwurf=1",
            admin_url(Article, "change", self.article.pk) + "?entwurf=1",
            admin_url(Article, "change", self.draft.pk) + "?entwurf=1",
        ]
        for app_label in {model._meta.app_label for model in site._registry}:
            urls.append(reverse("admin:app_list", args=[app_label]))
        for model in site._registry:
            if model._meta.app_label in UNTRANSLATED_APPS:
                continue
            obj = self.sample(model)
            urls += [
                admin_url(model, "changelist"),
                admin_url(model, "changelist") + "?q=xyz",
                admin_url(model, "add"),
            ]
            if obj is not None:
                urls += [
                    admin_url(model, "change", obj.pk),
                    admin_url(model, "history", obj.pk),
                    admin_url(model, "delete", obj.pk),
                ]
        return urls

    def test_every_admin_page_reads_in_german_for_every_role(self):
        for role in ROLES:
            self.client.force_login(self.users[role])
            read = 0
            for url in self.page_urls():
                response = self.client.get(url)
                if response.status_code != 200:
                    continue
                read += 1
                with self.subTest(role=role, url=url):
                    self.assertEqual(wrong_words_in(response.content.decode()), [])
            with self.subTest(role=role):
                self.assertGreater(read, 5)

    def test_the_sign_in_page_reads_in_german(self):
        response = self.client.get(reverse("admin:login"))

        self.assertEqual(wrong_words_in(response.content.decode()), [])


class ArticleVersionPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_staff(DESK_EDITOR)
        cls.article = make_article(headline="Erste Fassung", created_by=cls.desk)
        cls.first = save_version(cls.article, cls.desk)
        cls.article.headline = "Zweite Fassung"
        make_topic_box(cls.article, make_article(headline="Hintergrund"))
        cls.second = save_version(cls.article, cls.desk)

    def setUp(self):
        self.client.force_login(self.desk)

    def compare(self):
        return self.client.get(
            admin_url(Article, "compare", self.article.pk),
            {"version_id1": self.first.pk, "version_id2": self.second.pk},
        )

    def test_the_diff_shows_content_and_never_bookkeeping(self):
        response = self.compare()

        self.assertContains(response, "<h3>Überschrift</h3>", html=True)
        self.assertContains(response, "„Mehr zum Thema“-Kästen")
        for internal in ("Bearbeitungsstand", "Suchindex", "Zuletzt geändert"):
            self.assertNotContains(response, internal)

    def test_the_compare_page_leads_back_in_german(self):
        response = self.compare()

        self.assertContains(response, "Zurück zur Änderungsgeschichte")
        self.assertContains(response, "wiederherstellen")
        self.assertContains(
            response,
            f'<a href="{reverse("admin:app_list", args=["articles"])}">Redaktion</a>',
            html=True,
        )


class BodyEditorCatalogTests(TestCase):
    def test_the_admin_catalog_holds_the_body_editors_german(self):
        self.client.force_login(make_staff(JOURNALIST))

        response = self.client.get(reverse("admin:jsi18n"))

        for german in ("Link bearbeiten", "Titel", "Abbrechen"):
            self.assertContains(response, german)


class RelatedObjectLinksTests(TestCase):
    def test_links_beside_a_choice_name_the_model_grammatically(self):
        self.client.force_login(make_editor())

        response = self.client.get(admin_url(Article, "add"))

        self.assertContains(response, 'title="Ressort: Auswahl bearbeiten"')
        self.assertNotContains(response, "Ausgewählte Ressort")
