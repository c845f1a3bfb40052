"""{% shared "name" %}…{% endshared %}: a part every page shows alike.

The navigation and "Meistgelesen" look the same on thousands of pages;
while the page cache renders pages under one content version, such a part
is rendered once per process and version (and at most PAGE_CACHE_SECONDS
old), and the keys of what it shows are noted for every page that uses it,
so those pages are still retired when that content changes. Outside the
page cache (staff, previews) the part is rendered as usual.
"""

import time

from django import template
from django.conf import settings

from pagecache import dependencies

register = template.Library()

# name -> (version, rendered at, markup, keys); one entry per part.
_parts = {}


class SharedNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        version = dependencies.rendering_version()
        if version is None:
            return self.nodelist.render(context)
        now = time.monotonic()
        stored = _parts.get(self.name)
        if (
            stored is None
            or stored[0] != version
            or now - stored[1] > settings.PAGE_CACHE_SECONDS
        ):
            with dependencies.collecting(version) as read:
                markup = self.nodelist.render(context)
            stored = (version, now, markup, frozenset(read))
            _parts[self.name] = stored
        dependencies.note(*stored[3])
        return stored[2]


@register.tag
def shared(parser, token):
    try:
        _, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError(
            '{% shared %} takes one name in quotes: {% shared "navigation" %}'
        ) from error
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(name.strip("\"'"), nodelist)
