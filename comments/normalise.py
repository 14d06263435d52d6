"""How comment text is compared: for duplicates, for word lists, for names.

Spammers dodge a naive match with look-alike characters (full-width
« ｖｉａｇｒａ »), invisible ones (« via\u200bgra »), punctuation between letters
(« v.i.a.g.r.a ») or accents. Everything here folds those away before any
comparison; nothing here changes what is stored or shown.
"""

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
# Three or more single letters or digits separated by spaces or punctuation:
# « v.i.a.g.r.a », « v i a g r a », « v-i-a-g-r-a ». Joined into one word.
_SPACED_LETTERS = re.compile(r"(?<!\w)(?:\w ){2,}\w(?!\w)")


def _without_invisibles(text):
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def fold(text):
    """Compatibility forms (NFKC), invisible characters dropped, case folded
    and accents removed: « Ｖｉ\u200bÂGRA » → « viagra »."""
    text = unicodedata.normalize("NFKC", _without_invisibles(text or ""))
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def words_of(text):
    """The folded text as words separated by single spaces, punctuation
    removed and spaced-out letters joined: « V.I.A.G.R.A pas cher ! » →
    « viagra pas cher »."""
    spaced = _SPACE.sub(" ", _NOT_WORD.sub(" ", fold(text))).strip()
    return _SPACED_LETTERS.sub(lambda match: match.group(0).replace(" ", ""), spaced)


def compact(text):
    """Letters and digits only: « La  Ré-daction » → « laredaction »."""
    return _NOT_WORD.sub("", fold(text))


def text_hash(text):
    """The sha256 (hex) of a comment's text with case, compatibility forms,
    invisible characters and spacing folded: two texts that read the same
    have the same hash. Stored in `Comment.text_hash` and indexed, so that
    duplicates are found without reading texts."""
    folded = unicodedata.normalize("NFKC", _without_invisibles(text or "")).casefold()
    return hashlib.sha256(_SPACE.sub(" ", folded).strip().encode()).hexdigest()
