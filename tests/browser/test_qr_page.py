"""A QR label scanned with a phone, in a real Chromium: the page says what the label is on, in
Russian, names a missing name beside its field, and registers the passer-by's report."""
import uuid

from tests.integration.suite_process import Api


def test_a_scanned_label_opens_the_report_and_makes_a_ticket(browser, suite, screenshot):
    slug = f"qrphone-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    admin.patch("/api/v1/account", json={"settings": {"qr_anonymous_intake": True}})
    client = admin.post("/api/v1/clients", json={"name": "ТЦ Радуга"}).json()
    site = admin.post(f"/api/v1/clients/{client['id']}/sites",
                      json={"name": "Главный вход", "address": "Пермь, ул. Ленина, 1"}).json()
    item = admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "manufacturer": "PERCo", "model": "TTR-04",
        "serial_number": f"P{uuid.uuid4().hex[:8]}"}).json()

    with browser.phone():
        browser.open(f"/q/{item['public_code']}")
        assert "PERCo TTR-04" in browser.text(".qr-item") and "Главный вход" in browser.text(".qr-item")
        browser.find("[name=title]").send_keys("Турникет не открывается")
        browser.find("[name=reporter_phone]").send_keys("+7 342 200-10-10")
        browser.click_through(".qr-report button[type=submit]")
        assert browser.text("[data-field=reporter_name]") == "Представьтесь: без входа в личный кабинет это обязательно."
        assert browser.find("[name=title]").get_attribute("value") == "Турникет не открывается"
        screenshot("qr-report-422-phone")
        browser.find("[name=reporter_name]").send_keys("Охранник Пётр")
        for box in browser.find_all(".qr-report input:not([type=hidden]), .qr-report button, .qr-report textarea"):
            assert box.size["height"] >= 44, box.get_attribute("name")
        browser.click_through(".qr-report button[type=submit]")
        number = browser.text(".done").rsplit(" ", 1)[-1].rstrip(".")
        screenshot("qr-receipt-phone")
    ticket = admin.get(f"/api/v1/tickets/by-number/{number}").json()
    assert ticket["equipment_id"] == item["id"] and ticket["channel"] == "qr"
    assert ticket["reporter"]["name"] == "Охранник Пётр"
    browser.open(f"/q/{item['public_code']}")
    screenshot("qr-report-desktop")
    assert Api(suite.url).get(f"/q/{uuid.uuid4().hex}").status_code == 404
