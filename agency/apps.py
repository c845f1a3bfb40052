from django.apps import AppConfig


class AgencyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agency"
    verbose_name = "Agenturen"

    def ready(self):
        from articles.models import add_publication_check

        from .models import Takeover

        # The form runs it too: nothing in the form changes the embargo.
        add_publication_check(Takeover.objects.publication_problems, in_form=True)
