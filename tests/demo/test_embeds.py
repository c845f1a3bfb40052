from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from articles.models import Article
from embeds.models import Embed, PreviewState
from embeds.providers import Provider


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class DemoEmbedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("load_demo_content")
        with mock.patch("embeds.services.http_get") as network:
            with cls.captureOnCommitCallbacks(execute=True):
                run("load_demo_embeds")
        cls.asked_providers = network.called
        cls.article = Article.objects.get(headline__startswith="Neun Blicke")

    def test_an_article_with_an_embed_of_every_provider_and_drawn_previews(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertEqual(
            set(Embed.objects.values_list("provider", flat=True)), set(Provider)
        )
        for embed in Embed.objects.all():
            self.assertEqual(embed.state, PreviewState.READY)
            self.assertContains(response, f'src="{embed.preview.url}"')
        self.assertContains(response, 'class="embed"', count=len(Provider))
        self.assertNotContains(response, "<iframe")
        self.assertIs(self.asked_providers, False)

    def test_running_it_again_changes_nothing(self):
        self.assertIn("bestehen schon", run("load_demo_embeds"))
        self.assertEqual(Embed.objects.count(), len(Provider))
