from django import template

from ..lists import recommendations_for

register = template.Library()


@register.inclusion_tag("recommendations/related_articles.html")
def related_articles(article):
    """The "Das könnte Sie auch interessieren" block below an article."""
    return {"articles": recommendations_for(article)}
