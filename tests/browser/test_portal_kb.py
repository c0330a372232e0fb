"""The knowledge base on the portal in a real Chromium: a contact searches with the knowledge
service's Russian search and gets only articles for clients, opens one, says whether it helped
and finds related ones; an internal or another account's article is 404 (docs/portal.md)."""

from tests.browser.portal_pages import axe_violations, checked_at_phone_size, portal_sign_in
from tests.portal_world import made, world  # noqa: F401  (the fixture)


def articles_shown(browser, css):
    return browser.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => e.dataset.article)", css)


def test_a_search_answers_in_russian_word_forms_and_never_shows_internal_articles(browser, world, screenshot):
    with browser.phone():
        portal_sign_in(browser, world, "a_own")
        browser.open(f"/p/{world.slug}/kb")
        browser.wait_for("#kb-q").send_keys("турникеты скрипят")
        browser.click_through("form.search button")
        hits = articles_shown(browser, ".hits li")
        assert hits[0] == world.ids["article"] and world.ids["internal"] not in hits
        assert checked_at_phone_size(browser) == []
        assert axe_violations(browser) == []
        screenshot("portal-kb-search-phone")


def test_an_article_takes_was_this_helpful_and_lists_related_ones(browser, world, screenshot):
    portal_sign_in(browser, world, "a_company")
    browser.open(f"/p/{world.slug}/kb/articles/{world.ids['article']}")
    browser.wait_for("article h1")
    assert world.ids["related"] in articles_shown(browser, ".links li")
    assert world.ids["internal"] not in articles_shown(browser, ".links li")
    assert axe_violations(browser) == []
    screenshot("portal-kb-article-desktop")
    browser.click_through("#helpful button[value=yes]")
    assert browser.find("#helpful [data-voted=yes]")
    counts = made(world.admin.get(f"/api/v1/kb/articles/{world.ids['article']}/feedback"), 200)
    assert counts == {"helpful": 1, "not_helpful": 0}


def test_sections_list_their_client_articles(browser, world):
    portal_sign_in(browser, world, "a_company")
    browser.open(f"/p/{world.slug}/kb")
    browser.click_through(f"a[href$='/kb/sections/{world.ids['section']}']")
    shown = set(articles_shown(browser, ".links li"))
    assert {world.ids["article"], world.ids["related"]} <= shown and world.ids["internal"] not in shown


def test_an_internal_article_is_404_to_a_contact(browser, world):
    portal_sign_in(browser, world, "a_company")
    browser.open(f"/p/{world.slug}/kb/articles/{world.ids['internal']}")
    assert browser.wait_for("section.error").get_attribute("data-status") == "404"


def test_the_portal_is_used_with_the_keyboard_alone(browser, world):
    from selenium.webdriver.common.keys import Keys
    portal_sign_in(browser, world, "a_company")
    browser.open(f"/p/{world.slug}/kb")
    browser.wait_for("#kb-q")
    body = browser.find("body")
    body.send_keys(Keys.TAB)
    assert browser.driver.switch_to.active_element.get_attribute("class") == "skip"
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    # The search field is reached by tabbing from the content's start, and Enter searches.
    for _ in range(10):
        if browser.driver.switch_to.active_element.get_attribute("id") == "kb-q":
            break
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
    field = browser.driver.switch_to.active_element
    assert field.get_attribute("id") == "kb-q"
    page = browser.find("html")
    field.send_keys("турникет скрипит", Keys.ENTER)
    browser.wait_until(lambda: page != browser.find("html") and browser.find_all(".hits li"))


def test_public_articles_are_read_and_searched_without_sign_in(browser, world, screenshot):
    public = made(world.admin.post("/api/v1/kb/articles", json={
        "title": "Как подать заявку через портал", "section_id": world.ids["section"],
        "state": "published", "visibility": "public", "body": "Откройте портал и нажмите «Новая заявка»."}))
    with browser.phone():
        browser.open(f"/p/{world.slug}/kb?q=заявку портал")
        hits = articles_shown(browser, ".hits li")
        assert hits == [public["id"]]  # articles for clients only stay behind the sign-in
        assert not browser.find_all("a[href$='/kb/sections/" + world.ids["section"] + "']")
        screenshot("portal-kb-public-phone")
        browser.open(f"/p/{world.slug}/kb/articles/{public['id']}")
        assert "Как подать заявку" in browser.wait_for("article h1").text
        assert not browser.find_all("#helpful")
        assert checked_at_phone_size(browser) == []
    for hidden in (world.ids["article"], world.ids["internal"]):
        browser.open(f"/p/{world.slug}/kb/articles/{hidden}")
        assert browser.wait_for("section.error").get_attribute("data-status") == "404"
    browser.open(f"/p/{world.slug}/kb/sections/{world.ids['section']}")
    browser.wait_for("input[name=login]")  # sections need a sign-in
