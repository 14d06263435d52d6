"""The moderation policy, kept apart from the comment state.

`assess_comment` decides, before a comment is stored, whether it goes to the
moderation queue (pending, with the reasons a moderator should look at it) or
straight to spam. It never publishes anything: every reader comment waits for
a moderator.

The word lists work like WordPress's « Modération » and « Clés interdites »:
an entry is a word or phrase (looked for in the name, the email and the text,
once accents, case, look-alike and invisible characters and punctuation
between letters are folded away, see `comments.normalise`), an IP address or
CIDR range, or a piece of User-Agent. The lists are small and read on every
post: they are kept, already compiled, in the shared cache and dropped from
it whenever an entry changes (`signals` below).
"""

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from comments.models import Comment, CommentStatus, HoldReason, ModerationWord, WordListKind, WordTarget
from comments.normalise import compact, fold, text_hash, words_of

LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(days=30)
WORD_LISTS_CACHE_KEY = "comments:word-lists:v2"
WORD_LISTS_CACHE_SECONDS = 24 * 60 * 60
# Names a reader may not sign with, compared letters and digits only, case
# and accents folded: « La Rédaction », « la  redaction », « LA-RÉDACTION ».
RESERVED_NAMES = ("La rédaction", "Rédaction")


@dataclass
class Assessment:
    status: str = CommentStatus.PENDING
    hold_reasons: list = field(default_factory=list)


@dataclass
class WordLists:
    """One list (moderate or disallow), ready to match: a regex for words
    and phrases, networks for addresses, folded pieces of User-Agent."""

    words: str = ""
    networks: list = field(default_factory=list)
    user_agents: list = field(default_factory=list)

    def matches(self, *, haystack, ip_address, user_agent):
        if self.words and re.search(self.words, haystack):
            return True
        if ip_address and self.networks:
            address = ipaddress.ip_address(ip_address)
            if any(address.version == net.version and address in net for net in self.networks):
                return True
        folded_agent = fold(user_agent)
        return bool(folded_agent) and any(piece in folded_agent for piece in self.user_agents)


def count_links(text):
    return len(LINK_RE.findall(text))


def is_reserved_name(name):
    reserved = {compact(reserved) for reserved in (*RESERVED_NAMES, settings.SITE_NAME)}
    return compact(name) in reserved


def assess_comment(*, article, name, email, text, ip_address=None, user_agent=""):
    """Return the state and hold reasons of a new comment. Reads the word
    lists from the cache (one query when the cache is cold) and looks for a
    suspected duplicate through the indexed text hash; writes nothing."""
    lists = word_lists()
    haystack = words_of(f"{name} {email} {text}")
    probe = {"haystack": haystack, "ip_address": ip_address, "user_agent": user_agent}
    if lists[WordListKind.DISALLOW].matches(**probe):
        return Assessment(status=CommentStatus.SPAM, hold_reasons=[HoldReason.DISALLOWED_WORD.value])
    assessment = Assessment()
    if is_reserved_name(name):
        assessment.hold_reasons.append(HoldReason.RESERVED_NAME.value)
    if count_links(text) >= settings.COMMENTS_MAX_LINKS:
        assessment.hold_reasons.append(HoldReason.LINKS.value)
    if lists[WordListKind.MODERATE].matches(**probe):
        assessment.hold_reasons.append(HoldReason.MODERATED_WORD.value)
    if _is_suspected_duplicate(text):
        assessment.hold_reasons.append(HoldReason.DUPLICATE.value)
    return assessment


def _is_suspected_duplicate(text):
    """The same text (as `text_hash` folds it) already received recently, on
    any article and from any address (exact repeats by one reader on one
    article are refused before this point): copy-paste campaigns. One lookup
    on the (text_hash, created_at) index."""
    since = timezone.now() - DUPLICATE_WINDOW
    return Comment.objects.filter(text_hash=text_hash(text), created_at__gte=since).exists()


def word_lists():
    """{kind: WordLists} for both lists, from the cache or built from the
    database (and cached) when it was dropped."""
    lists = cache.get(WORD_LISTS_CACHE_KEY)
    if lists is None:
        lists = _build_word_lists(ModerationWord.objects.values_list("word", "kind", "target", "prefix"))
        cache.set(WORD_LISTS_CACHE_KEY, lists, WORD_LISTS_CACHE_SECONDS)
    return lists


def _build_word_lists(entries):
    patterns = {kind: [] for kind in WordListKind.values}
    lists = {kind: WordLists() for kind in WordListKind.values}
    for word, kind, target, prefix in entries:
        if target == WordTarget.IP_ADDRESS:
            try:
                lists[kind].networks.append(ipaddress.ip_network(word.strip(), strict=False))
            except ValueError:
                continue  # refused by the admin form; never fatal for a post
        elif target == WordTarget.USER_AGENT:
            if fold(word).strip():
                lists[kind].user_agents.append(fold(word).strip())
        elif words_of(word):
            ending = "" if prefix else r"(?!\w)"
            patterns[kind].append(rf"(?<!\w){re.escape(words_of(word))}{ending}")
    for kind, alternatives in patterns.items():
        lists[kind].words = "|".join(alternatives)
    return lists


@receiver([post_save, post_delete], sender=ModerationWord)
def _forget_word_lists(**kwargs):
    cache.delete(WORD_LISTS_CACHE_KEY)
