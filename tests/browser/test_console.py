"""The console's foundation in a real Chromium: sign-in, sign-out, CSRF, the queue and its
filters, 404 for another account's ticket, 403 where the API says 403, /docs offline."""
import re
import uuid

import requests

from gateway.web.queue.views import PAGE_ROWS
from tests.integration.suite_process import ADMIN_PASSWORD, Api

STAFF_PASSWORD = "Staff-password-2026"


def sign_in_as_new(browser, admin, slug, role):
    email = f"{role}-{uuid.uuid4().hex[:6]}@{slug}.example"
    admin.create_employee(role, email=email, password=STAFF_PASSWORD, name=f"Сотрудник {role}")
    browser.sign_in(slug, email, STAFF_PASSWORD)
    browser.wait_for("header.topbar")
    return email


def test_a_wrong_password_is_refused_in_russian_and_the_right_one_opens_the_queue(
        browser, acme, screenshot):
    browser.sign_in("acme", "admin@acme.example", "not-the-password")
    alert = browser.wait_for(".alert")
    assert alert.text == "Неверная организация, логин или пароль."
    assert browser.find("input[name=account]").get_attribute("value") == "acme"
    assert browser.find("input[name=password]").get_attribute("value") == ""
    screenshot("login-refused")

    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    assert browser.driver.current_url.endswith("/tickets")
    assert browser.text("h1") == "Очередь"
    assert "Администратор" in browser.text("header.topbar")
    cookie = browser.session_cookie()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # plain http


def test_empty_fields_are_named_beside_each_field_in_russian(browser, acme):
    browser.sign_in("", "", "")
    browser.wait_for(".reason")
    reasons = {p.get_attribute("data-field"): p.text for p in browser.find_all(".reason")}
    assert set(reasons) == {"account", "login", "password"}
    assert all(reason for reason in reasons.values())
    assert not re.search("[A-Za-z]", " ".join(reasons.values())), reasons


def test_sign_out_revokes_the_session_on_the_server(browser, acme, suite):
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    cookie = browser.session_cookie()["value"]
    browser.click_through("form[action='/logout'] button")
    assert browser.driver.current_url.endswith("/login")
    # The old cookie, replayed, no longer opens anything: its credential was revoked.
    replayed = requests.get(f"{suite.url}/tickets", cookies={"servicedesk_session": cookie},
                            allow_redirects=False, timeout=10)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_pages_send_you_to_sign_in_and_back(browser, acme):
    browser.open("/tickets?priority=high")
    browser.wait_for("form[action^='/login']")
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    assert browser.driver.current_url.endswith("/tickets?priority=high")


def test_a_form_without_its_csrf_token_is_refused(suite, acme):
    http = requests.Session()
    assert http.get(f"{suite.url}/login", timeout=10).status_code == 200
    refused = http.post(f"{suite.url}/login", timeout=10, data={
        "account": "acme", "login": "admin@acme.example", "password": ADMIN_PASSWORD})
    assert refused.status_code == 400
    assert "Форма устарела" in refused.text
    assert http.get(f"{suite.url}/tickets", timeout=10, allow_redirects=False).status_code == 302

    # With the token the same form signs in; then sign-out without one is refused.
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{suite.url}/login").text)[1]
    signed = http.post(f"{suite.url}/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "account": "acme", "login": "admin@acme.example",
        "password": ADMIN_PASSWORD})
    assert signed.status_code == 302, signed.text
    assert http.post(f"{suite.url}/logout", timeout=10).status_code == 400
    assert http.get(f"{suite.url}/tickets", timeout=10, allow_redirects=False).status_code == 200


def test_the_queue_lists_the_accounts_tickets_and_filters_them(browser, acme, globex, screenshot):
    tag = uuid.uuid4().hex[:6]
    urgent = acme.create_ticket(title=f"Горит щит {tag}", priority="critical")
    calm = acme.create_ticket(title=f"Заменить лампу {tag}", priority="low")
    foreign = globex.create_ticket(title=f"Чужая заявка {tag}")
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("table.tickets")
    listed = browser.text("table.tickets")
    assert urgent["title"] in listed and calm["title"] in listed
    assert foreign["title"] not in listed
    assert "Критический" in listed
    screenshot("queue-desktop")

    # htmx: changing the priority filter replaces the results and the address.
    browser.find("details[data-filter=priority] summary").click()
    browser.find("input[name=priority][value=critical]").click()
    browser.wait_until(lambda: calm["title"] not in browser.text("#queue-results"))
    assert urgent["title"] in browser.text("#queue-results")
    assert "priority=critical" in browser.driver.current_url

    # Typing in the text box narrows the list after a pause.
    browser.open("/tickets")
    browser.find("input[name=q]").send_keys(f"лампу {tag}")
    browser.wait_until(lambda: urgent["title"] not in browser.text("#queue-results"))
    assert calm["title"] in browser.text("#queue-results")

    # The same filters work as plain links (JavaScript off).
    browser.open(f"/tickets?q={tag}&priority=low")
    assert [row.get_attribute("data-ticket") for row in browser.find_all("tr[data-ticket]")] == [calm["id"]]
    with browser.phone():
        browser.open("/tickets")
        browser.wait_for("table.tickets")
        screenshot("queue-phone")


