"""A gallery on its article's page: one picture, the way to the others,
an ad every few pictures, and the gallery's structured data."""

from django import template

from articles.models import ArticleKind
from articles.templatetags.articles import json_ld
from pagecache import dependencies

from ..cache_keys import gallery_key
from ..models import GalleryPicture, picture_url

register = template.Library()

# An ad slot ("bilderstrecke" in the inventory) after every this many pictures.
AD_EVERY = 4
# Pictures a gallery's block in another article's body shows.
TEASER_PICTURES = 3


@register.inclusion_tag("galleries/gallery.html", takes_context=True)
def gallery(context, article):
    """Picture `picture_number` (1 unless the page says) of `article`'s
    gallery, or nothing for an article of another kind."""
    if article.kind != ArticleKind.GALLERY:
        return {"picture": None}
    dependencies.note(gallery_key(article.pk))
    pictures = context.get("gallery_pictures")
    if pictures is None:
        pictures = list(GalleryPicture.objects.of(article))
    if not pictures:
        return {"picture": None}
    number = context.get("picture_number", 1)
    count = len(pictures)
    return {
        "request": context.get("request"),
        "article": article,
        "picture": pictures[number - 1],
        "number": number,
        "count": count,
        "previous_url": picture_url(article, number - 1) if number > 1 else "",
        "next_url": picture_url(article, number + 1) if number < count else "",
        "ad_after": number % AD_EVERY == 0 and number < count,
        "json_ld": gallery_json_ld(context, article, pictures),
    }


def gallery_json_ld(context, article, pictures):
    absolute = context["request"].build_absolute_uri
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "ImageGallery",
            "@id": absolute(article.get_absolute_url()) + "#bilderstrecke",
            "url": absolute(article.get_absolute_url()),
            "name": article.headline,
            "description": article.lead,
            "inLanguage": "de",
            "numberOfItems": len(pictures),
            "associatedMedia": [
                {
                    "@type": "ImageObject",
                    "contentUrl": absolute(picture.largest_image_url),
                    "url": absolute(picture_url(article, number)),
                    "caption": picture.image_caption,
                    "description": picture.image_alt,
                    "creditText": picture.image_credit,
                    "width": picture.image_width,
                    "height": picture.image_height,
                    "position": number,
                }
                for number, picture in enumerate(pictures, start=1)
            ],
        }
    )


@register.inclusion_tag("galleries/gallery_teaser.html")
def gallery_teaser(gallery):
    """A gallery as a block inside another article's body (a "Mehr zum
    Thema" box whose story is a gallery): its first pictures and a link."""
    dependencies.note(gallery_key(gallery.pk))
    pictures = list(GalleryPicture.objects.of(gallery))
    return {
        "gallery": gallery,
        "pictures": pictures[:TEASER_PICTURES],
        "count": len(pictures),
    }
