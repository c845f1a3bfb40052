import re
from datetime import timedelta
from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils import timezone

from articles.models import Article

from .delivery import Page
from .models import BERLIN, AdSlot, Campaign, Creative
from .reports import GROUPINGS

MAX_REPORT_DAYS = 366
# As AdSlot.key, a slug.
SLOT_KEY = re.compile(r"[-a-zA-Z0-9_]{1,50}")


class HttpsURLField(forms.URLField):
    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class CreativeForm(forms.ModelForm):
    class Meta:
        model = Creative
        fields = [
            "name",
            "slots",
            "image",
            "mobile_image",
            "alt_text",
            "headline",
            "target_url",
            "is_active",
        ]
        widgets = {"slots": forms.CheckboxSelectMultiple}
        field_classes = {"target_url": HttpsURLField}

    def _post_clean(self):
        # The image sizes are known only once the upload is on the instance,
        # and the slots only as form data: check their fit here.
        super()._post_clean()
        slots = self.cleaned_data.get("slots")
        if not slots:
            return
        for field, message in self.instance.fit_errors(list(slots)).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)


class ReportForm(forms.Form):
    start = forms.DateField(label="Von")
    end = forms.DateField(label="Bis")
    grouping = forms.ChoiceField(
        label="Gliedern nach",
        choices=[(key, label) for key, (_, _, label) in GROUPINGS.items()],
        initial="campaign",
    )
    campaign = forms.ModelChoiceField(
        label="Kampagne",
        queryset=Campaign.objects.select_related("advertiser"),
        required=False,
    )
    creative = forms.ModelChoiceField(
        label="Werbemittel", queryset=Creative.objects.all(), required=False
    )
    slot = forms.ModelChoiceField(
        label="Werbeplatz", queryset=AdSlot.objects.all(), required=False
    )

    @classmethod
    def with_defaults(cls, data):
        """The form for `data`, reaching back two weeks unless told otherwise."""
        today = timezone.localtime(timezone.now(), BERLIN).date()
        values = {
            "start": today - timedelta(days=13),
            "end": today,
            "grouping": "campaign",
        }
        values.update({key: value for key, value in data.items() if value})
        # As dates, the fields show them the German way (20.11.2026), also
        # when a link gave them as 2026-11-20; anything else stays as typed,
        # next to its error.
        for name in ("start", "end"):
            try:
                values[name] = cls.base_fields[name].to_python(values[name])
            except forms.ValidationError:
                pass
        return cls(values)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("„Bis“ darf nicht vor „Von“ liegen.")
            if (end - start).days >= MAX_REPORT_DAYS:
                raise forms.ValidationError(
                    f"Bitte höchstens {MAX_REPORT_DAYS} Tage auf einmal auswerten."
                )
        return cleaned


class PreviewForm(forms.Form):
    slot = forms.ModelChoiceField(label="Werbeplatz", queryset=AdSlot.objects.none())
    article = forms.CharField(
        label="Artikel",
        max_length=500,
        help_text="Adresse des Artikels, z. B. aus der Adresszeile des Browsers.",
    )

    def __init__(self, *args, creative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = creative.slots.all()

    def clean_article(self):
        path = urlsplit(self.cleaned_data["article"].strip()).path
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.view_name != "articles:article_detail":
            raise forms.ValidationError("Unter dieser Adresse steht kein Artikel.")
        article = (
            Article.objects.published()
            .select_related("section")
            .filter(
                section__path=match.kwargs["section_path"], slug=match.kwargs["slug"]
            )
            .first()
        )
        if article is None:
            raise forms.ValidationError(
                "Unter dieser Adresse steht kein veröffentlichter Artikel."
            )
        if article.is_ad_free:
            raise forms.ValidationError(
                "Dieser Artikel ist als „Keine Werbung“ markiert; dort erscheint "
                "keine Anzeige."
            )
        return article


class FillForm(forms.Form):
    """What static/ads/ads.js asks ads:fill for: the pending slots of one
    page and what targeting may look at there (ads.delivery.Page)."""

    # A page has at most a handful of slots; anything longer is not our script.
    MAX_SLOTS = 20

    slot = forms.Field(widget=forms.MultipleHiddenInput)
    ressort = forms.RegexField(
        regex=r"^[-\w]+(/[-\w]+)*$", max_length=500, required=False
    )
    themen = forms.RegexField(regex=r"^\d{1,18}(,\d{1,18})*$", required=False)

    def clean_slot(self):
        keys = list(dict.fromkeys(self.cleaned_data["slot"]))
        if len(keys) > self.MAX_SLOTS or not all(
            SLOT_KEY.fullmatch(key) for key in keys
        ):
            raise forms.ValidationError("Ungültige Anzeigenplätze.")
        return keys

    def page(self):
        tags = self.cleaned_data["themen"]
        return Page(
            section_path=self.cleaned_data["ressort"],
            tag_ids=frozenset(int(pk) for pk in tags.split(",") if pk),
        )
