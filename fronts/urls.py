from django.urls import path

from . import views

app_name = "fronts"

# Under "vorschau/seite/", a reserved section slug (articles' previews).
urlpatterns = [
    path("<int:pk>/", views.preview, name="preview"),
    path("link/<str:token>/", views.shared_preview, name="shared_preview"),
]
