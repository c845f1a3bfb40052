from datetime import timedelta

from django import forms
from django.utils import timezone

MAX_STATISTICS_DAYS = 366
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatisticsForm(forms.Form):
    GROUPINGS = [
        ("artikel", "Artikel"),
        ("ressort", "Ressort"),
        ("autor", "Autor/in"),
    ]

    von = forms.DateField(label="Von", required=False, widget=DATE_INPUT)
    bis = forms.DateField(label="Bis", required=False, widget=DATE_INPUT)
    nach = forms.ChoiceField(label="Aufrufe nach", choices=GROUPINGS, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        last = cleaned.get("bis") or today
        first = cleaned.get("von") or last - timedelta(days=29)
        if first > last:
            raise forms.ValidationError("„Von“ muss vor „Bis“ liegen.")
        if (last - first).days >= MAX_STATISTICS_DAYS:
            raise forms.ValidationError(
                f"Bitte höchstens {MAX_STATISTICS_DAYS} Tage auf einmal auswählen."
            )
        cleaned.update(von=first, bis=last, nach=cleaned.get("nach") or "artikel")
        return cleaned

    def period(self):
        """The chosen period and grouping, as services.views_report takes them."""
        return {
            "first_day": self.cleaned_data["von"],
            "last_day": self.cleaned_data["bis"],
            "grouping": self.cleaned_data["nach"],
        }
