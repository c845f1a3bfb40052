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
    "style",
    "portal",
}
ATOM = "{http://www.w3.org/2005/Atom}"


def local_name(name):
    return name.rsplit("}", 1)[-1].lower()


def executing_url(value):
    url = URL_NOISE.sub("", value).lower()
    return url.startswith(SCRIPT_SCHEMES)


def problems_in(root, static_url="/static/"):
    """What in the parsed tree could run code, and the JSON-LD blocks found."""
    problems, json_ld = [], []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = local_name(element.tag)
        attributes = {local_name(key): value for key, value in element.attrib.items()}
        if name == "script":
            if attributes.get("type") == "application/ld+json":
                try:
                    json_ld.append(json.loads(element.text or ""))
                except ValueError:
                    problems.append(f"JSON-LD that is no JSON: {element.text!r}")
            elif (
                not attributes.get("src", "").startswith(static_url)
                or (element.text or "").strip()
            ):
                problems.append(f"foreign script: {attributes} {element.text!r}")
        if name in FOREIGN_ELEMENTS:
            problems.append(f"injected <{name}> {attributes}")
        if name == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            problems.append(f"injected refresh {attributes}")
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                problems.append(f"event handler <{name} {attribute}={value!r}>")
            elif attribute in ("srcdoc", "style"):
                problems.append(f"<{name} {attribute}={value!r}>")
            elif attribute in URL_ATTRIBUTES and executing_url(value):
                problems.append(f"script URL <{name} {attribute}={value!r}>")
            elif attribute in ("srcset", "imagesrcset") and any(
                executing_url(candidate) for candidate in value.split(",")
            ):
                problems.append(f"script URL <{name} {attribute}={value!r}>")
    return problems, json_ld


def parse_html(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def assert_inert_html(testcase, html, where="the page"):
    """Fail unless `html` can run none but our own code; returns its JSON-LD."""
    if isinstance(html, bytes):
        html = html.decode()
    problems, json_ld = problems_in(parse_html(html))
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
