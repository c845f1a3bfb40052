"""The checker itself: it must see what runs, and pass what doesn't."""

from django.test import SimpleTestCase
from django.utils.html import escape

from .inert import parse_html, problems_in
from .payloads import XSS_PAYLOADS

RUNS = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="/static/x.js">alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="x.swf"></object>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="Refresh" content="0;url=https://evil.example/">',
    '<div style="width: ex\\70 ression(alert(1))">',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<button formaction="javascript:alert(1)">x</button>',
    '<img srcset="javascript:alert(1) 1x">',
    '<script type="application/ld+json">{"a": 1}</script><script>x</script>',
    '<script type="application/ld+json">{"a": "</script><script>alert(1)//"}</script>',
]


class InertCheckerTests(SimpleTestCase):
    def test_markup_that_runs_is_seen(self):
        for html in RUNS:
            with self.subTest(html=html):
                problems, _ = problems_in(parse_html(html))

                self.assertNotEqual(problems, [])

    def test_escaped_payloads_and_our_own_scripts_pass(self):
        page = "".join(f"<p title='{escape(p)}'>{escape(p)}</p>" for p in XSS_PAYLOADS)
        page += '<script src="/static/js/article-views.js" defer></script>'
        page += '<script type="application/ld+json">{"name": "\\u003C/script\\u003E"}</script>'

        problems, json_ld = problems_in(parse_html(page))

        self.assertEqual(problems, [])
        self.assertEqual(json_ld, [{"name": "</script>"}])
