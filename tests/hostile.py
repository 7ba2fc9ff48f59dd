"""The hostile corpus: stored-markup payloads and hostile request values shared by the tests
of pages, reports, forms and query strings."""

from __future__ import annotations

from html.parser import HTMLParser

#: Text that would run, inject an element or break a format string if any page treated data
#: as markup or as a message to translate.
MARKUP_PAYLOADS = (
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    '<meta http-equiv="refresh" content="0;url=/sources/?refreshed=1">',
    "<svg onload=alert('x4')>",
    "<svg><script>alert('x5')</script></svg>",
    '"><b class="x6">bold</b>',
    "'><i class='x7'>italic</i>",
    "Brigade 100%",
    "Art. 5%",
    "%(name)s and %s and %d",
    "%",
    "{}",
    "{0} {name}",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    "</title><h1 class='x15'>title</h1>",
    "</style><b class='x16'>style</b>",
    "<!-- comment",
    "]]><x17/>",
    "<iframe src='/sources/'></iframe>",
    "javascript:alert('x20')",
    "<a href=\"javascript:alert('x21')\">link</a>",
    "<object data='x22'></object>",
    "<base href='//evil.example/'>",
    "<link rel=stylesheet href='//evil.example/x.css'>",
    "<style>*{display:none}</style>",
    "&lt;b&gt;already escaped&lt;/b&gt;",
    "\u202eRTL override\u202c and \u200fmark",
    "emoji 🙂 𝕏 and Arabic كفرنبودة",
    "<math><mi xlink:href='x29'>m</mi></math>",
    "<details open ontoggle=alert('x30')>",
    "<form action='//evil.example/'><button>go</button></form>",
    "' OR 1=1 --",
    "back\\slash \\n \\x00",
    '<div style="background:url(x34)">',
    "<template><img src=x35></template>",
    "<noscript><p title='</noscript><img src=x onerror=alert(36)>'>",
)

#: Elements the pages never draw from data; finding one whose attributes came from a payload
#: means markup was injected.
_MARKERS = ("x1", "x2", "x4", "x5", "x6", "x7", "x15", "x16", "x17", "x20", "x21", "x22")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append("meta refresh")
        if any(name.startswith("on") for name in values):
            self.found.append(f"<{tag}> with an event handler")
        if tag in {"iframe", "object", "embed", "base", "math", "template"}:
            self.found.append(f"<{tag}>")
        if tag == "link" and "evil.example" in values.get("href", ""):
            self.found.append("<link> to elsewhere")
        if tag == "form" and "evil.example" in values.get("action", ""):
            self.found.append("<form> to elsewhere")
        if values.get("class") in _MARKERS:
            self.found.append(f"<{tag} class={values['class']}>")
        links = (values.get(name, "") for name in ("href", "src", "action", "formaction"))
        if any(value.strip().lower().startswith("javascript:") for value in links):
            self.found.append(f"<{tag}> with a javascript: address")
        if tag == "script" and not values.get("src"):
            self.found.append("inline <script>")


def injected(html: str) -> list[str]:
    """What in ``html`` came from data as markup (empty when nothing did); every payload
    holding ``<`` must appear escaped, never as it is."""
    collector = _Collector()
    collector.feed(html)
    raw = [p for p in MARKUP_PAYLOADS if "<" in p and p in html]
    return collector.found + [f"unescaped {p!r}" for p in raw]


#: Values that broke pages before: sent to every form field and query parameter.
HOSTILE_VALUES = (
    "\x00",
    "a\x00b",
    "\x07",
    "²",
    "٣",
    "1e9",
    "-1",
    "0",
    "9" * 40,
    "9" * 400,
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "x" * 100_000,
    "[" * 20_000,
    "%",
    "%s%n",
    "{}",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "NaN",
    "Infinity",
    "true",
    "null",
    "../../etc/passwd",
)
