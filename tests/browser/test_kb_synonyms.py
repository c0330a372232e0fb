"""The synonym dictionary page in a real Chromium: an admin adds, looks up and removes an entry of
the account's own; a bad word is named beside its field in Russian; an agent reads but cannot
change it; another account never sees it; a field engineer gets the 403 page, as on the API."""
import uuid

from tests.browser.page_moves import sign_in_admin
from tests.browser.test_console import sign_in_as_new


def entry(browser, word, means):
    """Types an entry into the dictionary's form (the lookup above it has a `word` box too)."""
    box = browser.find(".synonym-form input[name=word]")
    box.clear()
    box.send_keys(word)
    meanings = browser.find(".synonym-form textarea[name=means]")
    meanings.clear()
    meanings.send_keys(means)
    browser.click_through(".synonym-form button[type=submit]")


def test_an_admin_keeps_the_accounts_own_synonyms(browser, suite, screenshot):
    slug = f"syn{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    sign_in_admin(browser, slug)
    browser.click_through("nav.menu a[href='/kb']")
    browser.click_through("a[href='/kb/synonyms']")
    assert browser.text("h1") == "Синонимы"

    entry(browser, "два слова", "выгрузить")
    assert browser.text(".synonym-form [data-field=word]") == \
        "Одно слово из букв и цифр, не длиннее 40 символов."
    assert browser.find("textarea[name=means]").get_attribute("value") == "выгрузить"

    entry(browser, "скинуть", "выгрузить\nэкспорт")
    assert browser.text("tr[data-word='скинуть']").startswith("скинуть выгрузить, экспорт")
    assert admin.get("/api/v1/kb/synonyms/скинуть").json()["means"] == ["выгрузить", "экспорт"]
    screenshot("kb-synonyms-desktop")
    with browser.phone():
        screenshot("kb-synonyms-phone")

    browser.open("/kb/synonyms?word=скинуть")
    assert browser.find(".looked-up").get_attribute("data-source") == "account"
    browser.open("/kb/synonyms?word=абракадабра")  # in no dictionary: said so, not a 404
    assert "синонимов нет" in browser.text(".looked-up")

    # Another account's admin sees its own dictionary only.
    other = f"syn{uuid.uuid4().hex[:6]}"
    suite.admin(other)
    sign_in_admin(browser, other)
    browser.open("/kb/synonyms")
    assert not browser.find_all("tr[data-word='скинуть']")
    browser.open("/kb/synonyms?word=скинуть")
    assert browser.find(".looked-up").get_attribute("data-source") != "account"

    sign_in_admin(browser, slug)
    browser.open("/kb/synonyms")
    browser.click_through("tr[data-word='скинуть'] button")
    assert not browser.find_all("tr[data-word='скинуть']")
    assert admin.get("/api/v1/kb/synonyms").json()["items"] == []


def test_an_agent_reads_and_an_engineer_is_refused(browser, suite):
    slug = f"syn{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    admin.put("/api/v1/kb/synonyms/вырубить", json={"means": ["отключить"]})
    browser.driver.delete_all_cookies()
    sign_in_as_new(browser, admin, slug, "agent")
    browser.open("/kb/synonyms")
    assert browser.find_all("tr[data-word='вырубить']")
    assert not browser.find_all("form.synonym-form")  # no editing for an agent
    assert not browser.find_all("tr[data-word='вырубить'] button")  # nor removing
    browser.driver.delete_all_cookies()
    sign_in_as_new(browser, admin, slug, "field_engineer")
    browser.open("/kb/synonyms")
    assert browser.find("section.error").get_attribute("data-status") == "403"
