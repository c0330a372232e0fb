"""An account set up for the client portal, through the API (used by the integration and the
browser tests): two clients, each with a contact of "own" and of "company" access; client A's
site 1 covered by a paid contract, site 2 not (a paid visit at the CALL price, 2 500 ₽ for the
gold category); a published article for all clients and an internal one; tickets of each
contact."""
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from tests.integration.suite_process import Api

PASSWORD = "Portal-password-2026"
TODAY = date.today()


def made(answer, status=201):
    assert answer.status_code == status, answer.text
    return answer.json()


@dataclass
class Portal:
    slug: str
    url: str
    admin: Api
    ids: dict = field(default_factory=dict)
    emails: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)  # contact key -> Api signed in

    def login(self, key):
        answer = Api(self.url).post("/api/v1/auth/login", json={
            "account": self.slug, "login": self.emails[key], "password": PASSWORD})
        return Api(self.url, made(answer)["token"])


def build_portal(suite, slug=None):
    slug = slug or f"portal-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    world = Portal(slug, suite.url, admin)
    made(admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд инженера", "unit": "выезд", "price": {"amount": "3500"},
        "category_prices": {"gold": {"amount": "2500"}}}))
    made(admin.patch("/api/v1/coverage-policy", json={"paid_work_code": "CALL"}), 200)
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": {p: {"reaction_minutes": r, "resolution_minutes": r * 8} for p, r in (
            ("low", 480), ("normal", 240), ("high", 60), ("critical", 30))},
        "monthly_price": {"amount": "45000", "currency": "RUB"}}))
    for key, name in (("a", "ТЦ «Галерея»"), ("b", "БЦ «Север»")):
        client = made(admin.post("/api/v1/clients", json={"name": name, "category": "gold"}))
        world.ids[f"client_{key}"] = client["id"]
        for number in (1, 2):
            site = made(admin.post(f"/api/v1/clients/{client['id']}/sites", json={
                "name": f"Корпус {number}", "address": f"Москва, ул. Ленина, {number}",
                "time_zone": "Europe/Moscow"}))
            world.ids[f"site_{key}{number}"] = site["id"]
            item = made(admin.post("/api/v1/equipment", json={
                "site_id": site["id"], "manufacturer": "PERCo", "model": f"TTR-{key}{number}",
                "serial_number": f"SN-{uuid.uuid4().hex[:8]}", "installed_on": "2024-03-01"}))
            world.ids[f"item_{key}{number}"] = item["id"]
        for access in ("own", "company"):
            contact_key = f"{key}_{access}"
            email = f"{contact_key}-{uuid.uuid4().hex[:6]}@{slug}.example"
            contact = made(admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
                "name": f"Контакт {key.upper()} {access}", "emails": [email],
                "portal_access": access, "password": PASSWORD}))
            world.ids[contact_key] = contact["id"]
            world.emails[contact_key] = email
            world.contacts[contact_key] = world.login(contact_key)
    made(admin.post("/api/v1/contracts", json={
        "number": f"СО-{uuid.uuid4().hex[:4]}", "client_id": world.ids["client_a"],
        "service_level_id": level["id"], "valid_from": (TODAY - timedelta(days=100)).isoformat(),
        "valid_until": (TODAY + timedelta(days=265)).isoformat(),
        "coverage": {"all": False, "site_ids": [world.ids["site_a1"]]},
        "payment": {"state": "paid", "balance": {"amount": "0"}, "last_payment_on": TODAY.isoformat()}}))
    section = made(admin.post("/api/v1/kb/sections", json={"name": "Турникеты"}))
    world.ids["section"] = section["id"]
    for key, title, visibility in (
            ("article", "Турникет скрипит и тяжело проворачивается", "all_clients"),
            ("related", "Турникет не пропускает по карте", "all_clients"),
            ("internal", "Турникет: сервисный режим для инженеров", "internal")):
        article = made(admin.post("/api/v1/kb/articles", json={
            "title": title, "section_id": section["id"], "state": "published",
            "visibility": visibility, "tags": ["СКУД"],
            "body": "Смажьте ось **турникета** и проверьте затяжку планок."}))
        world.ids[key] = article["id"]
    for contact_key in ("a_own", "a_company", "b_company"):
        ticket = made(world.contacts[contact_key].post("/api/v1/tickets", json={
            "title": f"Заявка контакта {contact_key}", "channel": "portal"}))
        world.ids[f"ticket_{contact_key}"] = ticket["id"]
    return world


@pytest.fixture(scope="module")
def world(suite):
    """A portal account of the test module (import the fixture into the module)."""
    return build_portal(suite)


@pytest.fixture(scope="module")
def other(suite):
    """Another account, for the isolation tests."""
    return build_portal(suite)
