"""What the article form asks while a person composes: where boxes and
the inline ad will stand in the text, and how the picture will be cut."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path

from images.renditions import CROPS, crop_box

from ..models import Article


class ComposingAdmin:
    """For ArticleAdmin: the endpoints behind body_layout.js and
    focal_point.js, open to whoever may add or change articles."""

    def get_urls(self):
        def view(function, route, name):
            return path(
                route,
                self.admin_site.admin_view(function),
                name=f"articles_article_{name}",
            )

        return [
            view(self.layout_view, "aufbau/", "layout"),
            view(self.crops_view, "zuschnitte/", "crops"),
            *super().get_urls(),
        ]

    def crops_view(self, request):
        """The 16:9, 4:3 and 1:1 crops of a picture this size around this
        focal point, cut by the renditions' own rule, for the previews
        beside the focal point (focal_point.js)."""
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        try:
            size = (int(request.GET["breite"]), int(request.GET["hoehe"]))
            focal_point = (float(request.GET["x"]), float(request.GET["y"]))
        except (KeyError, ValueError):
            return JsonResponse({"error": "Bildgröße und Fokus fehlen."}, status=400)
        if min(size) < 1 or not all(0 <= share <= 1 for share in focal_point):
            return JsonResponse({"error": "Bildgröße oder Fokus ungültig."}, status=400)
        return JsonResponse(
            {
                "crops": [
                    {"name": name, "box": crop_box(size, ratio, focal_point)}
                    for name, ratio in CROPS.items()
                ]
            }
        )

    def layout_view(self, request):
        """Where the "Mehr zum Thema" boxes and the inline ad stand in the
        text being typed, placed by the reader page's own rule
        (Article.body_parts), for the form's outline (body_layout.js)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        positions = [
            int(value) if value.isdecimal() and int(value) >= 1 else None
            for value in request.POST.getlist("after_paragraph")
        ]
        parts = Article.layout_of(request.POST.get("body", ""), positions)
        return JsonResponse(
            {
                "parts": [
                    {"markup": markup, "boxes": boxes, "inline_ad": inline_ad}
                    for markup, boxes, inline_ad in parts
                ]
            }
        )
