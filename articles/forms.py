from django import forms

from .models import Correction
from .models.corrections import KIND_MISSING
from .models.states import MAX_HEADLINE_LENGTH_TO_PUBLISH

MAX_QUERY_LENGTH = 200
# A lead of one or two sentences, as German desks write it: longer ones
# read as a second body in lists and feeds. A target, not a limit.
LEAD_TARGET_LENGTH = 300

HEADLINE_TOO_LONG_TO_SAVE = (
    "Die Überschrift ist %(show_value)d Zeichen lang; gespeichert werden können "
    "höchstens %(limit_value)d, veröffentlicht höchstens "
    f"{MAX_HEADLINE_LENGTH_TO_PUBLISH}. Es wurde nichts abgeschnitten: Bitte "
    "kürzen Sie die Überschrift."
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Suchbegriff",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": "Bitte höchstens %(limit_value)d Zeichen eingeben."
        },
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


def count_characters(field, publish_limit=None, target=None):
    """Have the admin's counter (character_counter.js) follow `field`,
    against the length that may be published or the one to aim for.

    The browser's maxlength goes: it cuts pasted text without a word. The
    counter says when the text is too long, and the form refuses it whole.
    """
    attrs = field.widget.attrs
    attrs.pop("maxlength", None)
    attrs["data-count-characters"] = ""
    if getattr(field, "max_length", None):
        attrs["data-max-length"] = field.max_length
    if publish_limit:
        attrs["data-publish-limit"] = publish_limit
    if target:
        attrs["data-target-length"] = target


def count_headline_and_lead(form):
    """Counters on an article form's headline (against the publishing limit)
    and lead (against its target length), and a headline too long to store
    refused with both limits."""
    if headline := form.fields.get("headline"):
        count_characters(headline, MAX_HEADLINE_LENGTH_TO_PUBLISH)
        headline.error_messages["max_length"] = HEADLINE_TOO_LONG_TO_SAVE
    if lead := form.fields.get("lead"):
        count_characters(lead, target=LEAD_TARGET_LENGTH)


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text", "created_at"]
        error_messages = {"kind": {"required": KIND_MISSING}}
