"""Demo content for the comments app (called by `manage.py load_demo`).

A few approved comments on other demo articles so that « Sujets les +
commentés » is alive, and none on the smart-city feature (the browser journey
expects « Commentaire 0 » there). Idempotent: comments are looked up by
article and text.
"""

from datetime import timedelta

from django.utils import timezone

from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from comments.models import Comment
from comments.services import approve_comment, reply_as_newsroom

DEMO_COMMENTS = [
    # (index among other articles, name, text)
    (
        0,
        "Marc D.",
        "Enfin ! Les navires à quai polluaient tout le quartier de la Joliette.\n\n"
        "Reste à voir le calendrier.",
    ),
    (0, "Nadia", "Combien coûte l'électrification d'un quai, et qui paie ?"),
    (0, "Pierre-Yves", "Bonne nouvelle pour la qualité de l'air à Marseille."),
    (1, "Léa B.", "Les levées de fonds, c'est bien ; les emplois créés, ce serait encore mieux à connaître."),
    (1, "Thomas", "Bravo aux équipes des incubateurs locaux."),
    (2, "Jean M.", "Les zones d'activité manquent surtout de transports en commun."),
]

REPLY_TEXT = (
    "Merci pour votre question. Le coût et son financement seront détaillés dans notre prochain article "
    "sur le port."
)


def load(*, stdout=None):
    """Idempotent: running it twice changes nothing."""
    articles = list(Article.objects.published().exclude(slug=SMART_CITY_SLUG).order_by("-published_at")[:3])
    if not articles:
        return
    now = timezone.now()
    created = 0
    for offset, (index, name, text) in enumerate(DEMO_COMMENTS):
        article = articles[min(index, len(articles) - 1)]
        comment, is_new = Comment.objects.get_or_create(
            article=article,
            text=text,
            parent=None,
            defaults={
                "author_name": name,
                "author_email": f"lecteur{offset + 1}@example.org",
                "created_at": now - timedelta(hours=offset + 1),
            },
        )
        if is_new:
            approve_comment(comment.pk, moderator=None)
            created += 1
        if offset == 1 and not comment.replies.exists():
            reply_as_newsroom(parent_id=comment.pk, text=REPLY_TEXT, moderator=None)
    if stdout:
        if created:
            stdout.write(f"Commentaires de démonstration : {created} {'créé' if created == 1 else 'créés'}.")
        else:
            stdout.write("Commentaires de démonstration : déjà en place.")
