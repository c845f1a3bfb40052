"""Parts of a page stored apart from it (pagecache.fragments):

    {% fragment "article" article %}…{% endfragment %}

is kept for each article (and depends on it), and

    {% shared "navigation" %}…{% endshared %}

is one part that every page shows alike. Each is rendered again when
something it shows changes.
"""

from django import template

from pagecache import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, vary, nodelist):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context):
        return fragments.fragment(
            context.get("request"),
            self.name,
            [value.resolve(context) for value in self.vary],
            lambda: self.nodelist.render(context),
        )


def parse_fragment(parser, token, with_values):
    tag, *bits = token.split_contents()
    if not bits or bits[0][0] not in "\"'" or (bits[1:] and not with_values):
        raise template.TemplateSyntaxError(
            f'{{% {tag} %}} braucht einen Namen in Anführungszeichen, etwa {{% {tag} "navigation" %}}.'
        )
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    vary = [parser.compile_filter(bit) for bit in bits[1:]]
    return FragmentNode(bits[0].strip("\"'"), vary, nodelist)


@register.tag
def fragment(parser, token):
    return parse_fragment(parser, token, with_values=True)


@register.tag
def shared(parser, token):
    return parse_fragment(parser, token, with_values=False)
