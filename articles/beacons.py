"""Pages shared by a cache: a copy our nginx keeps for a second goes to
every reader in that second, so what is filled in per reader (ads, view
tokens) is left to each reader's browser on such a copy (ads:fill,
readership:view_token).
"""

# deploy/nginx.conf sets it on every request it may answer from its cache.
SHARED_COPY_HEADER = "X-Newsroom-Shared-Copy"


def html_page_with(response, marker):
    """`response` is an HTML page whose content holds `marker` (bytes)."""
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and marker in response.content
    )


def replace_content(response, content):
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


def is_shared_copy(request, response):
    """`response` is about to go into a cache that hands it to many readers.

    Only a page that lets shared caches keep it (s-maxage) is one; staff
    pages, previews and pages served while the database is down are not,
    and keep their server-filled tokens.
    """
    cache_control = response.get("Cache-Control", "")
    return (
        request.headers.get(SHARED_COPY_HEADER) == "1"
        and "s-maxage" in cache_control
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )
