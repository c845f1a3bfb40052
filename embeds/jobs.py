from jobs import job

from . import services


@job("Vorschau einer Einbettung holen")
def fetch_embed_preview(pk):
    """Title and preview of embed `pk` from its provider; a provider's
    failure is stored on the row in German, so only our own errors retry."""
    services.fetch_preview(pk)
