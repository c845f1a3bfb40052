from django.http import HttpResponsePermanentRedirect

from .models import ArticleRedirect, SectionRedirect


class ArticleRedirectFallbackMiddleware:
    """Send readers of an article's or section's old address on to its
    current one.

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
            # Never an old address, and PostgreSQL refuses to look one up.
            or "\x00" in request.path
        ):
            return response
        location = self.current_address(request.path)
        # A redirect to the very address asked for would loop: the page is
        # simply not there for readers (yet or any more).
        if location is None or location == request.path:
            return response
        if query := request.META.get("QUERY_STRING"):
            location = f"{location}?{query}"
        return HttpResponsePermanentRedirect(location)

    def current_address(self, old_path):
        article_redirect = (
            ArticleRedirect.objects.to_published()
            .select_related("article__section")
            .filter(old_path=old_path)
            .first()
        )
        if article_redirect is not None:
            return article_redirect.article.get_absolute_url()
        section_redirect = (
            SectionRedirect.objects.select_related("section")
            .filter(old_path=old_path)
            .first()
        )
        if section_redirect is not None:
            return section_redirect.section.get_absolute_url()
        return None
