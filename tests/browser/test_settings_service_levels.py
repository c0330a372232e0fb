"""Service levels and the coverage policy in a real Chromium: create a level and find it listed
with its targets and price, edit it, the 422 reasons in Russian beside their fields with the
typed values kept, and the coverage policy saved and shown again."""
from tests.browser.settings_forms import (LATIN, fill, reasons, send_refused, sign_in_admin, tag,
                                          text)

TARGETS = {"low": (480, 4800), "normal": (240, 1440), "high": (60, 480), "critical": (15, 240)}


def target_fields(targets):
    return {f"targets.{priority}.{kind}": str(minutes) for priority, pair in targets.items()
            for kind, minutes in zip(("reaction_minutes", "resolution_minutes"), pair)}


def test_a_new_service_level_is_listed_with_its_targets_and_price_then_edited(
        browser, acme, screenshot):
    name = f"Премиум {tag()}"
    sign_in_admin(browser)
    browser.click_through("nav.menu a[href='/settings']")
    listed = {a.get_attribute("href").removeprefix(browser.url) for a in browser.find_all(".settings-pages a")}
    assert {"/settings/service-levels", "/settings/coverage-policy", "/settings/calendars",
            "/settings/sla-rules", "/settings/price-list", "/settings/api-tokens"} <= listed
    screenshot("settings-index-desktop")
    browser.click_through("button[name=locale][value=en]")   # English through the catalogs
    assert browser.text("h1") == "Settings" and "Service levels" in browser.text(".settings-pages")
    browser.click_through("button[name=locale][value=ru]")
    browser.click_through(".settings-pages a[href='/settings/service-levels']")
    browser.click_through("a[href='/settings/service-levels/new']")
    fill(browser, {"name": name, "monthly_price": "12 500,50", "options": "Выезд за 4 часа\nЗапчасти",
                   "personal_manager": True, **target_fields(TARGETS)})
    screenshot("settings-level-form-desktop")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.driver.current_url.endswith("/settings/service-levels")
    level = [level for level in acme.get("/api/v1/service-levels", params={"limit": 100}).json()["items"] if level["name"] == name][0]
    row = text(browser.text(f"tr[data-level='{level['id']}']"))
    assert "12 500,50 ₽" in row
    assert "15 / 240 мин" in row and "240 / 1 440 мин" in row
    assert "Персональный менеджер" in row
    assert level["targets"]["high"] == {"reaction_minutes": 60, "resolution_minutes": 480}
    assert level["monthly_price"] == {"amount": "12500.50", "currency": "RUB"}
    assert level["options"] == ["Выезд за 4 часа", "Запчасти"]
    screenshot("settings-levels-desktop")
    with browser.phone():
        screenshot("settings-levels-phone")

    browser.click_through(f"tr[data-level='{level['id']}'] a")
    assert browser.find("input[name='targets.high.reaction_minutes']").get_attribute("value") == "60"
    fill(browser, {"targets.high.reaction_minutes": "30", "active": False})
    with browser.phone():
        screenshot("settings-level-form-phone")
    browser.click_through("form.settings-form button[type=submit]")
    row = text(browser.text(f"tr[data-level='{level['id']}']"))
    assert "30 / 480 мин" in row and "Не действует" in row
    assert [lv for lv in acme.get("/api/v1/service-levels", params={"limit": 100}).json()["items"]
            if lv["id"] == level["id"]][0]["targets"]["high"]["reaction_minutes"] == 30


def test_a_refused_level_names_each_field_in_russian_and_keeps_what_was_typed(
        browser, acme, screenshot):
    sign_in_admin(browser)
    browser.open("/settings/service-levels/new")
    fill(browser, {"name": "", "monthly_price": "дорого", **target_fields(TARGETS)})
    browser.find("input[name='targets.critical.reaction_minutes']").clear()
    send_refused(browser)
    shown = reasons(browser)
    assert set(shown) == {"name", "monthly_price", "targets.critical.reaction_minutes"}, shown
    assert shown["targets.critical.reaction_minutes"] == "Должно быть целым числом."
    assert not LATIN.search(" ".join(shown.values())), shown
    assert browser.find("input[name=monthly_price]").get_attribute("value") == "дорого"
    assert browser.find("input[name='targets.normal.reaction_minutes']").get_attribute("value") == "240"
    assert browser.driver.current_url.endswith("/settings/service-levels/new")
    screenshot("settings-level-422-desktop")
    with browser.phone():
        screenshot("settings-level-422-phone")

    # Once every field is well formed, the rules between fields speak.
    fill(browser, {"name": f"Эконом {tag()}", "monthly_price": "990", "targets.critical.reaction_minutes": "15",
                   "targets.normal.reaction_minutes": "600", "targets.normal.resolution_minutes": "60"})
    send_refused(browser)
    assert reasons(browser) == {
        "targets.normal.resolution_minutes": "Срок решения не может быть меньше срока реакции."}
    screenshot("settings-level-422-desktop")


def test_the_coverage_policy_is_saved_and_shown_again(browser, acme, screenshot):
    code = f"V{tag()}"
    assert acme.post("/api/v1/price-items", json={
        "code": code, "name": "Выезд инженера", "unit": "выезд",
        "price": {"amount": "2500.00", "currency": "RUB"}}).status_code == 201
    sign_in_admin(browser)
    browser.open("/settings/coverage-policy")
    fill(browser, {"actions.unpaid": "reject", "messages.unpaid": "Оплатите договор, пожалуйста.",
                   "paid_work_code": code})
    send_refused(browser)  # saved: the form comes back with a notice
    assert browser.text(".notice") == "Сохранено."
    policy = acme.get("/api/v1/coverage-policy").json()
    assert policy["actions"]["unpaid"] == "reject"
    assert policy["messages"]["unpaid"] == "Оплатите договор, пожалуйста."
    assert policy["paid_work_code"] == code
    browser.open("/settings/coverage-policy")
    assert browser.find("select[name='actions.unpaid'] option[value=reject]").is_selected()
    screenshot("settings-policy-desktop")
    with browser.phone():
        screenshot("settings-policy-phone")
