"""The signed « Approuver » / « Rejeter » links of the moderators' e-mail.

A link carries, signed with `django.core.signing` (salted for this one
purpose, timestamped): the comment, the moderator the mail was sent to and
the action. It is bound to all three: another comment's address, another
action or a changed character gives a clear refusal, never a 500. It expires
after COMMENTS_EMAIL_LINK_HOURS (72 h). Opening it shows a confirmation page
(a GET changes nothing); the POST acts once through `comments.services`,
recorded under that moderator.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from comments.models import CommentStatus

SALT = "newsroom.comments.email-decision"

#: The actions a link may carry, and the state each one leads to.
ACTIONS = {"approve": CommentStatus.APPROVED, "reject": CommentStatus.REJECTED}


class BadLink(Exception):
    """The link cannot be used; `message` says why, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Decision:
    comment_id: int
    moderator: object
    action: str

    @property
    def status(self):
        return ACTIONS[self.action]


def decision_token(*, comment_id, moderator_id, action):
    return signing.dumps({"c": comment_id, "m": moderator_id, "a": action}, salt=SALT, compress=False)


def decision_url(*, comment_id, moderator_id, action):
    token = decision_token(comment_id=comment_id, moderator_id=moderator_id, action=action)
    return settings.SITE_URL + reverse("comments:email_decision", args=[comment_id, token])


def read_decision(comment_id, token):
    """The decision a link carries, or BadLink with a French explanation."""
    from django.utils.translation import gettext as _

    max_age = settings.COMMENTS_EMAIL_LINK_HOURS * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink(
            _(
                "Ce lien a expiré (il est valable %(hours)d heures). Ouvrez la file de modération "
                "pour traiter ce commentaire."
            )
            % {"hours": settings.COMMENTS_EMAIL_LINK_HOURS}
        ) from None
    except signing.BadSignature:
        raise BadLink(_("Ce lien n’est pas valide : il a peut-être été coupé ou modifié.")) from None
    if not isinstance(data, dict) or data.get("a") not in ACTIONS or data.get("c") != comment_id:
        raise BadLink(_("Ce lien ne correspond pas à ce commentaire."))
    moderator = (
        get_user_model()
        .objects.filter(pk=data.get("m"), is_active=True, is_staff=True)
        .prefetch_related("groups")
        .first()
    )
    if moderator is None or not moderator.has_perm("comments.change_comment"):
        raise BadLink(_("Le compte auquel ce lien a été envoyé ne peut plus modérer les commentaires."))
    return Decision(comment_id=comment_id, moderator=moderator, action=data["a"])
