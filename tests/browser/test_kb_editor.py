"""The knowledge base editor in a real Chromium: a section, an article written in Markdown and
previewed as the knowledge service renders it, published and unpublished, its earlier versions;
422 reasons in Russian; another account's article is 404; a role that may not edit gets 403."""
import re
import uuid

from selenium.webdriver.support.ui import Select

from tests.browser.page_moves import fill, sign_in_admin
from tests.browser.test_console import sign_in_as_new

FIRST_BODY = "## Проверка\n\nСначала **выключите** принтер.\n\n- кабель\n- бумага"


def test_an_article_is_written_previewed_published_and_its_versions_read(browser, acme,
                                                                          screenshot):
    tag = uuid.uuid4().hex[:6]
    sign_in_admin(browser, "acme")
    browser.click_through("nav.menu a[href='/kb']")
    assert browser.text("h1") == "База знаний"

    # A section with no name is refused beside its field, in Russian; then one is added.
    browser.click_through("form.new-section button[type=submit]")
    assert browser.find(".reason[data-field=name]").text == "Длина должна быть от 1 до 200 символов."
    fill(browser, "name", f"Принтеры {tag}")
    browser.click_through("form.new-section button[type=submit]")
    section = next(a for a in browser.find_all(".kb-sections li a:first-child")
                   if a.text == f"Принтеры {tag}")
    section_href = section.get_attribute("href")
    browser.open(section_href.removeprefix(browser.url))

    # A new article in that section, saved as a draft; the preview is the service's HTML.
    browser.click_through("a.button.primary")
    fill(browser, "title", f"Принтер не печатает {tag}")
    fill(browser, "body", FIRST_BODY)
    fill(browser, "tags", "принтер, печать")
    assert Select(browser.find("select[name=section_id]")).first_selected_option.text == f"Принтеры {tag}"
    browser.click_through("form.article-form button[type=submit]")
    article_id = re.search(r"/kb/articles/([^/?]+)$", browser.driver.current_url)[1]
    rendered = browser.find(".preview .rendered")
    assert "<strong>выключите</strong>" in rendered.get_attribute("innerHTML")
    assert [li.text for li in browser.find_all(".preview .rendered li")] == ["кабель", "бумага"]
    assert browser.text(".preview .badge") == "Черновик"
    assert browser.text(".preview .version") == "Версия 1"

    # Saving again through htmx swaps the preview only; a second version.
    fill(browser, "body", "Проверьте *картридж* и замените его.")
    page = browser.find("html")
    browser.find("#article button[type=submit]").click()
    browser.wait_until(lambda: "картридж" in browser.text(".preview .rendered"))
    assert browser.find("html") == page  # the same page: only #article was replaced
    assert "<em>картридж</em>" in browser.find(".preview .rendered").get_attribute("innerHTML")
    assert browser.text(".preview .version") == "Версия 2"

    # An audience of chosen clients needs a category or a service level: the field is named.
    browser.find("input[name=visibility][value=categories]").click()
    browser.find("#article button[type=submit]").click()
    browser.wait_for(".reason[data-field=client_categories]")
    assert browser.text(".reason[data-field=client_categories]") == (
        "Укажите хотя бы одну категорию клиентов или уровень обслуживания.")
    fill(browser, "client_categories", "VIP")
    browser.find("#article button[type=submit]").click()
    browser.wait_until(lambda: browser.text(".preview .version") == "Версия 3")
    assert "Выбранные клиенты" in browser.text(".preview .meta")
    browser.driver.execute_script("window.scrollTo(0, 0)")
    screenshot("kb-article-desktop")

    # Publish, then unpublish: each a version, the state shown.
    browser.click_through("button[data-state=published]")
    assert browser.text(".preview .badge") == "Опубликована"
    assert acme.get(f"/api/v1/kb/articles/{article_id}").json()["state"] == "published"
    browser.click_through("button[data-state=draft]")
    assert browser.text(".preview .badge") == "Черновик"
    assert acme.get(f"/api/v1/kb/articles/{article_id}").json()["version"] == 5

    # The versions, newest first; the first one read as it was written.
    browser.click_through(".kb-head .actions a")
    numbers = [row.find_element("css selector", "td a").text for row in browser.find_all("table.versions tbody tr")]
    assert numbers == ["5", "4", "3", "2", "1"]
    assert {cell.text for cell in browser.find_all("table.versions td.author")} == {"Администратор"}
    browser.click_through(f"a[href='/kb/articles/{article_id}/versions/1']")
    assert browser.text("pre.markdown") == FIRST_BODY
    screenshot("kb-versions-desktop")
    with browser.phone():
        browser.open(f"/kb/articles/{article_id}")
        browser.wait_for(".preview")
        screenshot("kb-article-phone")
        browser.open("/kb")
        screenshot("kb-index-phone")

    # The list shows it in its section.
    browser.open(section_href.removeprefix(browser.url))
    assert f"Принтер не печатает {tag}" in browser.text("table.articles")
    screenshot("kb-index-desktop")


def test_a_section_is_renamed(browser, acme):
    section = acme.post("/api/v1/kb/sections", json={"name": "Кассы"}).json()
    sign_in_admin(browser, "acme")
    browser.open(f"/kb/sections/{section['id']}")
    fill(browser, "name", "")
    browser.click_through("form.narrow button[type=submit]")
    assert browser.text(".reason[data-field=name]") == "Длина должна быть от 1 до 200 символов."
    fill(browser, "name", "Кассы и терминалы")
    browser.click_through("form.narrow button[type=submit]")
    assert acme.get(f"/api/v1/kb/sections/{section['id']}").json()["name"] == "Кассы и терминалы"
    assert "Кассы и терминалы" in browser.text(".kb-sections")


def test_another_accounts_article_and_section_are_404(browser, acme, globex, screenshot):
    foreign = globex.post("/api/v1/kb/articles", json={
        "title": "Чужая статья", "body": "Секрет другой организации"}).json()
    foreign_section = globex.post("/api/v1/kb/sections", json={"name": "Чужой раздел"}).json()
    sign_in_admin(browser, "acme")
    for path in (f"/kb/articles/{foreign['id']}", f"/kb/articles/{foreign['id']}/versions",
                 f"/kb/articles/{foreign['id']}/versions/1", f"/kb/sections/{foreign_section['id']}"):
        browser.open(path)
        assert browser.find("section.error").get_attribute("data-status") == "404", path
        assert "Секрет" not in browser.text() and "Чужой раздел" not in browser.text()
    screenshot("kb-404")
    assert acme.get(f"/api/v1/kb/articles/{foreign['id']}").status_code == 404


def test_a_field_engineer_reads_but_may_not_edit(browser, acme, screenshot):
    article = acme.post("/api/v1/kb/articles", json={
        "title": "Сброс кассы", "body": "Нажмите **сброс**.", "state": "published"}).json()
    sign_in_as_new(browser, acme, "acme", "field_engineer")
    browser.open("/kb")
    assert "Сброс кассы" in browser.text("table.articles")
    browser.open(f"/kb/articles/{article['id']}/versions")  # versions are the editors' (API: 403)
    assert browser.find("section.error").get_attribute("data-status") == "403"
    screenshot("kb-versions-403")
    browser.open("/kb/articles/new")
    fill(browser, "title", "Моя статья")
    fill(browser, "body", "Текст")
    browser.click_through("form.article-form button[type=submit]")
    assert browser.find("section.error").get_attribute("data-status") == "403"
