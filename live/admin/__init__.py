from . import breaking, tickers  # noqa: F401  (registers the admins)
