"""A reader reports a published comment (« Signaler », no account, no
cookie) and a moderator finds it in the desk's « Signalés » queue, with the
count and the reason, and keeps it from the keyboard."""

import re

from playwright.sync_api import expect

from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from comments.models import Comment, CommentReport
from comments.services import approve_comment
from tests.e2e.conftest import assert_accessible, log_into_admin

ARTICLE = f"/articles/{SMART_CITY_SLUG}/"
TEXT = "Les datacenters consomment beaucoup trop, ce projet est une honte."


def test_reader_reports_a_comment_and_the_moderator_sees_it_in_reported(browser, demo_site, problems):
    article = Article.objects.get(slug=SMART_CITY_SLUG)
    comment = Comment.objects.create(
        article=article, author_name="Gérard", author_email="gerard@example.org", text=TEXT
    )
    approve_comment(comment.pk, moderator=None)

    reader = browser.new_context(locale="fr-FR")
    page = problems.watch(reader.new_page())
    page.goto(demo_site.url + ARTICLE)
    published = page.locator(f"#commentaire-{comment.pk}")
    published.locator("summary", has_text="Signaler").click()
    published.get_by_label("Injurieux ou haineux").check()
    assert_accessible(page)
    published.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("status")).to_have_text(
        "Merci : votre signalement a été transmis à la modération."
    )
    assert_accessible(page)
    assert reader.cookies() == []
    assert CommentReport.objects.get().comment_id == comment.pk

    moderation = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    desk = problems.watch(moderation.new_page())
    log_into_admin(desk, demo_site.url, demo_site.accounts["Modération"])
    desk.locator("#desk-header-link").click()
    desk.get_by_role("link", name="Signalés").click()
    card = desk.locator(".desk-card").filter(has_text=TEXT)
    expect(card).to_have_count(1)
    expect(card.locator(".desk-reports")).to_have_text("1 signalement : Injurieux ou haineux (1)")
    assert_accessible(desk)

    desk.keyboard.press("a")

    expect(card).to_have_class(re.compile(r"\bis-decided\b"))
    expect(desk.locator("#desk-status")).to_contain_text("Commentaire gardé, signalements classés.")
    assert Comment.objects.get(pk=comment.pk).open_report_count == 0
    reader.close()
    moderation.close()
