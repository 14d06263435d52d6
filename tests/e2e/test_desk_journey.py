"""The moderation desk in a real browser: a moderator clears 30 pending
comments with the keyboard alone (approve, reject, spam and one undo), in at
most two keystrokes per comment, with no page reload, under the strict CSP;
a reader in another browser then sees the approved ones; axe-core finds no
violation on any queue or state of the desk."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from comments.models import Comment, CommentStatus, HoldReason
from tests.e2e.conftest import assert_accessible, log_into_admin

DESK = "/admin/comments/comment/desk/"
ARTICLE = f"/articles/{SMART_CITY_SLUG}/"
COUNT = 30
KEYS = {0: "a", 1: "r", 2: "s"}  # comment n gets KEYS[n % 3]
UNDONE = 1  # comment 1 is rejected, the rejection undone, then approved


def text_of(n):
    return f"Avis numéro {n} sur la ville intelligente."


def add_pending_comments(article):
    now = timezone.now()
    for n in range(COUNT):
        Comment.objects.create(
            article=article,
            author_name=f"Lecteur {n}",
            author_email=f"lecteur{n}@example.org",
            text=text_of(n),
            hold_reasons=[HoldReason.LINKS] if n == 0 else [],
            created_at=now - timedelta(minutes=COUNT - n),
        )


def decided(page):
    return page.locator(".desk-card.is-decided")


def focused_card_text(page):
    return page.evaluate(
        "document.activeElement.closest('.desk-card')?.querySelector('.desk-text')?.innerText"
    )


def test_moderator_clears_thirty_comments_with_the_keyboard_alone(browser, demo_site, problems):
    article = Article.objects.get(slug=SMART_CITY_SLUG)
    published_before = article.approved_comment_count
    add_pending_comments(article)
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = problems.watch(context.new_page())
    log_into_admin(page, demo_site.url, demo_site.accounts["Modération"])
    expect(page.locator("#desk-header-link")).to_have_text(f"File de modération ({COUNT})")
    page.locator("#desk-header-link").click()
    expect(page).to_have_title(f"({COUNT}) File de modération | Newsroom")
    page.evaluate("window.deskMarker = 'même page'")
    assert_accessible(page)

    # The oldest comment has the focus; j and k move it.
    expect(page.locator(".desk-card").first).to_be_focused()
    assert focused_card_text(page) == text_of(0)
    keystrokes = 0
    for key in ("j", "k"):
        page.keyboard.press(key)
        keystrokes += 1
    assert focused_card_text(page) == text_of(0)
    with context.expect_page() as opened:
        page.keyboard.press("o")
        keystrokes += 1
    opened.value.wait_for_load_state()
    assert opened.value.url == demo_site.url + ARTICLE
    opened.value.close()

    for n in range(COUNT):
        assert focused_card_text(page) == text_of(n)
        page.keyboard.press(KEYS[n % 3])
        keystrokes += 1
        expect(decided(page)).to_have_count(n + 1)
        if n == UNDONE:
            expect(page.locator("#desk-status")).to_contain_text("Commentaire rejeté.")
            page.keyboard.press("u")
            keystrokes += 1
            expect(decided(page)).to_have_count(n)
            expect(page.locator("#desk-status")).to_have_text("Décision annulée.")
            assert focused_card_text(page) == text_of(n)
            assert_accessible(page)  # a decided comment, then an undone one
            page.keyboard.press("a")
            keystrokes += 1
            expect(decided(page)).to_have_count(n + 1)
        if n == 2:
            assert_accessible(page)

    assert keystrokes - 3 == COUNT + 2 <= 2 * COUNT  # besides j, k and o: 32 keys for 30 comments
    expect(page.locator("#desk-header-link")).to_have_text("File de modération (0)")
    expect(page).to_have_title("File de modération | Newsroom")
    assert page.evaluate("window.deskMarker") == "même page"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    statuses = list(Comment.objects.filter(text__startswith="Avis numéro").values_list("text", "status"))
    expected = {
        text_of(n): CommentStatus.APPROVED
        if n == UNDONE
        else {"a": CommentStatus.APPROVED, "r": CommentStatus.REJECTED, "s": CommentStatus.SPAM}[KEYS[n % 3]]
        for n in range(COUNT)
    }
    assert dict(statuses) == expected

    # The help, then every queue, with axe.
    page.keyboard.press("?")
    expect(page.locator("#desk-help")).to_have_attribute("open", "")
    assert_accessible(page)
    for queue, label in [("reported", "Signalés"), ("spam", "Indésirables"), ("rejected", "Rejetés")]:
        page.goto(f"{demo_site.url}{DESK}?queue={queue}")
        expect(page.locator("h1")).to_have_text(f"File de modération — {label}")
        assert_accessible(page)
    page.goto(f"{demo_site.url}{DESK}")
    expect(page.locator(".desk-empty")).to_have_text("Rien à traiter dans cette file.")
    assert_accessible(page)

    reader = browser.new_context(locale="fr-FR")
    reader_page = problems.watch(reader.new_page())
    reader_page.goto(demo_site.url + ARTICLE)
    approved = sum(1 for status in expected.values() if status == CommentStatus.APPROVED)
    expect(reader_page.locator("#comments-title")).to_have_text(f"{published_before + approved} commentaires")
    for n in range(COUNT):
        shown = expected[text_of(n)] == CommentStatus.APPROVED
        expect(reader_page.get_by_text(text_of(n), exact=True)).to_have_count(1 if shown else 0)
    reader.close()
    context.close()


def test_desk_works_without_javascript(browser, demo_site, problems):
    article = Article.objects.get(slug=SMART_CITY_SLUG)
    Comment.objects.create(
        article=article, author_name="Lou", author_email="lou@example.org", text="Sans script, ça marche."
    )
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = problems.watch(context.new_page())
    log_into_admin(page, demo_site.url, demo_site.accounts["Modération"])
    page.goto(demo_site.url + DESK)

    page.locator(".desk-card").get_by_role("button", name="Approuver").click()

    expect(page.locator(".messagelist")).to_contain_text("Commentaire approuvé.")
    expect(page.locator(".desk-empty")).to_have_text("Rien à traiter dans cette file.")
    assert Comment.objects.get(text="Sans script, ça marche.").status == CommentStatus.APPROVED
    context.close()


def test_two_moderators_on_one_comment_act_once(browser, demo_site, problems):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    article = Article.objects.get(slug=SMART_CITY_SLUG)
    Comment.objects.create(
        article=article, author_name="Lou", author_email="lou@example.org", text="Un seul des deux décide."
    )
    second = get_user_model().objects.create_user(
        "e2e-moderatrice-2", password="Mot2passe-second!", is_staff=True
    )
    second.groups.add(Group.objects.get(name="Modération"))
    pages = []
    for credentials in (demo_site.accounts["Modération"], ("e2e-moderatrice-2", "Mot2passe-second!")):
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        page = problems.watch(context.new_page(), expected_statuses=(409,))
        log_into_admin(page, demo_site.url, credentials)
        page.goto(demo_site.url + DESK)
        expect(page.locator(".desk-card").first).to_be_focused()
        pages.append(page)
    first_page, second_page = pages

    first_page.keyboard.press("a")
    expect(first_page.locator("#desk-status")).to_contain_text("Commentaire approuvé.")
    second_page.keyboard.press("r")

    expect(second_page.locator("#desk-status")).to_contain_text("Déjà traité par e2e-moderateur le ")
    expect(second_page.locator(".desk-card.is-decided .desk-outcome")).to_contain_text("(« Approuvé »)")
    assert Comment.objects.get(text="Un seul des deux décide.").status == CommentStatus.APPROVED
    assert_accessible(second_page)
    for page in pages:
        page.context.close()
