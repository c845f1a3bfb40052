from django.http import HttpResponsePermanentRedirect

from .models import ArticleRedirect


class ArticleRedirectFallbackMiddleware:
    """Send readers of an article's old address on to its current one.

    Like django.contrib.redirects, it only looks when the page was not found,
    so live pages pay nothing for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 404
            or request.method not in ("GET", "HEAD")
            # Never an article's address, and PostgreSQL refuses to look.
            or "\x00" in request.path
        ):
            return response
        redirect = (
            ArticleRedirect.objects.to_published()
            .select_related("article__section")
            .filter(old_path=request.path)
            .first()
        )
        if redirect is None:
            return response
        location = redirect.article.get_absolute_url()
        if query := request.META.get("QUERY_STRING"):
            location = f"{location}?{query}"
        return HttpResponsePermanentRedirect(location)
