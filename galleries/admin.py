from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from articles.admin import add_article_inline
from articles.models import ArticleKind, ArticleStatus

from .models import REQUIRED_TEXTS, GalleryPicture, missing_texts, picture_problem


class GalleryPictureFormSet(BaseInlineFormSet):
    """Refuses to publish the article while a picture lacks its texts.

    The form's rows are checked, not the stored ones: a caption typed in
    the same save counts.
    """

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != ArticleStatus.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form) and hasattr(form, "cleaned_data")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
        problems = []
        if article.kind == ArticleKind.GALLERY and not kept:
            problems.append("Die Bilderstrecke hat noch kein Bild.")
        for number, form in enumerate(kept, start=1):
            values = {field: form.cleaned_data.get(field) for field in REQUIRED_TEXTS}
            image = form.cleaned_data.get("image")
            name = getattr(image, "name", "") or ""
            if problem := picture_problem(number, name, missing_texts(values)):
                problems.append(problem)
        if problems:
            raise ValidationError(problems)


class GalleryPictureInline(admin.TabularInline):
    model = GalleryPicture
    formset = GalleryPictureFormSet
    extra = 0
    fields = [
        "position",
        "image",
        "image_caption",
        "image_alt",
        "image_credit",
        "image_focal_x",
        "image_focal_y",
    ]
    template = "admin/galleries/gallerypicture/tabular.html"

    class Media:
        js = ["galleries/admin/pictures.js"]
        css = {"all": ["galleries/admin/pictures.css"]}


add_article_inline(GalleryPictureInline)
