"""The ticket page in a real Chromium: a ticket made through the API, opened, answered in public
and internally, moved through statuses (and refused with a message when another session moved it
first), answered with an article, given a work from the price list, re-assigned (the history
names people), shown with its verdict and SLA clocks; another account's ticket is a 404 and a
role the API refuses sees the API's 403 as a message."""
import re
import uuid
from datetime import date, timedelta

import pytest
import requests

from tests.integration.suite_process import ADMIN_PASSWORD

STAFF_PASSWORD = "Staff-password-2026"
TODAY = date.today()
TARGETS = {p: {"reaction_minutes": r, "resolution_minutes": r * 8}
           for p, r in (("low", 480), ("normal", 240), ("high", 60), ("critical", 30))}


def made(answer):
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def plain(text):
    """Money and dates use no-break spaces; compare words."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


@pytest.fixture
def desk(suite):
    """A fresh account: a price list, a client with a paid contract and one without, a
    dispatcher, and a ticket of the covered client made through the API."""
    slug = f"tp-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    made(admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд инженера", "unit": "выезд", "price": {"amount": "2500"}}))
    covered = made(admin.post("/api/v1/clients", json={"name": "ТЦ Радуга"}))
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": TARGETS, "monthly_price": {"amount": "45000"}}))
    made(admin.post("/api/v1/contracts", json={
        "number": "СО-2026/17", "client_id": covered["id"], "service_level_id": level["id"],
        "valid_from": (TODAY - timedelta(days=100)).isoformat(),
        "valid_until": (TODAY + timedelta(days=265)).isoformat(), "coverage": {"all": True},
        "payment": {"state": "paid", "balance": {"amount": "0"}, "last_payment_on": TODAY.isoformat()}}))
    dispatcher = admin.create_employee("dispatcher", name="Ольга Диспетчер",
                                       email=f"olga@{slug}.example", password=STAFF_PASSWORD)
    site = made(admin.post(f"/api/v1/clients/{covered['id']}/sites", json={
        "name": "Корпус 1", "address": "Москва, ул. Ленина, 1"}))
    item = made(admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "manufacturer": "PERCo", "model": "TTR-10", "serial_number": "SN-17"}))
    ticket = admin.create_ticket(title="Не открывается турникет", equipment_id=item["id"])
    return {"slug": slug, "admin": admin, "client": covered, "dispatcher": dispatcher,
            "ticket": ticket}


def open_ticket(browser, desk, login=None, password=ADMIN_PASSWORD):
    browser.sign_in(desk["slug"], login or f"admin@{desk['slug']}.example", password)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets/{desk['ticket']['id']}")
    browser.wait_for(".ticket-header")


def events(browser, kind):
    return browser.find_all(f"#ticket .event[data-kind={kind}]")


def test_the_header_shows_names_the_verdict_and_the_sla_clocks(browser, desk, screenshot):
    open_ticket(browser, desk)
    ticket = desk["ticket"]
    assert browser.text("h1") == f"№{ticket['number']} Не открывается турникет"
    assert browser.text("[data-fact=client]") == "ТЦ Радуга"  # names, not ids
    assert browser.text("[data-fact=site]") == "Корпус 1"
    assert browser.text("[data-fact=equipment]") == "PERCo TTR-10 (SN-17)"
    assert browser.find(".coverage").get_attribute("data-verdict") == "covered"
    assert "Обслуживается по договору" in browser.text(".coverage")
    clocks = {c.get_attribute("data-target"): c for c in browser.find_all(".sla .clock")}
    assert set(clocks) == {"reaction", "resolution"}
    assert "осталось" in clocks["reaction"].text
    transitions = [b.get_attribute("value") for b in browser.find_all("button[name=status]")]
    assert transitions == ticket["allowed_transitions"]
    screenshot("ticket-desktop")
    with browser.phone():
        screenshot("ticket-phone")
        browser.driver.execute_script("document.querySelector('.timeline').scrollIntoView()")
        screenshot("ticket-phone-timeline")


def test_an_uncovered_client_shows_the_paid_work_with_its_price(browser, desk):
    admin = desk["admin"]
    made(admin.patch("/api/v1/coverage-policy", json={"paid_work_code": "CALL"}))
    stranger = made(admin.post("/api/v1/clients", json={"name": "Без договора"}))
    desk["ticket"] = admin.create_ticket(title="Разовый вызов", client_id=stranger["id"])
    open_ticket(browser, desk)
    banner = browser.find(".coverage")
    assert banner.get_attribute("data-verdict") == "no_contract"
    assert "Платные работы: 2 500,00 ₽" in plain(banner.text)


def test_a_public_reply_and_an_internal_note(browser, desk, screenshot):
    open_ticket(browser, desk)
    browser.find("#reply textarea[name=body]").send_keys("Инженер выедет сегодня")
    browser.find("#reply button[type=submit]").click()
    browser.wait_until(lambda: len(events(browser, "comment")) == 1)
    browser.find("#reply textarea[name=body]").send_keys("Клиент должен за прошлый выезд")
    browser.find("#reply input[value=internal]").click()
    browser.find("#reply button[type=submit]").click()
    browser.wait_until(lambda: len(events(browser, "comment")) == 2)
    public, internal = events(browser, "comment")
    assert public.get_attribute("data-visibility") == "public"
    assert "Инженер выедет сегодня" in public.text and "Внутренний" not in public.text
    assert internal.get_attribute("data-visibility") == "internal"
    assert "Внутренний" in internal.find_element("css selector", ".internal-mark").text
    assert "Администратор" in internal.text
    screenshot("ticket-comments")
    stored = desk["admin"].get(f"/api/v1/tickets/{desk['ticket']['id']}").json()["comments"]
    assert [(c["body"], c["visibility"]) for c in stored] == [
        ("Инженер выедет сегодня", "public"), ("Клиент должен за прошлый выезд", "internal")]


def test_an_empty_reply_is_refused_with_the_field_named_in_russian(browser, desk):
    open_ticket(browser, desk)
    browser.find("#reply button[type=submit]").click()
    reason = browser.wait_for("#ticket .alert p[data-field=body]")
    assert reason.text.startswith("Ответ:")
    assert not re.search("[A-Za-z]", reason.text), reason.text


def test_the_searches_name_what_is_wrong_in_russian(browser, desk):
    open_ticket(browser, desk)
    number = browser.find("#link-call-tool input[name=call_number]")
    number.send_keys("не номер")
    browser.find("#link-call-tool button[type=submit]").click()
    reason = browser.wait_for("#call-hits .alert p[data-field=number]")
    assert reason.text.startswith("Номер телефона:") and not re.search("[A-Za-z]", reason.text)
    browser.find("#answer input[name=article_q]").send_keys("ы" * 501)
    reason = browser.wait_for("#article-hits .alert p[data-field=q]")
    assert reason.text.startswith("Поиск в базе знаний:") and not re.search("[A-Za-z]", reason.text)


def test_a_status_move_and_a_409_when_another_session_moved_it_first(browser, desk, screenshot):
    open_ticket(browser, desk)
    browser.find("button[data-transition=in_progress]").click()
    browser.wait_until(lambda: browser.find("[data-status]").get_attribute("data-status") == "in_progress")
    # Another session closes the ticket; this page still offers "waiting", now invalid.
    made(desk["admin"].post(f"/api/v1/tickets/{desk['ticket']['id']}/status", json={"status": "closed"}))
    browser.find("button[data-transition=waiting]").click()
    message = browser.wait_for("#ticket [data-message]")
    assert "больше невозможен" in message.text
    assert browser.find("[data-status]").get_attribute("data-status") == "closed"
    assert [b.get_attribute("value") for b in browser.find_all("button[name=status]")] == ["reopened"]
    screenshot("ticket-409")
    history = desk["admin"].get(f"/api/v1/tickets/{desk['ticket']['id']}").json()["history"]
    assert [h["new"] for h in history if h["field"] == "status"] == ["opened", "in_progress", "closed"]


def test_waiting_for_the_client_pauses_the_sla_clocks(browser, desk):
    open_ticket(browser, desk)
    browser.find("button[data-transition=waiting]").click()
    browser.wait_until(lambda: browser.find("[data-status]").get_attribute("data-status") == "waiting")
    resolution = browser.find(".sla .clock[data-target=resolution]")
    assert resolution.get_attribute("data-state") == "paused"
    assert "на паузе" in resolution.text and "осталось" in resolution.text


def test_answering_with_an_article_posts_it_as_a_public_answer(browser, desk):
    word = "метка" + uuid.uuid4().hex[:8]
    article = made(desk["admin"].post("/api/v1/kb/articles", json={
        "title": f"Турникет не открывается {word}", "body": "Проверьте **считыватель** карт.",
        "state": "published", "visibility": "all_clients"}))
    open_ticket(browser, desk)
    browser.find("#answer input[name=article_q]").send_keys(word)
    browser.wait_for(f"button[data-article='{article['id']}']").click()
    browser.wait_until(lambda: len(events(browser, "answer")) == 1)
    answer = events(browser, "answer")[0]
    assert "Ответ из базы знаний" in answer.text and f"/kb/articles/{article['id']}" in answer.text
    assert answer.get_attribute("data-visibility") == "public"


def test_a_work_from_the_price_list_shows_its_price(browser, desk, screenshot):
    open_ticket(browser, desk)
    quantity = browser.find("#works input[name=quantity]")
    quantity.clear()
    quantity.send_keys("0")
    browser.find("#works button[type=submit]").click()
    reason = browser.wait_for("#ticket .alert p[data-field=quantity]")
    assert reason.text.startswith("Количество:") and not re.search("[A-Za-z]", reason.text)
    quantity = browser.find("#works input[name=quantity]")
    quantity.clear()
    quantity.send_keys("1")
    browser.find("#works button[type=submit]").click()
    browser.wait_until(lambda: len(events(browser, "work")) == 1)
    line = plain(events(browser, "work")[0].text)
    assert "Выезд инженера" in line and "= 2 500,00 ₽" in line
    assert "Работы: 2 500,00 ₽" in plain(browser.text(".coverage"))
    screenshot("ticket-work")


def test_the_history_names_people_not_ids(browser, desk):
    open_ticket(browser, desk)
    dispatcher = desk["dispatcher"]
    browser.find(f"#fields select[name=assignee_id] option[value='{dispatcher['id']}']").click()
    browser.find("#fields select[name=priority] option[value=high]").click()
    browser.find("#fields button[type=submit]").click()
    browser.wait_until(lambda: len(events(browser, "history")) >= 3)
    history = plain(" ".join(e.text for e in events(browser, "history")))
    assert "Исполнитель: — → Ольга Диспетчер" in history
    assert "Приоритет: Обычный → Высокий" in history
    assert "Администратор" in history and dispatcher["id"] not in history


def test_the_page_works_without_javascript(suite, desk):
    """Plain POSTs: a redirect back to the page on success, the page with the reason on 422."""
    http = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{suite.url}/login").text)[1]
    signed = http.post(f"{suite.url}/login", allow_redirects=False, timeout=10, data={
        "csrf_token": token, "account": desk["slug"], "login": f"admin@{desk['slug']}.example",
        "password": ADMIN_PASSWORD})
    assert signed.status_code == 302
    path = f"/tickets/{desk['ticket']['id']}"
    page = http.get(suite.url + path, timeout=10)
    assert page.status_code == 200 and "hx-post" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    sent = http.post(f"{suite.url}{path}/comments", allow_redirects=False, timeout=10,
                     data={"csrf_token": token, "body": "Без скриптов", "visibility": "public"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"{path}#reply")
    assert "Без скриптов" in http.get(suite.url + path, timeout=10).text
    refused = http.post(f"{suite.url}{path}/works", timeout=10,
                        data={"csrf_token": token, "code": "CALL", "quantity": "много"})
    assert refused.status_code == 422 and "Количество:" in refused.text
    assert http.post(f"{suite.url}{path}/comments", timeout=10,
                     data={"body": "без токена"}).status_code == 400
    searched = http.get(f"{suite.url}{path}/articles", params={"article_q": "несуществующее"},
                        timeout=10)
    assert [r.status_code for r in searched.history] == [302] and "article_q=" in searched.url
    assert "Статьи не найдены." in searched.text


def test_another_accounts_ticket_is_404_to_read_and_to_change(browser, desk, globex, suite):
    foreign = globex.create_ticket(title="Заявка другой организации")
    open_ticket(browser, desk)
    browser.open(f"/tickets/{foreign['id']}")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    assert "Заявка другой организации" not in browser.text()
    cookies = {"servicedesk_session": browser.session_cookie()["value"]}
    page = requests.get(f"{suite.url}/tickets/{desk['ticket']['id']}", cookies=cookies, timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    answer = requests.post(f"{suite.url}/tickets/{foreign['id']}/comments", cookies=cookies,
                           timeout=10, data={"csrf_token": token, "body": "чужое"})
    assert answer.status_code == 404
    assert globex.get(f"/api/v1/tickets/{foreign['id']}").json()["comments"] == []


def test_a_role_the_api_refuses_sees_its_403_as_a_message(browser, desk, suite, screenshot):
    email = f"field-{uuid.uuid4().hex[:6]}@{desk['slug']}.example"
    desk["admin"].create_employee("field_engineer", name="Инженер Петров", email=email,
                                  password=STAFF_PASSWORD)
    open_ticket(browser, desk, email, STAFF_PASSWORD)
    browser.find("#fields select[name=priority] option[value=critical]").click()
    browser.find("#fields button[type=submit]").click()
    message = browser.wait_for("#ticket [data-message]")
    assert "не позволяет" in message.text
    assert desk["admin"].get(f"/api/v1/tickets/{desk['ticket']['id']}").json()["priority"] == "normal"
    screenshot("ticket-403")
    token = made(requests.post(f"{suite.url}/api/v1/auth/login", timeout=10, json={
        "account": desk["slug"], "login": email, "password": STAFF_PASSWORD}))["token"]
    patched = requests.patch(f"{suite.url}/api/v1/tickets/{desk['ticket']['id']}", timeout=10,
                             json={"priority": "critical"}, headers={"Authorization": f"Bearer {token}"})
    assert patched.status_code == 403
