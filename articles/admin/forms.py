"""The article form: its fields, the body editor, the edit-token check."""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_prose_editor.fields import ProseEditorFormField
from reversion.models import Version

from ..forms import count_headline_and_lead
from ..models import (
    Article,
    ArticleStatus,
)
from .editing import changes_since_url

# Exactly what the body's sanitiser keeps (articles.text.BODY_TAGS), so the
# editor never offers something that would vanish on save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # A subheading in one click, and German menu labels
    # (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "SubheadingButton": True,
    "GermanMenu": True,
}


ARTICLE_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "kicker",
                "headline",
                "slug",
                "lead",
                "body",
                "loaded_edit_token",
            ]
        },
    ),
    ("Einordnung", {"fields": ["kind", "section", "authors", "tags"]}),
    (
        "Aufmacherbild",
        {
            "fields": [
                "image",
                ("image_focal_x", "image_focal_y"),
                "image_alt",
                "image_caption",
                "image_credit",
            ]
        },
    ),
    (
        "Veröffentlichung",
        {
            "fields": [
                "status",
                "published_at",
                "unpublish_at",
                "is_ad_free",
                "preview_link",
            ]
        },
    ),
]


class SectionsByPath(ModelChoiceIterator):
    """All sections in one query, by full name ("News › Politik")."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for section in self.queryset.labelled_by_path():
            yield self.choice(section)


class SectionChoiceField(forms.ModelChoiceField):
    """A plain select of every section by its full path: a newsroom has a
    few dozen, and "Politik" alone may stand under "News" and "Lokales"."""

    iterator = SectionsByPath

    def label_from_instance(self, section):
        return section.full_name


class ArticleAdminForm(forms.ModelForm):
    # Set per request by ArticleAdmin.get_form.
    user = None
    restored_draft = None  # the person's autosaved draft, to be shown

    loaded_edit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    body = ProseEditorFormField(
        label="Text",
        required=False,
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        help_text=Article._meta.get_field("body").help_text,
    )

    class Meta:
        model = Article
        fields = [
            name
            for name in flatten_fieldsets(ARTICLE_FIELDSETS)
            if name not in ("loaded_edit_token", "preview_link")
        ]
        field_classes = {"section": SectionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_edit_token"].initial = self.instance.edit_token
        if self.restored_draft is not None:
            self.show_draft(self.restored_draft)
        if "status" in self.fields:
            allowed = self.instance.statuses_for(self.user)
            self.fields["status"].choices = [
                choice for choice in ArticleStatus.choices if choice[0] in allowed
            ]
        if "kind" in self.fields:
            # A form posted without the field (older pages, scripts) keeps
            # the kind the article has.
            self.fields["kind"].required = False
            self.fields["kind"].has_changed = self._kind_changed
        count_headline_and_lead(self)
        # The outline beside the editor (body_layout.js) asks here where
        # boxes and the inline ad stand in the text being typed.
        self.fields["body"].widget.attrs["data-layout-url"] = reverse(
            "admin:articles_article_layout"
        )
        # The crop previews beside the focal point (focal_point.js) are cut
        # there by the renditions' rule.
        if focal_x := self.fields.get("image_focal_x"):
            focal_x.widget.attrs["data-crops-url"] = reverse(
                "admin:articles_article_crops"
            )

    def _kind_changed(self, initial, data):
        # Not posted is not changed (nor a change in the history).
        field = self.fields["kind"]
        return bool(data) and type(field).has_changed(field, initial, data)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind

    def show_draft(self, draft):
        """Open with what was typed, and the edit token it was typed on: if
        someone saved since, saving the draft is refused like any stale form."""
        self.initial.update(
            (name, value)
            for name, value in draft.data.items()
            if name in self.fields and is_choosable(self.fields[name], value)
        )
        if self.instance.pk:
            self.initial["loaded_edit_token"] = draft.started_from

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.instance.pk
            and cleaned_data.get("loaded_edit_token") != self.current_token()
        ):
            raise ValidationError(self.stale_message(), code="stale")
        return cleaned_data

    def current_token(self):
        return (
            Article.objects.filter(pk=self.instance.pk)
            .values_list("edit_token", flat=True)
            .first()
        )

    def stale_message(self):
        latest = (
            Version.objects.get_for_object(self.instance)
            .select_related("revision__user")
            .first()
        )
        who = "jemand anderes"
        when = ""
        if latest is not None:
            who = latest.revision.user or who
            when = timezone.localtime(latest.revision.date_created).strftime(
                " am %d.%m.%Y um %H:%M Uhr"
            )
        changes = changes_since_url(
            self.instance, self.cleaned_data.get("loaded_edit_token")
        )
        current = reverse("admin:articles_article_change", args=[self.instance.pk])
        return format_html(
            "Nicht gespeichert: {} hat diesen Artikel{} geändert, nachdem Sie ihn "
            "geöffnet haben. Ihre Fassung steht unverändert in diesem Formular. "
            '<a href="{}" target="_blank">Änderungen ansehen</a> oder '
            '<a href="{}" target="_blank">die aktuelle Fassung öffnen</a> und Ihre '
            "Änderungen dort übernehmen.",
            who,
            when,
            changes,
            current,
        )


def is_choosable(field, value):
    """Whether a draft's `value` can stand in `field` on the form: a choice
    of rows needs their keys (a section or author deleted since just goes)."""
    if not isinstance(field, forms.ModelChoiceField):
        return True
    key = field.queryset.model._meta.pk
    try:
        for item in value if isinstance(value, list) else [value]:
            if item not in ("", None):
                key.to_python(item)
    except ValidationError:
        return False
    return True


# Without the right to publish, the times are shown as text: a disabled date
# field still has working "Heute" and "Jetzt" links.
TIMES_SHOWN_TO_WRITERS = {
    "published_at": "publication_time",
    "unpublish_at": "visible_until",
}


def time_set_by_the_desk(value):
    if value is None:
        return "Noch offen – legt die Chefin oder der Chef vom Dienst fest."
    return (
        f"{timezone.localtime(value):%d.%m.%Y, %H:%M} Uhr – legt die Chefin oder "
        "der Chef vom Dienst fest."
    )
