import reversion

from .breaking import Eilmeldung
from .tickers import Entry, Ticker

# Every start, end and entry edit is in the history; an entry is versioned
# on its own, so restoring one never takes back entries posted since.
for model in (Eilmeldung, Ticker, Entry):
    reversion.register(model)

__all__ = ["Eilmeldung", "Entry", "Ticker"]
