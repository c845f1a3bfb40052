"""Pictures live in the object store, not on an app server's disk.

A lead picture saved on one machine has its copies (crops, widths,
formats) written by the worker into the bucket; readers get them from any
app server, though each has an empty media folder of its own.
"""

import re

from django.conf import settings
from django_tasks import TaskResultStatus

from images.jobs import create_copies
from jobs.models import Job
from tests.factories import image_file, make_article, make_section

from .reading import get, wait_for


def test_the_worker_writes_a_pictures_copies_to_the_bucket_for_every_server(
    engines, object_store
):
    server_a, server_b = engines.servers
    article = make_article(
        section=make_section(name="Hafen", slug="hafen"),
        headline="Die neue Fähre im Hafen",
        image=image_file("faehre.jpg", size=(1600, 900)),
    )
    copies = Job.objects.get(task_path=create_copies.module_path)

    # Behind the article's search terms, which take seconds on a busy machine.
    wait_for(
        lambda: Job.objects.get(pk=copies.pk).status == TaskResultStatus.SUCCESSFUL,
        60,
    )

    in_bucket = object_store.keys_in_bucket()
    assert article.image.name in in_bucket
    assert len([key for key in in_bucket if key.startswith("renditions/")]) == 24
    status, headers, text = get(f"{engines.edge}{article.get_absolute_url()}")
    assert status == 200
    pictures = set(re.findall(r'src="(/media/renditions/[^"]+)"', text))
    assert pictures
    for picture in pictures:
        assert picture.removeprefix(settings.MEDIA_URL) in in_bucket
        status, headers, body = get(f"{server_b}{picture}")
        assert status == 200
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["Cache-Control"] == settings.MEDIA_CACHE_CONTROL
    # No app server and not the worker kept a file of its own.
    assert [path for root in engines.media_roots for path in root.rglob("*")] == []
