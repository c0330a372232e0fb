"""Business calendars in a real Chromium: create one, edit its working hours, zone and days, see
the change listed and in the API, a refused calendar's reasons in Russian beside their fields."""
from tests.browser.settings_forms import (LATIN, fill, reasons, send_refused, sign_in_admin, tag,
                                          text)


def test_a_calendar_is_created_then_its_hours_zone_and_days_edited(browser, acme, screenshot):
    name = f"Владивосток {tag()}"
    sign_in_admin(browser)
    browser.open("/settings/calendars")
    browser.click_through("a[href='/settings/calendars/new']")
    fill(browser, {"name": name, "time_zone": "Asia/Vladivostok",
                   "week.saturday": "10:00-14:00", "days_off": "2026-12-31"})
    browser.click_through("form.settings-form button[type=submit]")
    calendar = [c for c in acme.get("/api/v1/calendars", params={"limit": 100}).json()["items"] if c["name"] == name][0]
    row = browser.text(f"tr[data-calendar='{calendar['id']}']")
    assert "Asia/Vladivostok" in row and "Суббота: 10:00-14:00" in row and "Понедельник: 09:00-18:00" in row
    assert calendar["revision"] == 1 and calendar["days_off"] == ["2026-12-31"]
    screenshot("settings-calendars-desktop")

    browser.click_through(f"tr[data-calendar='{calendar['id']}'] a")
    assert browser.find("input[name='week.monday']").get_attribute("value") == "09:00-18:00"
    fill(browser, {"time_zone": "Europe/Moscow", "week.monday": "09:00-13:00, 14:00-18:00",
                   "week.saturday": "", "working_days": "2026-12-26 10:00-15:00",
                   "shortened_days": "2026-12-30 120", "shorten_pre_holiday": False})
    screenshot("settings-calendar-form-desktop")
    with browser.phone():
        screenshot("settings-calendar-form-phone")
    browser.click_through("form.settings-form button[type=submit]")
    row = text(browser.text(f"tr[data-calendar='{calendar['id']}']"))
    assert "Europe/Moscow" in row and "Понедельник: 09:00-13:00, 14:00-18:00" in row
    assert "Суббота" not in row and "редакция 2" in row
    saved = acme.get(f"/api/v1/calendars/{calendar['id']}").json()
    assert saved["week"]["monday"] == [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]
    assert "saturday" not in saved["week"] or not saved["week"]["saturday"]
    assert saved["working_days"] == [{"date": "2026-12-26", "intervals": [{"start": "10:00", "end": "15:00"}]}]
    assert saved["shortened_days"] == [{"date": "2026-12-30", "minutes": 120}]
    assert saved["shorten_pre_holiday"] is False and saved["revision"] == 2
    with browser.phone():
        screenshot("settings-calendars-phone")


def test_a_refused_calendar_names_each_field_in_russian(browser, acme, screenshot):
    sign_in_admin(browser)
    browser.open("/settings/calendars/new")
    fill(browser, {"name": f"Ошибки {tag()}", "time_zone": "Europe/Mars", "week.tuesday": "18:00-09:00",
                   "days_off": "2026-12-31\n31.12.2026", "shortened_days": "2026-12-31 60"})
    send_refused(browser)
    shown = reasons(browser)
    assert set(shown) == {"time_zone", "week.tuesday", "days_off"}, shown
    assert shown["time_zone"] == "Это не название часового пояса IANA (например, Europe/Moscow)."
    assert "разделите на два дня" in shown["week.tuesday"]
    assert not LATIN.search(" ".join(shown.values()).replace("Europe/Moscow", "").replace("IANA", "")), shown
    assert browser.find("input[name=time_zone]").get_attribute("value") == "Europe/Mars"
    assert browser.find("textarea[name=days_off]").get_attribute("value") == "2026-12-31\n31.12.2026"
    screenshot("settings-calendar-422-desktop")

    fill(browser, {"time_zone": "Europe/Moscow", "week.tuesday": "09:00-18:00", "days_off": "2026-12-31"})
    send_refused(browser)
    assert reasons(browser) == {"shortened_days": "2026-12-31 уже указаны как выходные."}

    fill(browser, {"shortened_days": "", "week.always": True})
    send_refused(browser)
    assert reasons(browser) == {"week.always": "При круглосуточной работе интервалы не указываются."}


def test_the_russian_production_calendar_of_a_year_is_shown_as_the_api_gives_it(
        browser, acme, screenshot):
    api = acme.get("/api/v1/production-calendar", params={"year": 2025}).json()
    assert {"date": "2025-11-01", "works_as": "2025-11-03"} in api["moved_working_days"]
    assert acme.get("/api/v1/production-calendar", params={"year": 1812}).status_code == 422
    sign_in_admin(browser)
    browser.open("/settings/calendars")
    browser.click_through("a[href='/settings/calendars/production']")
    fill(browser, {"year": "2025"}, form="form.year-pick")
    browser.find("form.year-pick button").click()   # htmx: the year's days replace the others
    browser.wait_for(".production-year[data-year='2025']")
    assert "year=2025" in browser.driver.current_url
    dates = [row.get_attribute("data-date") for row in browser.find_all("table.days-off tr")]
    assert dates == [day["date"] for day in api["days_off"]]
    assert browser.text("table.days-off tr[data-date='2025-01-07']") == "7 января, вторник Рождество Христово"
    assert "понедельник, 3 ноября" in browser.text("table.moved-days tr[data-date='2025-11-01']")
    assert browser.text("table.shortened-days tr[data-date='2025-03-07']") == "7 марта, пятница короче на 60 мин"
    screenshot("settings-production-desktop")
    with browser.phone():
        screenshot("settings-production-phone")

    browser.open("/settings/calendars/production?year=1812")
    assert browser.find(".reason[data-field=year]").text == "Должно быть от 1991 до 2100."
