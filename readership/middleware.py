from articles.beacons import html_page_with, is_shared_copy, replace_content

from .tokens import VIEW_TOKEN_PLACEHOLDER, fill_in_view_tokens


class ViewTokenMiddleware:
    """Give every article page shown its own view token as it leaves the server.

    Above the page cache, like the ads, so that a cached page still hands
    each reader a token of their own, which counts once. A copy our nginx
    shares keeps the placeholder: static/js/article-views.js then fetches a
    token per reader (readership:view_token).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not html_page_with(
            response, VIEW_TOKEN_PLACEHOLDER.encode()
        ) or is_shared_copy(request, response):
            return response
        replace_content(response, fill_in_view_tokens(response.content))
        return response
