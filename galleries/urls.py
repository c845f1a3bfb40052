from django.urls import path

from . import views

app_name = "galleries"

# After the fixed prefixes and before the articles' section catch-all, which
# would take "bild-3" for an article's slug (PicturePageView hands such
# addresses back to the articles).
urlpatterns = [
    path(
        "<path:section_path>/<slug:slug>/bild-<int:number>/",
        views.PicturePageView.as_view(),
        name="picture_page",
    ),
]
