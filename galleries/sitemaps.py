from django.contrib.sitemaps import Sitemap

from pagecache import dependencies

from .cache_keys import EVERY_GALLERY
from .models import GalleryPicture, picture_url


class GalleryPictureSitemap(Sitemap):
    """Each picture's page with its picture (image:image in sitemap.xml)."""

    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        # New pictures and changed ones are no article's change.
        dependencies.note(EVERY_GALLERY)
        return GalleryPicture.objects.shown_in_sitemaps()

    def location(self, picture):
        return picture_url(picture.article, picture.number)

    def lastmod(self, picture):
        return picture.article.published_at

    def get_latest_lastmod(self):
        # The index names the file without a date: Django's default would
        # load every picture to find one.
        return None

    def get_urls(self, page=1, site=None, protocol=None):
        host = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["images"] = [host + url["item"].largest_image_url]
        return urls
