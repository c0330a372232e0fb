"""SLA escalation rules in a real Chromium: add a rule, edit it (a reassignment without a group
refused in Russian, then with one), delete it; each step read back through the API."""
from tests.browser.settings_forms import fill, reasons, send_refused, sign_in_admin, tag

RULES = "/api/v1/sla/escalation-rules"


def test_an_escalation_rule_is_added_edited_and_deleted(browser, acme, screenshot):
    assert acme.put(RULES, json={"rules": []}).status_code == 200
    person = acme.create_employee("agent", name=f"Старший смены {tag()}")
    group = acme.post("/api/v1/groups", json={"name": f"Вторая линия {tag()}"}).json()
    sign_in_admin(browser)
    browser.open("/settings/sla-rules")
    assert "Правил эскалации нет" in browser.text("main.page")
    browser.click_through("a[href='/settings/sla-rules/new']")
    fill(browser, {"target": "reaction", "milestone": "warning", "action": "notify",
                   "recipients": person["id"], "working_hours_only": True})
    browser.click_through("form.settings-form button[type=submit]")
    row = browser.text("tr[data-rule='0']")
    assert "Реакция" in row and "Срок подходит к концу" in row and person["name"] in row
    assert acme.get(RULES).json()["rules"] == [{
        "target": "reaction", "milestone": "warning", "action": "notify", "working_hours_only": True,
        "group_id": None, "recipients": [person["id"]]}]
    screenshot("settings-rules-desktop")
    with browser.phone():
        screenshot("settings-rules-phone")

    browser.click_through("tr[data-rule='0'] a")
    browser.find(f"select[name=recipients] option[value='{person['id']}']").click()  # unselect
    fill(browser, {"action": "reassign", "milestone": "breach"})
    send_refused(browser)
    assert reasons(browser) == {"group_id": "Для передачи укажите группу."}
    assert browser.find("select[name=action] option[value=reassign]").is_selected()
    screenshot("settings-rule-422-desktop")
    fill(browser, {"group_id": group["id"]})
    browser.click_through("form.settings-form button[type=submit]")
    assert group["name"] in browser.text("tr[data-rule='0']")
    assert acme.get(RULES).json()["rules"][0]["group_id"] == group["id"]

    browser.find("tr[data-rule='0'] button").click()
    browser.driver.switch_to.alert.accept()   # "Delete this rule?"
    browser.wait_until(lambda: not browser.find_all("tr[data-rule]"))
    assert acme.get(RULES).json()["rules"] == []
