from tests.e2e.conftest import assert_accessible


def test_home_page_loads_in_a_real_browser_without_problems(page, demo_site, problems):
    problems.watch(page)

    page.goto(demo_site.url + "/")

    assert page.title().startswith("Newsroom")
    assert (
        page.get_by_role(
            "link", name="Quelle place pour le numérique dans le développement des métropoles ?"
        ).count()
        >= 1
    )
    assert_accessible(page)
