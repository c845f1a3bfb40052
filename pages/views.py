from django.views.generic import DetailView

from pagecache.decorators import cache_page_with_dependencies

from .cache_keys import page_lists
from .models import Page


@cache_page_with_dependencies(lists=page_lists)
class PageDetailView(DetailView):
    model = Page
    template_name = "pages/page_detail.html"
    context_object_name = "page"
