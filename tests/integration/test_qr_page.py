"""/q/<code>, the page a QR label opens, over real HTTP: in Russian by default, it says what the
label is on and takes a report from a passer-by where the account allows it (name and phone
required, reasons beside the fields, limited per hour), from a signed-in employee of the account,
and sends anybody else to the portal's sign-in; another account's people and unknown codes get
the 404 page."""
import re
import uuid

import pytest
import requests

from tests.integration.suite_process import ADMIN_PASSWORD, Api

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def label(suite):
    slug = f"qrpage-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    client = admin.post("/api/v1/clients", json={"name": f"ТЦ Радуга {slug}"}).json()
    site = admin.post(f"/api/v1/clients/{client['id']}/sites",
                      json={"name": "Проходная", "address": "Пермь, ул. Ленина, 1"}).json()
    kind = admin.post("/api/v1/equipment-kinds", json={"name": "Турникет"})
    assert kind.status_code == 201, kind.text
    item = admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "kind_id": kind.json()["id"], "manufacturer": "PERCo",
        "model": "TTR-04", "serial_number": f"P{uuid.uuid4().hex[:8]}"}).json()
    return {"slug": slug, "admin": admin, "code": item["public_code"], "item": item}


def page_session(suite, path):
    """A browser-like session that opened `path`: (session, answer, its form's CSRF token)."""
    http = requests.Session()
    answer = http.get(suite.url + path, timeout=15)
    found = TOKEN.search(answer.text)
    return http, answer, found and found[1]


def allow_passers_by(label, allowed):
    answer = label["admin"].patch("/api/v1/account",
                                  json={"settings": {"qr_anonymous_intake": allowed}})
    assert answer.status_code == 200, answer.text


def test_without_anonymous_reports_a_passer_by_is_sent_to_the_portal(suite, label):
    allow_passers_by(label, False)
    _, answer, _ = page_session(suite, f"/q/{label['code']}")
    assert answer.status_code == 401
    assert "Сообщить о неисправности" in answer.text and "Войти" in answer.text
    assert f'/p/{label["slug"]}/login?next=/q/{label["code"]}' in answer.text


def test_a_passer_by_reports_with_a_name_and_a_phone(suite, label):
    allow_passers_by(label, True)
    http, answer, token = page_session(suite, f"/q/{label['code']}")
    assert answer.status_code == 200
    for shown in ("Турникет PERCo TTR-04", label["item"]["serial_number"], "Проходная",
                  "Пермь, ул. Ленина, 1", "Ваше имя", "Ваш телефон"):
        assert shown in answer.text, shown
    refused = http.post(f"{suite.url}/q/{label['code']}", timeout=15, data={
        "csrf_token": token, "title": "Не открывается", "reporter_name": "",
        "reporter_phone": "12"})
    assert refused.status_code == 422
    assert 'data-field="reporter_name"' in refused.text and 'data-field="reporter_phone"' in refused.text
    assert "Tell us who you are" not in refused.text and 'value="Не открывается"' in refused.text
    sent = http.post(f"{suite.url}/q/{label['code']}", timeout=15, data={
        "csrf_token": token, "title": "Не открывается", "description": "Горит красный",
        "reporter_name": "Охранник Пётр", "reporter_phone": "8 (342) 200-10-10"})
    assert sent.status_code == 201, sent.text
    number = re.search(r"Номер вашей заявки: (\d+)", sent.text)[1]
    ticket = label["admin"].get(f"/api/v1/tickets/by-number/{number}").json()
    assert ticket["channel"] == "qr" and ticket["equipment_id"] == label["item"]["id"]
    assert ticket["reporter"] == {"name": "Охранник Пётр", "phone": "+73422001010"}


def test_a_form_without_its_token_is_refused(suite, label):
    allow_passers_by(label, True)
    refused = requests.post(f"{suite.url}/q/{label['code']}", timeout=15, data={
        "title": "x", "reporter_name": "Пётр", "reporter_phone": "+79160000000"})
    assert refused.status_code == 400


