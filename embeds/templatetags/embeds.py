from django import template

from ..blocks import stored_embeds, with_placeholders

register = template.Library()


@register.filter
def with_embeds(text, stored=None):
    """Sanitised body HTML with its embed paragraphs as placeholders.

    A text shown in parts passes `stored` from `{% embeds_in text as … %}`,
    so the parts share one query.
    """
    return with_placeholders(text, stored)


@register.simple_tag
def embeds_in(text):
    return stored_embeds(text)
