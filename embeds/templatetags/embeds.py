from django import template

from ..blocks import with_placeholders

register = template.Library()


@register.filter
def with_embeds(text):
    """Sanitised body HTML with its embed paragraphs as placeholders."""
    return with_placeholders(text)
