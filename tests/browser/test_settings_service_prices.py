"""The price list in a real Chromium: add an item with prices per client category and see them
formatted (2 500,00 ₽), edit it, a taken code and a bad price named in Russian."""
from tests.browser.settings_forms import (LATIN, fill, reasons, send_refused, sign_in_admin, tag,
                                          text)


def test_a_price_item_is_added_with_its_price_formatted_then_edited(browser, acme, screenshot):
    code = f"CALL-{tag()}"
    sign_in_admin(browser)
    browser.open("/settings/price-list")
    browser.click_through("a[href='/settings/price-list/new']")
    fill(browser, {"code": code, "name": "Выезд инженера", "unit": "выезд", "price": "2 500",
                   "category_prices": "VIP: 2 000,00\nГосзаказчик: 3100.5"})
    browser.click_through("form.settings-form button[type=submit]")
    item = [i for i in acme.get("/api/v1/price-items", params={"limit": 100}).json()["items"] if i["code"] == code][0]
    assert item["price"] == {"amount": "2500.00", "currency": "RUB"}
    assert item["category_prices"]["Госзаказчик"] == {"amount": "3100.50", "currency": "RUB"}
    row = f"tr[data-item='{item['id']}']"
    assert text(browser.text(f"{row} td.price")) == "2 500,00 ₽"
    categories = text(browser.text(f"{row} td.categories"))
    assert "VIP: 2 000,00 ₽" in categories and "Госзаказчик: 3 100,50 ₽" in categories
    assert "VIP" in browser.text(".category-list")
    screenshot("settings-prices-desktop")
    with browser.phone():
        screenshot("settings-prices-phone")

    browser.click_through(f"{row} a")
    assert browser.find("input[name=price]").get_attribute("value") == "2500.00"
    fill(browser, {"price": "2 750,00", "active": False})
    browser.click_through("form.settings-form button[type=submit]")
    assert text(browser.text(f"{row} td.price")) == "2 750,00 ₽"
    assert "Не действует" in browser.text(row)


def test_a_taken_code_and_a_bad_price_are_named_in_russian(browser, acme, screenshot):
    code = f"TAKEN-{tag()}"
    assert acme.post("/api/v1/price-items", json={
        "code": code, "name": "Занятый код", "unit": "шт",
        "price": {"amount": "100.00", "currency": "RUB"}}).status_code == 201
    sign_in_admin(browser)
    browser.open("/settings/price-list/new")
    fill(browser, {"code": code, "name": "Другая работа", "unit": "час", "price": "сто рублей",
                   "category_prices": "VIP:"})
    send_refused(browser)
    shown = reasons(browser)
    assert set(shown) == {"price", "category_prices"}, shown
    assert shown["price"] == "Сумма: число, например 1500,00."
    assert not LATIN.search(" ".join(shown.values())), shown
    assert browser.find("input[name=price]").get_attribute("value") == "сто рублей"
    fill(browser, {"price": "1 000", "category_prices": ""})
    send_refused(browser)
    assert reasons(browser) == {"code": "Уже занято: выберите другое."}
    assert browser.find("input[name=name]").get_attribute("value") == "Другая работа"
    screenshot("settings-price-422-desktop")
