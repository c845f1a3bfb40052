from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import ConfirmDeviceForm, LoginForm, needs_second_factor

DEVICE_NAME = "Authenticator-App"


class NewsroomAdminSite(admin.AdminSite):
    """The admin, with an optional second factor at sign-in.

    People who set up an authenticator app must give its code; a session
    signed in without one (before the app was set up) no longer counts.
    """

    login_form = LoginForm
    login_template = "accounts/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and (
            request.user.is_verified() or not needs_second_factor(request.user)
        )

    def get_urls(self):
        return [
            path(
                "zwei-faktor/",
                self.admin_view(self.two_factor_view),
                name="two_factor",
            ),
            *super().get_urls(),
        ]

    def i18n_javascript(self, request, extra_context=None):
        # The body editor's dialogs take their words from window.gettext,
        # which this catalog defines; its German comes with the package.
        return JavaScriptCatalog.as_view(
            packages=["django.contrib.admin", "django_prose_editor"]
        )(request)

    def two_factor_view(self, request):
        """Set up an authenticator app: scan its code, confirm with a first code."""
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
        )
        form = ConfirmDeviceForm(device, request.POST or None)
        if form.is_valid():
            # One app per person: the new one replaces any before it.
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(
                request,
                "Die Zwei-Faktor-Anmeldung ist eingerichtet. Ab jetzt fragt die "
                "Anmeldung nach dem Code aus Ihrer App.",
            )
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        secret = b32encode(device.bin_key).decode()
        context = {
            **self.each_context(request),
            "title": "Zwei-Faktor-Anmeldung einrichten",
            "form": form,
            "has_device": user_has_device(request.user),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            # segno writes the markup itself, from our own URL.
            "qr_code": mark_safe(segno.make(device.config_url).svg_inline(scale=5)),
        }
        return TemplateResponse(request, "accounts/two_factor.html", context)
