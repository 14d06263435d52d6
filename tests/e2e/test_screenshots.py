"""`make screenshots`: pictures of the main pages on a phone and a desktop,
written to docs/screenshots/ for the README. Not part of `make test`.

The smart-city feature gets a few comments for the occasion, all through the
comments app's own services (so counts and change times are kept as on the
real site): approved ones with an answer from the newsroom, shown under the
article, and pending ones, shown in the moderators' list. A few reads are
counted too, so that « Sujets les + lus » is not empty."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from comments.models import Comment
from comments.services import approve_comment, reply_as_newsroom, submit_comment
from events.demo import RENCONTRES_SLUG
from tests.e2e.conftest import log_into_admin

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# Full-page captures, cut at a sensible height (a long article on a phone is
# several metres tall) and saved with a 256-colour palette, so that the README
# stays light while still showing what matters (the comments under the article).
MAX_HEIGHT = {
    "home": {"phone": 2600, "desktop": 2000},
    "article": {"phone": 6000, "desktop": 4000},
    "event": {"phone": 4000, "desktop": 2400},
    "speaker": {"phone": 1400, "desktop": 1000},
    "privacy": {"phone": 3200, "desktop": 2000},
    "moderation": {"phone": 844, "desktop": 900},
    "desk": {"phone": 1800, "desktop": 1100},
}

APPROVED = [
    (
        "Claire V.",
        "Très juste sur la sécurité publique : les outils numériques de la police municipale "
        "ont changé le quotidien du centre-ville. Reste la question des données.",
    ),
    (
        "Karim B.",
        "Une ville intelligente sans ses habitants n'a pas de sens. Les ateliers de "
        "co-construction méritent d'être ouverts à tous les arrondissements.",
    ),
    ("Sophie L.", "Marseille premier site de datacenters en France : on le sait trop peu !"),
]
REPLY = "Merci ! Nous reviendrons sur ce point lors des Rencontres, le programme est en ligne."
PENDING = [
    ("Julien R.", "Quel est le calendrier du déploiement des réseaux électriques intelligents ?"),
    ("Anne-Marie", "Article intéressant, mais qui finance ces projets ? Voir https://example.org"),
    ("Bruno", "Et les petites communes de la métropole dans tout cela ?"),
]

pytestmark = pytest.mark.screenshots


def add_comments(article):
    now = timezone.now()
    for offset, (name, text) in enumerate(APPROVED):
        comment = submit_comment(
            article=article, name=name, email=f"lecteur{offset}@example.org", text=text, ip_address=None
        )
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=5 - offset))
        approve_comment(comment.pk, moderator=None)
        if offset == 1:
            reply_as_newsroom(parent_id=comment.pk, text=REPLY, moderator=None)
    for offset, (name, text) in enumerate(PENDING):
        submit_comment(
            article=article, name=name, email=f"attente{offset}@example.org", text=text, ip_address=None
        )


def save(png, name, viewport):
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        OUT / f"{name}-{viewport}.png", optimize=True
    )


def shoot(page, name, viewport):
    # A full-page capture does not scroll: load the lazy images first.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
    # (page.wait_for_function would poll with eval, which the CSP forbids.)
    page.evaluate(
        """() => Promise.all(Array.from(document.images).filter(img => !img.complete).map(
            img => new Promise(done => { img.onload = img.onerror = done; })))"""
    )
    width = VIEWPORTS[viewport]["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[name][viewport])
    save(
        page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}),
        name,
        viewport,
    )


def shoot_element(page, selector, name, viewport):
    """One block of a page (the event box under the article), with a margin."""
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.locator(selector).first.bounding_box()
    scroll = page.evaluate("window.scrollY")
    margin = 12
    clip = {
        "x": 0,
        "y": max(0, box["y"] + scroll - margin),
        "width": VIEWPORTS[viewport]["width"],
        "height": box["height"] + 2 * margin,
    }
    save(page.screenshot(full_page=True, clip=clip), name, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_take_screenshots(browser, demo_site, viewport):
    OUT.mkdir(parents=True, exist_ok=True)
    article = Article.objects.get(slug=SMART_CITY_SLUG)
    add_comments(article)
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="fr-FR", timezone_id="Europe/Paris", reduced_motion="reduce"
    )
    page = context.new_page()
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "event": f"/evenements/{RENCONTRES_SLUG}/",
        "speaker": "/evenements/intervenants/daniel-sperling/",
        # A footer page, and the footer with it (phone: the whole page).
        "privacy": "/confidentialite/",
    }
    for name, path in pages.items():
        page.goto(demo_site.url + path)
        shoot(page, name, viewport)
        if name == "article":
            shoot_element(page, ".event-box", "event-box", viewport)

    log_into_admin(page, demo_site.url, demo_site.accounts["Modération"])
    page.goto(demo_site.url + "/admin/comments/comment/")
    shoot(page, "moderation", viewport)
    # The moderation desk (« File de modération »), the focus on the oldest comment.
    page.goto(demo_site.url + "/admin/comments/comment/desk/")
    page.locator(".desk-card.is-current").first.wait_for()
    shoot(page, "desk", viewport)
    context.close()
