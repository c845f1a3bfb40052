from django.urls import path

from . import views

app_name = "readership"

# Included under "statistik/" before the articles' section catch-all; the
# section model refuses that slug (RESERVED_SECTION_SLUGS).
urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("aufruf/", views.count_view, name="count_view"),
    path("token/", views.view_token, name="view_token"),
    path("redaktion/", views.staff_statistics, name="staff_statistics"),
    path(
        "redaktion/aufrufe.csv",
        views.staff_statistics_csv,
        name="staff_statistics_csv",
    ),
]
