"""Who may use the settings pages, and whose data they show: a dispatcher or an agent reads what
the API lets them read and gets 403 wherever the API answers 403; another account's service
level, calendar, price item and token are 404 on the pages as on the API; the forms work as
plain POSTs without JavaScript."""
import uuid

import pytest

from tests.browser.settings_forms import (error_status, page_session, post_form, sign_in_admin,
                                          sign_in_staff)
from tests.browser.test_console import STAFF_PASSWORD
from tests.integration.suite_process import ADMIN_PASSWORD, Api

LEVEL = {"name": "Стандарт", "monthly_price": "1000", **{
    f"targets.{p}.{kind}": "60" for p in ("low", "normal", "high", "critical")
    for kind in ("reaction_minutes", "resolution_minutes")}}
CALENDAR = {"name": "Офис", "time_zone": "Europe/Moscow", "production_calendar": "RU",
            "week.monday": "09:00-18:00"}
ITEM = {"code": "X-1", "name": "Работа", "unit": "час", "price": "100"}
RULE = {"target": "reaction", "milestone": "warning", "action": "notify"}


def level_body(name):
    return {"name": name, "monthly_price": {"amount": "1000.00", "currency": "RUB"}, "targets": {
        p: {"reaction_minutes": 60, "resolution_minutes": 120} for p in ("low", "normal", "high", "critical")}}


def calendar_body(name):
    return {"name": name, "time_zone": "Europe/Moscow",
            "week": {"monday": [{"start": "09:00", "end": "18:00"}]}}


def item_body(code):
    return {"code": code, "name": "Чужая работа", "unit": "шт", "price": {"amount": "1.00", "currency": "RUB"}}


@pytest.fixture(scope="module")
def acme_things(acme):
    """One of each in acme, for the writes a dispatcher tries."""
    suffix = uuid.uuid4().hex[:6]
    return {"level": acme.post("/api/v1/service-levels", json=level_body(f"A {suffix}")).json(),
            "calendar": acme.post("/api/v1/calendars", json=calendar_body(f"A {suffix}")).json(),
            "item": acme.post("/api/v1/price-items", json=item_body(f"A-{suffix}")).json()}


def writes(things):
    """(page path, form) of every settings form, and the API request behind it."""
    level, calendar, item = things["level"]["id"], things["calendar"]["id"], things["item"]["id"]
    return [
        ("/settings/service-levels/new", LEVEL, ("post", "/api/v1/service-levels", level_body("Z"))),
        (f"/settings/service-levels/{level}", LEVEL, ("patch", f"/api/v1/service-levels/{level}", level_body("Z"))),
        ("/settings/coverage-policy", {"actions.unpaid": "reject"}, ("patch", "/api/v1/coverage-policy", {"actions": {}})),
        ("/settings/calendars/new", CALENDAR, ("post", "/api/v1/calendars", calendar_body("Z"))),
        (f"/settings/calendars/{calendar}", CALENDAR, ("patch", f"/api/v1/calendars/{calendar}", calendar_body("Z"))),
        ("/settings/price-list/new", ITEM, ("post", "/api/v1/price-items", item_body("Z-1"))),
        (f"/settings/price-list/{item}", ITEM, ("patch", f"/api/v1/price-items/{item}", item_body("Z-1"))),
        ("/settings/sla-rules/new", RULE, ("put", "/api/v1/sla/escalation-rules", {"rules": []})),
    ]


READS = ("/settings/service-levels", "/settings/coverage-policy", "/settings/calendars",
         "/settings/sla-rules", "/settings/price-list", "/settings/api-tokens", "/settings")


@pytest.mark.parametrize("role", ["dispatcher", "agent"])
def test_a_non_admin_reads_the_settings_and_gets_403_on_every_change(browser, acme, suite, role,
                                                                     acme_things, screenshot):
    login, api = sign_in_staff(browser, acme, role)
    assert "Настройки" not in browser.text("nav.menu")
    # htmx in the browser: the refusal replaces the page with the 403 page.
    browser.open("/settings/service-levels/new")
    browser.find("form.settings-form button[type=submit]").click()
    browser.wait_for("section.error")
    assert browser.find("section.error").get_attribute("data-status") == "403"
    screenshot(f"settings-403-{role}")

    http = page_session(suite.url, "acme", login, STAFF_PASSWORD)
    for path in READS:   # reading is every employee's, as on the API
        assert http.get(f"{suite.url}{path}", timeout=10).status_code == 200, path
    for path, form, (method, api_path, body) in writes(acme_things):
        assert api.request(method, api_path, json=body).status_code == 403, api_path
        answer = post_form(http, suite.url, path, form)
        assert (answer.status_code, error_status(answer.text)) == (403, 403), path
    rule = {**RULE, "working_hours_only": False, "group_id": None, "recipients": []}
    assert acme.put("/api/v1/sla/escalation-rules", json={"rules": [rule]}).status_code == 200
    for path, form in (("/settings/sla-rules/0", RULE), ("/settings/sla-rules/0/delete", {})):
        answer = post_form(http, suite.url, path, form)
        assert (answer.status_code, error_status(answer.text)) == (403, 403), path
    assert acme.get("/api/v1/sla/escalation-rules").json()["rules"] == [rule]
    admins_token = acme.get("/api/v1/tokens", params={"limit": 100}).json()["items"][0]["id"]
    assert api.delete(f"/api/v1/tokens/{admins_token}").status_code == 404  # not theirs: unknown
    answer = post_form(http, suite.url, f"/settings/api-tokens/{admins_token}/revoke", {})
    assert (answer.status_code, error_status(answer.text)) == (404, 404)


