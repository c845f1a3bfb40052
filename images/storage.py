"""Media in an S3 bucket (django-storages), addressed under MEDIA_URL."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    """Objects in the bucket at the site's own MEDIA_URL.

    Readers never ask another host before a click (and the CSP allows
    images from the site alone): the web server or CDN in front maps
    /media/ to the bucket, or Django's media view reads from it.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"
