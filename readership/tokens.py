"""Page-view tokens: every article page shown carries its own, which counts
once (counting.tokens).

A page our nginx keeps for a second goes to every reader in that second;
a token in it would count for the first reader only. On such a shared copy
the page carries a placeholder instead and its script fetches a token per
reader (readership:view_token).
"""

import re
from datetime import timedelta

from counting import tokens

VIEW_TOKEN_SALT = "articles.view"
# A view counts after the page has loaded, or once a prerendered page is
# opened; a tab opened in the morning and read at noon still counts.
VIEW_TOKEN_MAX_AGE = timedelta(hours=6)
# Stands in the cached page where fill_view_tokens puts a fresh token.
VIEW_TOKEN_PLACEHOLDER = "newsroom-view-token:"
VIEW_TOKEN = re.compile(re.escape(VIEW_TOKEN_PLACEHOLDER).encode() + rb"(\d+)")
# What a spent view token is marked with (counting.models.SpentToken.event).
VIEW = "view"


def issue_view_token(article_id):
    return tokens.issue_token(VIEW_TOKEN_SALT, article_id)


def fill_view_tokens(request, content, shared_copy):
    """`content` (bytes) with a fresh token for each placeholder.

    A page finisher (pagecache.finishers), like the ads, so that a cached
    page still hands each reader a token of their own. A copy our nginx
    shares keeps the placeholders: static/js/article-views.js then fetches a
    token per reader (readership:view_token).
    """
    if shared_copy:
        return content
    # bytes' own search finds the placeholders several times faster than the
    # regular expression scans the page for them.
    marker = VIEW_TOKEN_PLACEHOLDER.encode()
    pieces, end = [], 0
    start = content.find(marker)
    while start != -1:
        match = VIEW_TOKEN.match(content, start)
        if match is None:
            start = content.find(marker, start + 1)
            continue
        pieces += [content[end:start], issue_view_token(int(match.group(1))).encode()]
        end = match.end()
        start = content.find(marker, end)
    if not pieces:
        return content
    pieces.append(content[end:])
    return b"".join(pieces)


def spend_view_token(token):
    """The article id of a valid token not used before, else None."""
    try:
        ticket = tokens.read_token(token, VIEW_TOKEN_SALT, VIEW_TOKEN_MAX_AGE)
    except tokens.InvalidToken:
        return None
    if ticket.is_expired or len(ticket.ids) != 1 or not tokens.spend(ticket, VIEW):
        return None
    return ticket.ids[0]
