"""Factories for the comments tests."""

import itertools
import time

from comments.forms import security_data
from comments.models import Comment, CommentStatus
from comments.services import approve_comment
from tests.conftest import make_article

_counter = itertools.count(1)


def make_comment(*, article=None, status=CommentStatus.PENDING, **fields):
    """A comment stored directly in `status` (use the services for transitions)."""
    n = next(_counter)
    fields.setdefault("author_name", f"Lecteur {n}")
    fields.setdefault("author_email", f"lecteur{n}@example.org")
    fields.setdefault("text", f"Commentaire numéro {n}.")
    fields.setdefault("ip_address", f"192.0.2.{n % 250 + 1}")
    return Comment.objects.create(article=article or make_article(), status=status, **fields)


def make_approved_comment(*, article=None, moderator=None, **fields):
    comment = make_comment(article=article, **fields)
    return approve_comment(comment.pk, moderator=moderator)


def post_data(article, *, age=10, **overrides):
    """A valid form submission for `article`, displayed `age` seconds ago."""
    n = next(_counter)
    data = {
        "name": f"Lectrice {n}",
        "email": f"lectrice{n}@example.org",
        "text": f"Un avis argumenté numéro {n}.",
        "website": "",
        **security_data(article.pk, time.time() - age),
    }
    data.update(overrides)
    return data
