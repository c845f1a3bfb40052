from django import template

from readership import services
from readership.tokens import VIEW_TOKEN_PLACEHOLDER

register = template.Library()

CHART_WIDTH, CHART_HEIGHT = 720, 200


@register.simple_tag
def view_token(article):
    """Where readership.tokens.fill_view_tokens puts a fresh view token."""
    return f"{VIEW_TOKEN_PLACEHOLDER}{article.pk}"


@register.inclusion_tag("readership/most_read.html")
def most_read():
    """The "Meistgelesen" block: the last 24 hours, else the last 7 days."""
    return {"articles": services.stored_most_read()}


@register.inclusion_tag("readership/views_chart.html")
def views_chart(days):
    """Bars for (day, views) pairs, scaled to the largest day."""
    largest = max((views for _, views in days), default=0) or 1
    slot = CHART_WIDTH / max(len(days), 1)
    bars = [
        {
            "day": day,
            "views": views,
            "x": round(index * slot + slot * 0.1, 2),
            "width": round(slot * 0.8, 2),
            "height": round(views / largest * CHART_HEIGHT, 2),
            "y": round(CHART_HEIGHT - views / largest * CHART_HEIGHT, 2),
        }
        for index, (day, views) in enumerate(days)
    ]
    return {
        "bars": bars,
        "largest": largest,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first": days[0][0] if days else None,
        "last": days[-1][0] if days else None,
    }
