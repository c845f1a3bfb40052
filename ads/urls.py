from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("fuellen/", views.fill, name="fill"),
    path("ereignis/", views.beacon, name="beacon"),
    path("klick/<str:token>/", views.click, name="click"),
    path("vorschau/<str:token>/", views.preview, name="preview"),
]
