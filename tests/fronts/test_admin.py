"""The desk plans fronts in the admin; journalists look; every saved
version is in the history and restoring one brings the whole page back."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from fronts.models import Block, BlockKind, FrontVersion, Placement
from tests.factories import (
    make_article,
    make_desk_editor,
    make_journalist,
    make_section,
)
from tests.fronts.factories import make_block, make_front, make_version


def version_form(version=None, blocks=(), placements=(), **fields):
    """POST data for the version page: its fields and both inlines."""
    data = {
        "front": version.front_id if version else fields.pop("front"),
        "name": version.name if version else "Morgenausgabe",
        "starts_at_0": "",
        "starts_at_1": "",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
    }
    starts_at = timezone.localtime(
        fields.pop("starts_at", version.starts_at if version else timezone.now())
    )
    data["starts_at_0"] = f"{starts_at:%d.%m.%Y}"
    data["starts_at_1"] = f"{starts_at:%H:%M:%S}"
    for prefix, rows in (("blocks", blocks), ("placements", placements)):
        initial = [row for row in rows if row.get("id")]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(initial))
        for number, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{number}-{name}"] = value
    data.update(fields)
    return data


def block_row(block=None, **fields):
    row = {
        "id": block.pk if block else "",
        "version": block.version_id if block else "",
        "position": block.position if block else 1,
        "kind": block.kind if block else BlockKind.TOP,
        "title": block.title if block else "",
        "layout": block.layout if block else "medium",
        "count": block.count if block else 4,
    }
    row.update(fields)
    return row


class DeskPlansFrontsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.journalist = make_journalist()
        cls.front = make_front()
        cls.article = make_article(headline="Der Aufmacher von morgen")

    def add_url(self):
        return reverse("admin:fronts_frontversion_add")

    def change_url(self, version):
        return reverse("admin:fronts_frontversion_change", args=[version.pk])

    def test_the_desk_plans_a_version_with_its_blocks(self):
        self.client.force_login(self.desk)
        starts_at = timezone.now() + timedelta(hours=1)

        response = self.client.post(
            self.add_url(),
            version_form(
                front=self.front.pk,
                starts_at=starts_at,
                blocks=[
                    block_row(kind=BlockKind.LEAD, count=1, position=1),
                    block_row(kind=BlockKind.TOP, position=2),
                ],
            ),
        )

        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        version = FrontVersion.objects.get()
        self.assertEqual(version.created_by, self.desk)
        self.assertEqual(
            list(version.blocks.values_list("kind", flat=True)), ["lead", "top"]
        )

    def test_the_desk_places_an_article_in_a_saved_block(self):
        version = make_version(self.front)
        lead = make_block(version, BlockKind.LEAD, count=1)
        self.client.force_login(self.desk)

        response = self.client.post(
            self.change_url(version),
            version_form(
                version,
                blocks=[block_row(lead)],
                placements=[
                    {
                        "id": "",
                        "version": version.pk,
                        "block": lead.pk,
                        "article": self.article.pk,
                        "position": 1,
                        "label": "",
                    }
                ],
            ),
        )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(Placement.objects.get().article, self.article)

    def test_a_block_missing_its_ressort_is_refused_in_german_and_nothing_saved(self):
        self.client.force_login(self.desk)

        response = self.client.post(
            self.add_url(),
            version_form(
                front=self.front.pk, blocks=[block_row(kind=BlockKind.SECTION)]
            ),
        )

        self.assertContains(response, "Für diese Art von Block bitte auswählen.")
        self.assertFalse(FrontVersion.objects.exists())

    def test_two_versions_cannot_start_at_the_same_moment(self):
        version = self.front.versions.create(
            name="Morgenausgabe",
            starts_at=timezone.now().replace(microsecond=0) + timedelta(hours=1),
        )
        self.client.force_login(self.desk)

        response = self.client.post(
            self.add_url(),
            version_form(front=self.front.pk, starts_at=version.starts_at),
        )

        self.assertContains(response, "beginnt schon eine andere Fassung")
        self.assertEqual(FrontVersion.objects.count(), 1)

    def test_a_journalist_sees_the_plans_but_cannot_change_them(self):
        version = make_version(self.front)
        block = make_block(version, count=2)
        self.client.force_login(self.journalist)

        page = self.client.get(self.change_url(version))
        saved = self.client.post(
            self.change_url(version), version_form(version, blocks=[block_row(block)])
        )
        added = self.client.get(self.add_url())

        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(saved.status_code, 403)
        self.assertEqual(added.status_code, 403)

    def test_the_desk_shares_a_preview_link(self):
        version = make_version(self.front, starts_in=timedelta(hours=2))
        self.client.force_login(self.desk)

        response = self.client.post(
            reverse("admin:fronts_frontversion_share_preview", args=[version.pk]),
            HTTP_ACCEPT="application/json",
        )

        self.assertIn("/vorschau/seite/link/", response.json()["url"])
        self.client.logout()
        self.assertEqual(self.client.get(response.json()["url"]).status_code, 200)

    def test_a_journalist_cannot_share_a_preview_link(self):
        version = make_version(self.front)
        self.client.force_login(self.journalist)

        response = self.client.post(
            reverse("admin:fronts_frontversion_share_preview", args=[version.pk])
        )

        self.assertEqual(response.status_code, 403)


class VersionHistoryTests(TestCase):
    def test_restoring_a_version_brings_back_its_blocks_and_placements(self):
        desk = make_desk_editor()
        self.client.force_login(desk)
        article = make_article(headline="Erst oben, dann weg")
        version = make_version()
        block = make_block(version, BlockKind.LEAD, count=1, placed=[article])
        placement = Placement.objects.get()
        url = reverse("admin:fronts_frontversion_change", args=[version.pk])
        placed_row = {
            "id": placement.pk,
            "version": version.pk,
            "block": block.pk,
            "article": article.pk,
            "position": 1,
            "label": "",
        }
        # First save: the lead story in place.
        self.client.post(
            url,
            version_form(version, blocks=[block_row(block)], placements=[placed_row]),
        )
        # Second save: the placement and the block gone, a new block added.
        self.client.post(
            url,
            version_form(
                version,
                blocks=[
                    block_row(block, DELETE="on"),
                    block_row(kind=BlockKind.MOST_READ, position=2),
                ],
                placements=[{**placed_row, "DELETE": "on"}],
            ),
        )
        self.assertEqual(
            list(version.blocks.values_list("kind", flat=True)), ["most_read"]
        )
        history = Version.objects.get_for_object(version)
        self.assertEqual(history.count(), 2)
        self.assertEqual(history[0].revision.user, desk)

        first = history[1]
        form = self.client.get(
            reverse("admin:fronts_frontversion_revision", args=[version.pk, first.pk])
        )
        self.assertEqual(form.status_code, 200)
        first.revision.revert(delete=True)

        self.assertEqual(list(version.blocks.values_list("kind", flat=True)), ["lead"])
        self.assertEqual(Placement.objects.get().article, article)
        self.assertEqual(Block.objects.count(), 1)


class AdminQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.articles = [make_article() for _ in range(4)]

    def setUp(self):
        self.client.force_login(self.desk)

    def queries_for(self, url):
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_list_of_fronts_costs_the_same_for_more_fronts(self):
        url = reverse("admin:fronts_front_changelist")
        make_version(make_front())
        few = self.queries_for(url)
        for _ in range(3):
            make_version(make_front(make_section()))
            make_version(make_front(make_section()), starts_in=timedelta(hours=1))

        self.assertEqual(self.queries_for(url), few)

    def test_a_versions_page_costs_at_most_a_query_per_placed_article(self):
        counts = []
        for placed in (1, 3):
            version = make_version(name=f"{placed} gesetzt", starts_in=timedelta(0))
            for kind in (BlockKind.LEAD, BlockKind.TOP, BlockKind.MOST_READ):
                make_block(version, kind, count=3, placed=self.articles[:placed])
            counts.append(
                self.queries_for(
                    reverse("admin:fronts_frontversion_change", args=[version.pk])
                )
            )

        # Sign-in, permissions, the version and its rows, each select's
        # choices once; the article autocomplete reads each chosen article.
        self.assertLessEqual(counts[0], 21, counts)
        # Six more placed articles.
        self.assertLessEqual(counts[1] - counts[0], 6, counts)
