"""Checks that hostile text reached a page, feed or sitemap only as text.

A page is parsed as a browser would (html5lib implements the HTML standard's
parser), and every element and attribute that could run code is looked at:
scripts, event handlers, script URLs, frames, plugins, <base> and refreshes.
"""

import json
import re
import xml.etree.ElementTree as ET

import html5lib

# Browsers drop these anywhere in a URL before they look at its scheme.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "codebase",
    "lowsrc",
    "dynsrc",
    "ping",
}
FOREIGN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
}
# CSS that runs script (old IE, old Firefox) or fetches from elsewhere.
ACTIVE_CSS = re.compile(
    r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|@import|url\s*\(",
    re.IGNORECASE,
)
# Script elements that hold data, not code (the admin's editor maps its
# modules with an import map).
DATA_SCRIPTS = {"application/ld+json", "application/json", "importmap"}
ATOM = "{http://www.w3.org/2005/Atom}"


def local_name(name):
    return name.rsplit("}", 1)[-1].lower()


def css_text(css):
    """CSS without comments and escapes, which can hide a keyword."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return re.sub(r"\\([0-9a-fA-F]{1,6}\s?|.)", lambda m: _css_unescape(m[1]), css)


def _css_unescape(escape):
    escape = escape.strip()
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", escape):
        return chr(min(int(escape, 16), 0x10FFFF))
    return escape


def executing_url(value):
    url = URL_NOISE.sub("", value).lower()
    return url.startswith(SCRIPT_SCHEMES)


def problems_in(root, own_scripts=("/static/",)):
    """What in the parsed tree could run code, and the JSON-LD blocks found.

    Scripts are ours if they load from one of `own_scripts` and hold no code
    of their own.
    """
    problems, json_ld = [], []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = local_name(element.tag)
        attributes = {local_name(key): value for key, value in element.attrib.items()}
        if name == "script":
            kind = attributes.get("type", "")
            if kind in DATA_SCRIPTS:
                try:
                    data = json.loads(element.text or "")
                except ValueError:
                    problems.append(f"{kind} that is no JSON: {element.text!r}")
                    continue
                if kind == "application/ld+json":
                    json_ld.append(data)
                elif kind == "importmap" and not all(
                    url.startswith(own_scripts)
                    for url in data.get("imports", {}).values()
                ):
                    problems.append(f"foreign modules: {data}")
            elif (
                not attributes.get("src", "").startswith(own_scripts)
                or (element.text or "").strip()
            ):
                problems.append(f"foreign script: {attributes} {element.text!r}")
        if name == "style" and ACTIVE_CSS.search(css_text(element.text or "")):
            problems.append(f"active CSS: {element.text!r}")
        if name in FOREIGN_ELEMENTS:
            problems.append(f"injected <{name}> {attributes}")
        if name == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            problems.append(f"injected refresh {attributes}")
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                problems.append(f"event handler <{name} {attribute}={value!r}>")
            elif attribute == "srcdoc":
                problems.append(f"<{name} {attribute}={value!r}>")
            elif attribute == "style" and ACTIVE_CSS.search(css_text(value)):
                problems.append(f"active CSS <{name} style={value!r}>")
            elif attribute in URL_ATTRIBUTES and executing_url(value):
                problems.append(f"script URL <{name} {attribute}={value!r}>")
            elif attribute in ("srcset", "imagesrcset") and any(
                executing_url(candidate) for candidate in value.split(",")
            ):
                problems.append(f"script URL <{name} {attribute}={value!r}>")
    return problems, json_ld


def parse_html(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def assert_inert_html(testcase, html, where="the page", own_scripts=("/static/",)):
    """Fail unless `html` can run none but our own code; returns its JSON-LD."""
    if isinstance(html, bytes):
        html = html.decode()
    problems, json_ld = problems_in(parse_html(html), own_scripts)
    testcase.assertEqual(problems, [], f"Markup that runs code in {where}")
    return json_ld


def html_texts_of_feed(root):
    """The texts of a feed that readers treat as HTML (RSS descriptions,
    Atom html constructs)."""
    for element in root.iter():
        name = local_name(element.tag)
        if name == "description" and not element.tag.startswith(ATOM):
            yield element.text or ""
        elif element.tag.startswith(ATOM) and element.get("type") == "html":
            yield element.text or ""


def assert_inert_feed(testcase, content, where="the feed"):
    """Fail unless the feed is well-formed XML whose HTML parts are inert.

    Returns the parsed feed.
    """
    root = ET.fromstring(content)
    for text in html_texts_of_feed(root):
        fragment = html5lib.parseFragment(
            text, treebuilder="etree", namespaceHTMLElements=False
        )
        problems, _ = problems_in(fragment)
        testcase.assertEqual(problems, [], f"Markup that runs code in {where}")
    return root


def html_text(html):
    """The text a reader sees in an HTML fragment."""
    fragment = html5lib.parseFragment(
        html, treebuilder="etree", namespaceHTMLElements=False
    )
    return "".join(fragment.itertext())
