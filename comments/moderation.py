"""The moderation policy, kept apart from the comment state.

`assess_comment` decides, before a comment is stored, whether it goes to the
moderation queue (pending, with the reasons a moderator should look at it) or
straight to spam. It never publishes anything: every reader comment waits for
a moderator.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from comments.models import (
    Comment,
    CommentStatus,
    HoldReason,
    ModerationWord,
    WordListKind,
    comment_text_hash,
)

LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(days=30)


@dataclass
class Assessment:
    status: str = CommentStatus.PENDING
    hold_reasons: list = field(default_factory=list)


def count_links(text):
    return len(LINK_RE.findall(text))


def _normalise(text):
    return " ".join(text.lower().split())


def _contains(word, haystack):
    return re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", haystack) is not None


def assess_comment(*, article, name, email, text):
    """Return the state and hold reasons of a new comment (no database write)."""
    haystack = _normalise(f"{name} {email} {text}")
    assessment = Assessment()
    words = ModerationWord.objects.values_list("word", "kind")
    matched = {kind for word, kind in words if word.strip() and _contains(word.strip(), haystack)}
    if WordListKind.DISALLOW in matched:
        return Assessment(status=CommentStatus.SPAM, hold_reasons=[HoldReason.DISALLOWED_WORD.value])
    if count_links(text) >= settings.COMMENTS_MAX_LINKS:
        assessment.hold_reasons.append(HoldReason.LINKS.value)
    if WordListKind.MODERATE in matched:
        assessment.hold_reasons.append(HoldReason.MODERATED_WORD.value)
    if _is_suspected_duplicate(text):
        assessment.hold_reasons.append(HoldReason.DUPLICATE.value)
    return assessment


def _is_suspected_duplicate(text):
    """The same text already received recently, on any article and from any
    address (exact repeats from one address on one article are refused by the
    form before this point): copy-paste campaigns."""
    since = timezone.now() - DUPLICATE_WINDOW
    return Comment.objects.filter(text_hash=comment_text_hash(text), created_at__gte=since).exists()
