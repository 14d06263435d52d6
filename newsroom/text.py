"""Plain-text hygiene shared by every app: control characters out of
one-line values (names, titles, e-mail subjects)."""

import re
import unicodedata

# Bidirectional overrides, isolates and marks: invisible, they reorder what
# follows (« Trojan Source »).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

_SPACE = re.compile(r"\s+")


def is_control(char):
    """C0 and C1 controls (CR, LF, TAB, NUL, ESC…) and bidi controls."""
    return unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS


def control_characters(text):
    """The control characters found in `text` (a set, empty when clean)."""
    return {char for char in text or "" if is_control(char)}


def single_line(text):
    """`text` on one line: every control character becomes a space and runs
    of spaces collapse. For titles and names that end up in mail headers,
    lists and feeds: « Titre\\r\\nBcc: x » → « Titre Bcc: x »."""
    cleaned = "".join(" " if is_control(char) else char for char in text or "")
    return _SPACE.sub(" ", cleaned).strip()
