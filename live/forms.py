"""The ticker desk's fast form: one text field, the picture folded away."""

from django import forms
from django_prose_editor.fields import ProseEditorFormField

from articles.admin.forms import BODY_EDITOR_EXTENSIONS

from .models import Entry


class EntryForm(forms.ModelForm):
    """An entry, with the body's editor; the sanitiser runs on save."""

    text = ProseEditorFormField(
        label="Text",
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        help_text=Entry._meta.get_field("text").help_text,
    )

    class Meta:
        model = Entry
        fields = [
            "text",
            "image",
            "image_alt",
            "image_credit",
            "is_pinned",
            "is_key_event",
        ]

    def __init__(self, *args, may_mark=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Pinning and key events are the desk's (CvD) decision.
        if not may_mark:
            self.fields.pop("is_pinned", None)
            self.fields.pop("is_key_event", None)
