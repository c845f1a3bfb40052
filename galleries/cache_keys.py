"""What the page cache needs to know about galleries.

Every page that shows a gallery's pictures (the article page, each picture's
page) notes `gallery:<article id>`; the image sitemap notes `galleries`. A
picture's change touches exactly those.
"""

from pagecache import dependencies
from pagecache.dependencies import key

from .models import GalleryPicture

EVERY_GALLERY = "galleries"


def gallery_key(article_id):
    return key("gallery", article_id)


def picture_keys(picture):
    return {gallery_key(picture.article_id), EVERY_GALLERY}


def register():
    dependencies.touch_on_change(GalleryPicture, picture_keys)
