from datetime import timedelta

from jobs import job
from jobs.definition import Retries

from . import edge


# Varnish keeps a page PAGE_CACHE_SECONDS (a minute) at most: tries spread
# over that minute outlast a restart or a network break, later ones would
# find nothing left to drop.
@job(
    "Seiten in Varnish löschen",
    queue="edge",
    retries=Retries(attempts=5, first_wait=timedelta(seconds=4)),
)
def purge_at_edge(keys):
    """Drop the pages that show one of `keys` from every Varnish; run
    twice, it costs the next reader one render more."""
    edge.purge(keys)
