"""What the page cache needs to know about pages (see
pagecache.dependencies): a page's own address shows its row, `page-row:<pk>`;
every page's footer shows the list of titles, `list:pages`. Changing a text
retires its own address only; a new, removed or renamed page every page.
"""

from django.db.models.signals import pre_save

from articles.cache_keys import SECTIONS
from pagecache import dependencies
from pagecache.dependencies import key

from .models import Page

# Not "page": `page:*` already means every stored page.
ROW_KIND = "page-row"
FOOTER = "list:pages"
# What the footer shows of a page.
FOOTER_FIELDS = ("title", "slug", "position")


def page_lists(slug):
    """A page shows the navigation's list of Ressorts, like every page."""
    return [SECTIONS]


def page_saving(sender, instance, raw=False, **kwargs):
    if instance._state.adding:
        instance._footer_before = None
    else:
        instance._footer_before = (
            Page.objects.filter(pk=instance.pk).values(*FOOTER_FIELDS).first()
        )


def page_keys(page):
    before = getattr(page, "_footer_before", None)
    keys = {key(ROW_KIND, page.pk)}
    # A delete, an addition, or a change the footer shows.
    if before is None or any(
        before[field] != getattr(page, field) for field in FOOTER_FIELDS
    ):
        keys.add(FOOTER)
    return keys


def register():
    dependencies.track(Page, ROW_KIND)
    pre_save.connect(page_saving, sender=Page)
    dependencies.touch_on_change(Page, page_keys)
