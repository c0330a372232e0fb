"""A small digital twin built through the API for the registration and directory pages: an
account of its own (its coverage policy quotes a call-out), a client with contacts, two sites,
equipment on each, a paid contract covering the first site only (and an expired overdue one), and a second client whose
contact, site and item must never show among the first one's."""
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests

from tests.integration.suite_process import ADMIN_PASSWORD

TODAY = date.today()
TARGETS = {p: {"reaction_minutes": r, "resolution_minutes": r * 8}
           for p, r in (("low", 480), ("normal", 240), ("high", 60), ("critical", 30))}
STAFF_PASSWORD = "Staff-password-2026"


def made(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


@dataclass
class Twin:
    slug: str
    admin: object
    ids: dict = field(default_factory=dict)
    tag: str = ""

    def sign_in(self, browser, email=None, password=ADMIN_PASSWORD):
        browser.sign_in(self.slug, email or f"admin@{self.slug}.example", password)
        browser.wait_for("header.topbar")

    def staff(self, role):
        """A new employee of the role; returns its e-mail (the password is STAFF_PASSWORD)."""
        email = f"{role}-{uuid.uuid4().hex[:6]}@{self.slug}.example"
        self.admin.create_employee(role, email=email, password=STAFF_PASSWORD, name=f"Сотрудник {role}")
        return email


def build_twin(suite):
    tag = uuid.uuid4().hex[:6]
    slug = f"twin-{tag}"
    admin = suite.admin(slug)
    twin = Twin(slug, admin, tag=tag)
    ids = twin.ids
    manager = admin.create_employee("dispatcher", name="Ирина Менеджерова")
    ids["manager"] = manager["id"]
    made(admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд инженера", "unit": "выезд", "price": {"amount": "3500"},
        "category_prices": {"gold": {"amount": "2500"}}}))
    assert admin.patch("/api/v1/coverage-policy", json={"paid_work_code": "CALL"}).status_code == 200
    client = made(admin.post("/api/v1/clients", json={
        "name": f"ТЦ Радуга {tag}", "category": "gold", "inn": "7707083893", "manager_id": manager["id"],
        "sla_targets": {"critical": {"reaction_minutes": 15, "resolution_minutes": 120}}}))
    other = made(admin.post("/api/v1/clients", json={"name": f"Завод Восток {tag}"}))
    ids.update(client=client["id"], other=other["id"])
    ids["contact"] = made(admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Анна Охранова", "position": "Начальник охраны", "phones": ["+7 912 555-01-01"]}))["id"]
    ids["other_contact"] = made(admin.post(f"/api/v1/clients/{other['id']}/contacts", json={
        "name": "Пётр Чужой", "phones": ["+7 912 555-09-09"]}))["id"]
    for key, owner, name in (("site1", client, "Корпус 1"), ("site2", client, "Корпус 2"),
                             ("other_site", other, "Цех 5")):
        ids[key] = made(admin.post(f"/api/v1/clients/{owner['id']}/sites", json={
            "name": name, "address": "Москва, ул. Ленина, 1", "access_notes": "Пропуск на охране"}))["id"]
    kind = made(admin.post("/api/v1/equipment-kinds", json={"name": "Турникет"}))
    for key, site, model in (("covered", "site1", "TTR-10"), ("outside", "site2", "TTD-03"),
                             ("outside2", "site2", "KT-02"), ("other_item", "other_site", "PERCo-X")):
        ids[key] = made(admin.post("/api/v1/equipment", json={
            "site_id": ids[site], "kind_id": kind["id"], "manufacturer": "PERCo", "model": model,
            "serial_number": f"SN-{key}-{tag}", "inventory_number": f"INV-{key}",
            "installed_on": "2024-03-01", "parameters": {"firmware": "2.1"}}))["id"]
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": TARGETS, "personal_manager": True,
        "monthly_price": {"amount": "45000", "currency": "RUB"}}))
    ids["contract"] = made(admin.post("/api/v1/contracts", json={
        "number": f"СО-{tag}", "client_id": client["id"], "service_level_id": level["id"],
        "valid_from": (TODAY - timedelta(days=100)).isoformat(),
        "valid_until": (TODAY + timedelta(days=265)).isoformat(),
        "coverage": {"all": False, "site_ids": [ids["site1"]]}, "manager_id": manager["id"],
        "payment": {"state": "paid", "balance": {"amount": "0"}, "last_payment_on": TODAY.isoformat()}}))["id"]
    ids["old_contract"] = made(admin.post("/api/v1/contracts", json={
        "number": f"СО-{tag}-old", "client_id": client["id"], "service_level_id": level["id"],
        "valid_from": (TODAY - timedelta(days=500)).isoformat(),
        "valid_until": (TODAY - timedelta(days=200)).isoformat(),
        "payment": {"state": "overdue", "balance": {"amount": "12000.00"}}}))["id"]
    return twin


def foreign_ids(globex, tag):
    """Ids of another account's client, site, item, employee and group."""
    client = made(globex.post("/api/v1/clients", json={"name": f"Чужой клиент {tag}"}))
    site = made(globex.post(f"/api/v1/clients/{client['id']}/sites", json={"name": "Чужой объект"}))
    item = made(globex.post("/api/v1/equipment", json={"site_id": site["id"], "manufacturer": "X", "model": "Y"}))
    return {"client": client["id"], "site": site["id"], "item": item["id"],
            "person": globex.create_employee("agent")["id"],
            "group": made(globex.post("/api/v1/groups", json={"name": f"Чужая группа {tag}"}))["id"]}


def signed_in_http(url, slug, email, password):
    """A requests session signed in through the page's own form (for what a browser with
    JavaScript off, or a crafted post, sends), and the CSRF token of its pages."""
    http = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{url}/login", timeout=10).text)[1]
    answer = http.post(f"{url}/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "account": slug, "login": email, "password": password})
    assert answer.status_code == 302, answer.text
    page = http.get(f"{url}/tickets", timeout=10).text
    return http, re.search(r'<meta name="csrf-token" content="([^"]+)"', page)[1]
