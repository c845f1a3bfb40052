from django.apps import apps

from jobs import job


@job("Bildgrößen und Kopien schreiben")
def create_copies(model_label, pk):
    """Write what the stored picture of this row calls for; copies that
    exist already are kept, so a second run writes nothing."""
    picture = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    if picture is not None:
        picture.create_copies()
