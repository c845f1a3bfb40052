"""Views say that readers may share their pages; the page cache asks them.

The mark travels on the view function, the way django.contrib.sitemaps marks
its views with x_robots_tag, so the page cache needs no list of URL names:

    @cache_page_with_dependencies(parameters=("vor", "nach"), lists=tag_lists)
    def tag_page(request, slug): ...

    @cache_page_with_dependencies
    class AboutView(TemplateView): ...

On a class-based view the mark goes on `dispatch`, as
method_decorator(…, name="dispatch") would put it; View.as_view() copies
it onto the view function.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.utils.decorators import method_decorator


@dataclass(frozen=True)
class StoredPages:
    """How the page cache keeps the pages of one view."""

    # The query parameters the view reads; an address with any other (but
    # the trackers') is answered and never stored.
    parameters: frozenset[str] = frozenset()
    # Called with the address's keyword arguments: the keys of the lists
    # the page shows, known from the address alone (the rows it reads are
    # noted as they are loaded, see pagecache.dependencies).
    lists: Callable[..., Iterable[str]] | None = None

    def list_keys(self, url_kwargs):
        return list(self.lists(**url_kwargs)) if self.lists else []


def cache_page_with_dependencies(view=None, *, parameters=(), lists=None):
    """Let readers share the pages of `view` through the page cache.

    On function and class-based views, bare (`@cache_page_with_dependencies`)
    or with the options of StoredPages.
    """
    stored = StoredPages(parameters=frozenset(parameters), lists=lists)

    def mark(view):
        @wraps(view)
        def marked_view(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        marked_view.stored_pages = stored
        return marked_view

    def mark_view(view):
        if isinstance(view, type):
            return method_decorator(mark, name="dispatch")(view)
        return mark(view)

    return mark_view if view is None else mark_view(view)


def stored_pages(view):
    """The StoredPages of a marked view, or None."""
    return getattr(view, "stored_pages", None)
