"""French typography, applied when a page or an e-mail is rendered.

What French typography wants and a keyboard rarely types:

- a narrow no-break space (U+202F) before « ; », « ! » and « ? », and a
  no-break space (U+00A0) before « : » and inside « guillemets », so that a
  phone never starts a line with the punctuation or leaves a guillemet alone;
- a no-break space between a number and its unit (« 10 h », « 11 h 30 »,
  « 45 € », « 3 km ») and a narrow one inside large numbers (« 100 000 ») and
  before « % »;
- the typographic apostrophe (’) inside words (« l’actualité »).

`typeset_text` works on plain text (e-mails); `typeset_html` on HTML: it
changes only the text between tags, never a tag, an attribute, a comment, nor
what `<script>`, `<style>`, `<pre>`, `<code>` and `<textarea>` hold (a
reader's comment being edited stays as typed). Both are idempotent.
"""

import html
import re

NBSP = "\u00a0"  # espace insécable
NNBSP = "\u202f"  # espace fine insécable

# A space that may stand before punctuation: ordinary, no-break or narrow.
_SPACE = r"[ \t\r\n\u00a0\u202f]"

# Each rule with the characters without which it cannot apply (a quick test
# that skips most of the text of a page).
_RULES = [
    # l'actualité → l’actualité (only between two letters: never a quote mark).
    ("'", re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"), "’"),
    # « ; ! ? »: a narrow no-break space replaces the space typed before them,
    # and is added after a word (« Vraiment? ») but not inside an address
    # (« /?q= », « page?id »), which is never followed by a space.
    (";!?", re.compile(_SPACE + r"+([;!?])"), NNBSP + r"\1"),
    (";!?", re.compile(r"(?<=[^\W_]|[»)])([;!?])(?=[ \t\r\n]|$)"), NNBSP + r"\1"),
    # « : » takes a no-break space, only where a space was typed (10:30, https:).
    (":", re.compile(_SPACE + r"+:"), NBSP + ":"),
    # Inside guillemets.
    ("«", re.compile("«" + _SPACE + "*"), "«" + NBSP),
    ("»", re.compile(_SPACE + "*»"), NBSP + "»"),
    # Times: « 10 h », « 11 h 30 ».
    (
        "h",
        re.compile(r"(?<!\d)(\d{1,2})" + _SPACE + r"+h" + _SPACE + r"+(\d{2})(?!\d)"),
        r"\1" + NBSP + "h" + NBSP + r"\2",
    ),
    ("h", re.compile(r"(?<!\d)(\d{1,2})" + _SPACE + r"+h(?![\w])"), r"\1" + NBSP + "h"),
    # Large numbers: « 100 000 », « 1 500 000 ».
    ("0123456789", re.compile(r"(?<=\d)" + _SPACE + r"(?=\d{3}(?!\d))"), NNBSP),
    # Percent (not the « %C3 » of an encoded address), then the other units.
    ("%", re.compile(r"(?<=\d)" + _SPACE + r"*%(?![0-9A-Fa-f]{2})"), NNBSP + "%"),
    (
        "0123456789",
        re.compile(
            r"(?<=\d)" + _SPACE + r"+(€|euros?\b|millions?\b|milliards?\b|km\b|m²|m\b|kg\b|t\b|"
            r"Mo\b|Go\b|ko\b|min\b|°C|°|ans?\b|jours?\b|places?\b|personnes?\b)"
        ),
        NBSP + r"\1",
    ),
]

# What could change: a text without any of these characters is left alone.
_TRIGGERS = re.compile(r"['!?;:«»\d]")


def typeset_text(text):
    """French typography of a plain text (an e-mail, a subject line)."""
    if not text or not _TRIGGERS.search(text):
        return text
    for needed, pattern, replacement in _RULES:
        if any(character in text for character in needed):
            text = pattern.sub(replacement, text)
    return text


# A comment, or a tag whose attribute values may hold « > ».
_TAG = re.compile(r"(<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)", re.S)
_RAW_ELEMENTS = ("script", "style", "pre", "code", "textarea")
_OPENING = re.compile(r"<(" + "|".join(_RAW_ELEMENTS) + r")[\s>/]", re.I)


def typeset_html(markup):
    """French typography of the text of an HTML fragment; tags, attributes,
    comments and raw elements are left as they are."""
    parts = _TAG.split(markup)
    raw_until = None
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            if raw_until is None:
                opening = _OPENING.match(part)
                if opening and not part.endswith("/>"):
                    raw_until = f"</{opening.group(1).lower()}"
            elif part.lower().startswith(raw_until):
                raw_until = None
        elif raw_until is None and part and _TRIGGERS.search(part):
            text = html.unescape(part) if "&" in part else part
            parts[index] = html.escape(typeset_text(text))
    return "".join(parts)