def test_another_accounts_level_calendar_item_and_token_are_404(browser, acme, globex, suite,
                                                                screenshot):
    suffix = uuid.uuid4().hex[:6]
    level = globex.post("/api/v1/service-levels", json=level_body(f"Чужой {suffix}")).json()
    calendar = globex.post("/api/v1/calendars", json=calendar_body(f"Чужой {suffix}")).json()
    item = globex.post("/api/v1/price-items", json=item_body(f"G-{suffix}")).json()
    token = globex.post("/api/v1/tokens", json={"name": f"Чужой {suffix}"}).json()
    pages = {f"/settings/service-levels/{level['id']}": (LEVEL, f"/api/v1/service-levels/{level['id']}"),
             f"/settings/calendars/{calendar['id']}": (CALENDAR, f"/api/v1/calendars/{calendar['id']}"),
             f"/settings/price-list/{item['id']}": (ITEM, f"/api/v1/price-items/{item['id']}")}
    sign_in_admin(browser)
    for path in pages:
        browser.open(path)
        assert browser.find("section.error").get_attribute("data-status") == "404", path
        assert "Чужой" not in browser.text()
    screenshot("settings-404")
    for listing in ("/settings/service-levels", "/settings/calendars", "/settings/price-list",
                    "/settings/api-tokens"):
        browser.open(listing)
        assert suffix not in browser.text(), listing

    http = page_session(suite.url, "acme", "admin@acme.example", ADMIN_PASSWORD)
    for path, (form, api_path) in pages.items():
        assert acme.put(api_path, json={}).status_code in (404, 422)
        answer = post_form(http, suite.url, path, form)
        assert (answer.status_code, error_status(answer.text)) == (404, 404), path
    assert acme.delete(f"/api/v1/tokens/{token['id']}").status_code == 404
    answer = post_form(http, suite.url, f"/settings/api-tokens/{token['id']}/revoke", {})
    assert (answer.status_code, error_status(answer.text)) == (404, 404)
    assert globex.get("/api/v1/account").status_code == 200  # globex's token still works
    assert http.get(f"{suite.url}/settings/sla-rules/999", timeout=10).status_code == 404


def test_a_clients_contact_is_refused_the_settings_rpcs(acme, suite):
    """Contacts never sign in to the console; their API tokens are refused what the pages call."""
    client = acme.post("/api/v1/clients", json={"name": f"Клиент {uuid.uuid4().hex[:6]}"}).json()
    email = f"contact-{uuid.uuid4().hex[:6]}@client.example"
    assert acme.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Анна Завхоз", "emails": [email], "portal_access": "own",
        "password": STAFF_PASSWORD}).status_code == 201
    contact = Api(suite.url, Api(suite.url).post("/api/v1/auth/login", json={
        "account": "acme", "login": email, "password": STAFF_PASSWORD}).json()["token"])
    for path in ("/api/v1/service-levels", "/api/v1/coverage-policy", "/api/v1/calendars",
                 "/api/v1/production-calendar?year=2026", "/api/v1/sla/escalation-rules",
                 "/api/v1/price-items"):
        assert contact.get(path).status_code == 403, path


def test_the_forms_work_as_plain_posts_without_javascript(acme, suite):
    http = page_session(suite.url, "acme", "admin@acme.example", ADMIN_PASSWORD)
    name = f"Без JS {uuid.uuid4().hex[:6]}"
    refused = post_form(http, suite.url, "/settings/service-levels/new", dict(LEVEL, name=name, monthly_price=""))
    assert refused.status_code == 422
    assert 'data-field="monthly_price">Сумма: число, например 1500,00.' in refused.text
    assert f'value="{name}"' in refused.text   # what was typed stays
    created = post_form(http, suite.url, "/settings/service-levels/new", dict(LEVEL, name=name))
    assert created.status_code == 302 and created.headers["Location"].endswith("/settings/service-levels")
    assert name in http.get(f"{suite.url}/settings/service-levels", timeout=10).text

    issued = post_form(http, suite.url, "/settings/api-tokens", {"name": "Без JS", "expires_in_days": "7"})
    assert issued.status_code == 201 and 'id="issued-token"' in issued.text
    without_token = http.post(f"{suite.url}/settings/api-tokens", data={"name": "x"}, timeout=10)
    assert without_token.status_code == 400   # CSRF