def test_reports_beyond_the_hourly_limit_are_refused_politely(suite, label):
    allow_passers_by(label, True)
    http, _, token = page_session(suite, f"/q/{label['code']}")
    statuses = []
    for n in range(12):
        sent = http.post(f"{suite.url}/q/{label['code']}", timeout=15, data={
            "csrf_token": token, "title": f"Повтор {n}", "reporter_name": "Пётр",
            "reporter_phone": "+79160000000"})
        statuses.append(sent.status_code)
        if sent.status_code == 429:
            assert "слишком много заявок" in sent.text
            break
    assert 429 in statuses


def signed_in_employee(suite, slug):
    http, _, token = page_session(suite, "/login")
    signed = http.post(f"{suite.url}/login", timeout=15, allow_redirects=False, data={
        "csrf_token": token, "account": slug, "login": f"admin@{slug}.example",
        "password": ADMIN_PASSWORD})
    assert signed.status_code == 302, signed.text
    return http


def test_a_signed_in_employee_reports_without_naming_themselves(suite, label):
    allow_passers_by(label, False)
    http = signed_in_employee(suite, label["slug"])
    answer = http.get(f"{suite.url}/q/{label['code']}", timeout=15)
    assert answer.status_code == 200 and "Ваше имя" not in answer.text
    token = TOKEN.search(answer.text)[1]
    sent = http.post(f"{suite.url}/q/{label['code']}", timeout=15,
                     data={"csrf_token": token, "title": "Заедает створка"})
    assert sent.status_code == 201, sent.text


def test_another_accounts_employee_and_unknown_codes_get_the_404_page(suite, label, globex):
    http = signed_in_employee(suite, "globex")
    foreign = http.get(f"{suite.url}/q/{label['code']}", timeout=15)
    assert foreign.status_code == 404 and "text/html" in foreign.headers["Content-Type"]
    assert "PERCo" not in foreign.text
    unknown = Api(suite.url).get(f"/q/{uuid.uuid4().hex}")
    assert unknown.status_code == 404 and "text/html" in unknown.headers["Content-Type"]


def test_a_contact_signs_in_on_the_portal_and_comes_back_to_report(suite, label):
    allow_passers_by(label, False)
    client_id = label["item"]["client_id"]
    email = f"guard-{uuid.uuid4().hex[:6]}@client.example"
    contact = label["admin"].post(f"/api/v1/clients/{client_id}/contacts", json={
        "name": "Охранник Пётр", "emails": [email], "portal_access": "own",
        "password": "Contact-password-1"})
    assert contact.status_code == 201, contact.text
    http, answer, _ = page_session(suite, f"/q/{label['code']}")
    login_path = re.search(r'href="(/p/[^"]+/login\?next=[^"]+)"', answer.text)[1]
    form = http.get(suite.url + login_path.replace("&amp;", "&"), timeout=15)
    token = TOKEN.search(form.text)[1]
    signed = http.post(suite.url + login_path.replace("&amp;", "&"), timeout=15,
                       allow_redirects=False, data={"csrf_token": token, "login": email,
                                                    "password": "Contact-password-1"})
    assert signed.status_code in (302, 303), signed.text
    assert signed.headers["Location"].endswith(f"/q/{label['code']}")
    back = http.get(f"{suite.url}/q/{label['code']}", timeout=15)
    assert back.status_code == 200 and "Ваше имя" not in back.text  # reports as the contact
    sent = http.post(f"{suite.url}/q/{label['code']}", timeout=15, data={
        "csrf_token": TOKEN.search(back.text)[1], "title": "Не закрывается калитка"})
    assert sent.status_code == 201, sent.text
    number = re.search(r"Номер вашей заявки: (\d+)", sent.text)[1]
    ticket = label["admin"].get(f"/api/v1/tickets/by-number/{number}").json()
    assert ticket["contact_id"] == contact.json()["id"]
