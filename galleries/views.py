from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.cache_keys import article_page
from articles.models import Article, ArticleKind, ArticleStatus
from articles.views import ArticleDetailView
from pagecache.decorators import cache_page_with_dependencies

from .models import GalleryPicture


def picture_page_lists(section_path, slug, number):
    # The address may also be that of an article "bild-<n>" in a subsection.
    return [
        *article_page(section_path, slug),
        *article_page(f"{section_path}/{slug}", f"bild-{number}"),
    ]


@cache_page_with_dependencies(lists=picture_page_lists)
class PicturePageView(ArticleDetailView):
    """One picture of a gallery on the article's page, under its own address.

    The first picture's address is the article's; any other address that
    names no picture is tried as an article, as if this view were not here.
    """

    def get(self, request, section_path, slug, number):
        try:
            # The article's own look-up, stored as on its page.
            article = self.get_object()
        except Http404:
            article = None
        is_gallery = article is not None and article.kind == ArticleKind.GALLERY
        pictures = list(GalleryPicture.objects.of(article)) if is_gallery else []
        if not 1 <= number <= len(pictures):
            return ArticleDetailView.as_view()(
                request, section_path=f"{section_path}/{slug}", slug=f"bild-{number}"
            )
        if number == 1:
            return redirect(article, permanent=True)
        self.object = article
        context = self.get_context_data(
            object=article,
            gallery_pictures=pictures,
            picture_number=number,
            canonical_path=request.path,
        )
        return self.render_to_response(context)


@staff_member_required
@require_POST
def upload_picture(request, pk):
    """One picture added to the end of a gallery, answered in JSON (the
    article form's upload field sends each file of a choice on its own)."""
    article = get_object_or_404(Article.objects.editable_by(request.user), pk=pk)
    if not request.user.has_perm("galleries.add_gallerypicture"):
        raise PermissionDenied
    if article.status == ArticleStatus.PUBLISHED:
        # A picture without its texts would go online at once.
        return JsonResponse(
            {
                "error": "Die Bilderstrecke ist veröffentlicht: Neue Bilder bitte "
                "einzeln im Formular hinzufügen, mit Bildunterschrift, "
                "Alternativtext und Bildnachweis."
            },
            status=409,
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Es wurde keine Datei geschickt."}, status=400)
    picture = GalleryPicture(article=article, image=upload)
    try:
        picture.full_clean(exclude=["position"])
    except ValidationError as error:
        messages = error.message_dict.get("image") or error.messages
        return JsonResponse(
            {"error": f"{upload.name}: {' '.join(messages)}"}, status=400
        )
    with transaction.atomic():
        picture.position = GalleryPicture.objects.next_position(article)
        picture.save()
    return JsonResponse(
        {"id": picture.pk, "position": picture.position, "name": str(picture)},
        status=201,
    )
