from django import forms

MAX_QUERY_LENGTH = 200


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
