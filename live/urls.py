from django.urls import path
from django.views.decorators.http import require_safe

from pagecache.decorators import cache_page_with_dependencies

from . import views
from .feeds import TickerFeed

app_name = "live"

urlpatterns = [
    path("<int:pk>/neu/", views.changes, name="changes"),
    path("<int:pk>/seite/<int:page>/", views.older_entries, name="older_entries"),
    path(
        "<int:pk>/feed/",
        cache_page_with_dependencies(require_safe(TickerFeed())),
        name="feed",
    ),
]
