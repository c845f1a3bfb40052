from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

OTP_MESSAGES = {
    **OTPAuthenticationFormMixin.otp_error_messages,
    "token_required": "Bitte geben Sie den Bestätigungscode aus Ihrer "
    "Authenticator-App ein.",
    "invalid_token": "Dieser Bestätigungscode stimmt nicht. Bitte geben Sie den "
    "aktuellen Code aus Ihrer App ein.",
    "verification_not_allowed": "Zu viele falsche Codes. Bitte warten Sie einen "
    "Moment und versuchen Sie es dann noch einmal.",
}


def needs_second_factor(user):
    """Whether `user` must confirm each sign-in with a code from an app.

    Everyone who has set up an app does; TWO_FACTOR_REQUIRED_FOR makes it
    compulsory for superusers ("superusers") or all staff ("staff").
    """
    required_for = settings.TWO_FACTOR_REQUIRED_FOR
    return (
        (required_for == "staff" and user.is_staff)
        or (required_for == "superusers" and user.is_superuser)
        or user_has_device(user)
    )


class LoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin's sign-in: name and password, and the app's code if set up."""

    otp_error_messages = OTP_MESSAGES

    otp_token = forms.CharField(
        label="Bestätigungscode",
        required=False,
        help_text="Nur wenn Sie die Zwei-Faktor-Anmeldung eingerichtet haben.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if needs_second_factor(user):
            if not user_has_device(user):
                raise ValidationError(
                    "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben, "
                    "aber noch keine App eingerichtet. Bitte wenden Sie sich an die "
                    "Administration.",
                    code="no_device",
                )
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        # Only authenticator apps (TOTP) are offered, one per person: no
        # choice to make.
        return next(iter(devices_for_user(user, for_verify=True)), None)


class ConfirmDeviceForm(forms.Form):
    """A first code from a newly set-up app proves it was set up right."""

    token = forms.CharField(
        label="Bestätigungscode",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not self.device.verify_token(token):
            raise ValidationError(OTP_MESSAGES["invalid_token"], code="invalid_token")
        return token