def test_another_accounts_ticket_is_404_on_the_page(browser, acme, globex, screenshot):
    foreign = globex.create_ticket(title="Заявка другой организации")
    own = acme.create_ticket(title="Своя заявка")
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets/{own['id']}")
    assert browser.text("h1") == f"№{own['number']} Своя заявка"
    browser.open(f"/tickets/{foreign['id']}")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    assert "Заявка другой организации" not in browser.text()
    screenshot("ticket-404")
    assert acme.get(f"/api/v1/tickets/{foreign['id']}").status_code == 404


def test_a_role_without_the_permission_gets_403_where_the_api_does(browser, acme, suite,
                                                                    screenshot):
    email = sign_in_as_new(browser, acme, "acme", "agent")
    assert "Журнал аудита" not in browser.text("nav.menu")  # not offered...
    browser.open("/audit")
    assert browser.find("section.error").get_attribute("data-status") == "403"  # ...nor allowed
    screenshot("audit-403")
    token = Api(suite.url).post("/api/v1/auth/login", json={
        "account": "acme", "login": email, "password": STAFF_PASSWORD}).json()["token"]
    assert Api(suite.url, token).get("/api/v1/audit").status_code == 403

    browser.driver.delete_all_cookies()
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.click_through("nav.menu a[href='/audit']")
    assert "login.succeeded" in browser.text("table.audit")


def test_the_language_is_a_choice_kept_per_browser(browser, acme):
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.click_through("button[name=locale][value=en]")
    assert browser.text("h1") == "Queue"
    browser.open("/tickets")
    assert browser.text("h1") == "Queue"
    browser.click_through("button[name=locale][value=ru]")
    assert browser.text("h1") == "Очередь"


def test_the_password_change_form_names_the_wrong_field(browser, acme, screenshot):
    sign_in_as_new(browser, acme, "acme", "dispatcher")
    browser.open("/account/password")
    browser.find("input[name=current_password]").send_keys("wrong-password-1")
    browser.find("input[name=new_password]").send_keys("short")
    browser.click_through("form[action='/account/password'] button")
    reasons = {p.get_attribute("data-field"): p.text for p in browser.find_all(".reason")}
    assert reasons == {"new_password": "Длина должна быть от 10 до 128 символов."}
    screenshot("password-422")
    browser.find("input[name=current_password]").send_keys("wrong-password-1")
    browser.find("input[name=new_password]").send_keys("A-new-password-2026")
    browser.click_through("form[action='/account/password'] button")
    assert browser.find(".reason[data-field=current_password]").text == "Текущий пароль указан неверно."


def test_a_clients_contact_signing_in_here_goes_to_their_portal_not_the_console(browser, acme):
    client = acme.post("/api/v1/clients", json={"name": f"Клиент {uuid.uuid4().hex[:6]}"}).json()
    email = f"contact-{uuid.uuid4().hex[:6]}@client.example"
    answer = acme.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Анна Завхоз", "emails": [email], "portal_access": "own", "password": STAFF_PASSWORD})
    assert answer.status_code == 201, answer.text
    browser.sign_in("acme", email, STAFF_PASSWORD)
    browser.wait_until(lambda: "/p/acme/" in browser.driver.current_url)
    browser.open("/tickets")
    assert browser.wait_for("section.error").get_attribute("data-status") == "403"
    assert "для сотрудников" in browser.text("section.error h1")
    browser.click_through("section.error a.button")
    assert browser.driver.current_url.endswith("/p/acme/")


def test_the_api_docs_load_nothing_from_another_host(browser, suite):
    html = requests.get(f"{suite.url}/docs", timeout=10).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    browser.open("/docs")
    browser.wait_until(lambda: "Service desk API" in browser.text())


def test_the_queue_pages_on_with_a_cursor(browser, acme):
    tag = uuid.uuid4().hex[:6]
    titles = {acme.create_ticket(title=f"Пачка {tag} {n}")["title"] for n in range(PAGE_ROWS + 2)}
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets?q={tag}")
    first = {row.text for row in browser.find_all("tr[data-ticket] td.title")}
    assert len(first) == PAGE_ROWS
    browser.click_through(".pager a")
    rest = {row.text for row in browser.find_all("tr[data-ticket] td.title")}
    assert first | rest == titles and not first & rest
    assert not browser.find_all(".pager a")


def test_repeated_wrong_passwords_lock_the_login_as_on_the_api(browser, acme, suite, screenshot):
    email = f"locked-{uuid.uuid4().hex[:6]}@acme.example"
    acme.create_employee("agent", email=email, password=STAFF_PASSWORD)
    for _ in range(5):
        browser.sign_in("acme", email, "wrong-password-1")
    browser.sign_in("acme", email, STAFF_PASSWORD)  # the right one, too late
    assert "заблокирован" in browser.text(".alert")
    with browser.phone():
        screenshot("login-locked-phone")
    answer = Api(suite.url).post("/api/v1/auth/login", json={
        "account": "acme", "login": email, "password": STAFF_PASSWORD})
    assert answer.status_code == 429
