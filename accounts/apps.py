from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Zugänge"

    def ready(self):
        from .middleware import start_session_clock

        # Every way of signing in (the admin's form, tests' force_login)
        # ends in django.contrib.auth.login, which sends this signal.
        user_logged_in.connect(start_session_clock)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the newsroom's site as `admin.site`.

    Every app registers its models on `admin.site` as usual; the site asks
    for a second factor where one is set up (accounts.admin).
    """

    # Named in INSTALLED_APPS; "accounts" alone means AccountsConfig.
    default = False
    default_site = "accounts.admin.NewsroomAdminSite"
