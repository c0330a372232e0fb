"""Seed a running suite through its HTTP API, as the installation owner.

    .venv/bin/python scripts/seed.py            # or: make seed (while make run is up)

Creates two service companies ("alfa-service" and "beta-service"), each with an admin, a
dispatcher, an agent and a field engineer, client companies with contacts (one with portal access
to their own tickets, one to all their company's; they sign in on the client portal /p/<slug>/,
whose address it prints), their sites and equipment, service levels and a
contract per client (alfa-service: one paid gold contract covering the first site only, one unpaid
standard contract), a call-out price the coverage policy quotes for paid visits, and tickets of
the first contact on covered, uncovered and unpaid equipment, whose coverage verdicts it prints. alfa-service also gets a knowledge base of 329 published articles
(seed_knowledge.py). It prints every login and password and the admins' API tokens. Running it
again changes nothing and says so.

`make run` also uses `ensure_demo_account` to create the "demo" account the first time it starts.

Environment: GATEWAY_URL (http://127.0.0.1:$GATEWAY_PORT), SERVICE_DESK_OWNER_TOKEN (default: the
one `make run` keeps in DATA_DIR/owner-token).
"""
import base64
import os
import secrets
import sys
from pathlib import Path

import requests

from seed_knowledge import seed_knowledge

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Demo-password-2026"
DEMO_ADMIN = "admin@demo.example"
LEVELS = {"Золото": (30, 240, "60000"), "Стандарт": (120, 1440, "25000")}  # reaction, resolution, price

COMPANIES = {
    "alfa-service": {
        "name": "Альфа Сервис", "time_zone": "Europe/Moscow", "knowledge": True,
        "staff": [("Ирина Диспетчер", "dispatcher"), ("Пётр Агент", "agent"),
                  ("Сергей Инженер", "field_engineer")],
        "clients": [
            {"name": "ТЦ «Галерея»", "legal_name": "ООО «Галерея»", "inn": "7707083893",
             "kpp": "773601001", "category": "gold",
             "contacts": [("Анна Завхоз", "8 (495) 123-45-67", "own"),
                          ("Олег Главный инженер", "+7 916 555-12-34", "company")],
             "sites": [("Главный вход", "Москва, Ленинградский пр., 1",
                        [("Турникет", "PERCo", "TTR-10", "P-100201"), ("Камера", "Hikvision", "DS-2CD2143", "HK-77001")]),
                       ("Парковка", "Москва, Ленинградский пр., 1, стр. 2",
                        [("Шлагбаум", "CAME", "GARD 4000", "CM-5521")])],
             "contract": {"number": "СО-2026/001", "level": "Золото", "payment": "paid", "first_site_only": True}},
            {"name": "Бизнес-центр «Север»", "inn": "7736050003", "category": "standard",
             "contacts": [("Мария Администратор", "8 812 700-00-00", "company")],
             "sites": [("Офис", "Санкт-Петербург, Невский пр., 100",
                        [("ККТ", "ATOL", "30Ф", "AT-009911")])],
             "contract": {"number": "СО-2026/002", "level": "Стандарт", "payment": "unpaid", "first_site_only": False}},
        ],
    },
    "beta-service": {
        "name": "Бета Безопасность", "time_zone": "Asia/Yekaterinburg",
        "staff": [("Ольга Диспетчер", "dispatcher"), ("Иван Монтажник", "field_engineer")],
        "clients": [
            {"name": "Завод «Уралмаш»", "inn": "6673196710", "category": "gold",
             "contacts": [("Дмитрий Охрана", "8 (343) 200-10-10", "own")],
             "sites": [("Цех 1", "Екатеринбург, пл. Первой пятилетки",
                        [("Пожарная сигнализация", "Болид", "С2000-М", "BL-33001")])],
             "contract": {"number": "ББ-2026/01", "level": "Золото", "payment": "paid", "first_site_only": False}},
        ],
    },
}


class Seeder:
    def __init__(self, url, owner_token):
        self.url = url.rstrip("/")
        self.owner = {"Authorization": f"Bearer {owner_token}"}

    def post(self, path, body, headers, expect=(201,), method="POST"):
        answer = requests.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=30)
        if answer.status_code not in expect:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text}")
        return answer

    def put(self, path, body, headers):
        return self.post(path, body, headers, expect=(200,), method="PUT")

    def patch(self, path, body, headers):
        return self.post(path, body, headers, expect=(200,), method="PATCH")

    def account_exists(self, slug):
        return any(a["slug"] == slug for a in every(self.url, "/api/v1/accounts", self.owner))

    def create_account(self, slug, name, time_zone, admin_email, admin_password):
        admin = {"name": "Администратор", "email": admin_email}
        if admin_password:
            admin["password"] = admin_password
        body = {"slug": slug, "name": name, "time_zone": time_zone, "admin": admin}
        return self.post("/api/v1/accounts", body, self.owner).json()

    def seed_company(self, slug, spec):
        created = self.create_account(slug, spec["name"], spec["time_zone"], f"admin@{slug}.example",
                                      PASSWORD)
        admin = {"Authorization": f"Bearer {created['admin_token']}"}
        people = [(f"admin@{slug}.example", "admin")]
        for number, (name, role) in enumerate(spec["staff"], start=1):
            email = f"{role}{number}@{slug}.example"
            self.post("/api/v1/employees", {"name": name, "email": email, "roles": [role],
                                            "password": PASSWORD}, admin)
            people.append((email, role))
        levels = {name: self.post("/api/v1/service-levels", {
            "name": name, "monthly_price": {"amount": price},
            "targets": {p: {"reaction_minutes": reaction * factor, "resolution_minutes": resolution * factor}
                        for p, factor in (("critical", 1), ("high", 2), ("normal", 4), ("low", 8))}},
            admin).json()["id"] for name, (reaction, resolution, price) in LEVELS.items()}
        # A call-out the coverage policy quotes when a visit is not covered (the portal shows it).
        self.post("/api/v1/price-items", {"code": "CALL", "name": "Выезд инженера", "unit": "выезд",
                                          "price": {"amount": "3500"},
                                          "category_prices": {"gold": {"amount": "2500"}}}, admin)
        self.patch("/api/v1/coverage-policy", {"paid_work_code": "CALL"}, admin)
        verdicts = []
        for client_number, client_spec in enumerate(spec["clients"], start=1):
            client_body = {k: v for k, v in client_spec.items() if k not in ("contacts", "sites", "contract")}
            client = self.post("/api/v1/clients", client_body, admin).json()
            contact_ids = []
            for contact_number, (name, phone, access) in enumerate(client_spec["contacts"], 1):
                email = f"contact{client_number}{contact_number}@{slug}.example"
                contact_ids.append(self.post(f"/api/v1/clients/{client['id']}/contacts",
                                             {"name": name, "phones": [phone], "emails": [email],
                                              "portal_access": access, "password": PASSWORD},
                                             admin).json()["id"])
                people.append((email, f"contact ({access}) of {client['name']}"))
            site_ids, items = self.seed_sites(admin, client, client_spec["sites"])
            terms = client_spec["contract"]
            self.post("/api/v1/contracts", {
                "number": terms["number"], "client_id": client["id"],
                "service_level_id": levels[terms["level"]], "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "coverage": {"site_ids": site_ids[:1]} if terms["first_site_only"] else {"all": True},
                "payment": {"state": terms["payment"]}}, admin)
            for item in items:
                ticket = self.post("/api/v1/tickets", {
                    "title": f"Не работает {item['model']}", "equipment_id": item["id"],
                    "channel": "phone", "contact_id": contact_ids[0]}, admin).json()
                verdicts.append((ticket["number"], client["name"], item["model"],
                                 ticket["coverage"]["verdict"], ticket["coverage"]["action"]))
        if spec.get("knowledge"):
            seed_knowledge(self.post, admin)
        return created, people, verdicts

    def seed_sites(self, admin, client, sites):
        site_ids, items = [], []
        for site_name, address, equipment in sites:
            site = self.post(f"/api/v1/clients/{client['id']}/sites",
                             {"name": site_name, "address": address}, admin).json()
            site_ids.append(site["id"])
            for kind_name, maker, model, serial in equipment:
                kind = self.kind(admin, kind_name)
                items.append(self.post("/api/v1/equipment", {
                    "site_id": site["id"], "kind_id": kind, "manufacturer": maker, "model": model,
                    "serial_number": serial, "installed_on": "2025-06-01"}, admin).json())
        return site_ids, items

    def kind(self, admin, name):
        answer = self.post("/api/v1/equipment-kinds", {"name": name}, admin, expect=(201, 409))
        if answer.status_code == 201:
            return answer.json()["id"]
        return next(k["id"] for k in every(self.url, "/api/v1/equipment-kinds", admin)
                    if k["name"] == name)



def every(url, path, headers):
    """Every item of an API list, page after page."""
    params = {"limit": 100}
    while True:
        answer = requests.get(f"{url}{path}", headers=headers, params=params, timeout=30)
        answer.raise_for_status()
        page = answer.json()
        yield from page["items"]
        if not page["next_cursor"]:
            return
        params["cursor"] = page["next_cursor"]


def write_secret(path, text):
    """Create the file readable by this user only from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as secret:
        secret.write(text)


def ensure_demo_account(url, owner_token, data_dir):
    """The demo account's admin API token, creating the account on the first start. A token that
    stopped working (it expires after 30 days) is dropped with a word on how to get another."""
    token_file = Path(data_dir) / "dev-api-token"
    if token_file.exists():
        token = token_file.read_text().strip()
        probe = requests.get(f"{url}/api/v1/account", timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
        if probe.status_code == 200:
            return token
        print("The demo token no longer works (expired or revoked): issue another with "
              "POST /api/v1/tokens, or remove data/ to start afresh.", flush=True)
        return None
    seeder = Seeder(url, owner_token)
    if seeder.account_exists("demo"):
        return None  # made by an earlier run whose token file was removed: nothing to show
    created = seeder.create_account("demo", "Демо сервисная компания", "Europe/Moscow",
                                    DEMO_ADMIN, demo_password(data_dir))
    write_secret(token_file, created["admin_token"])
    return created["admin_token"]


def kept_secret(variable, data_dir, file_name, make=lambda: secrets.token_urlsafe(32)):
    """The secret in environment `variable`, or the one kept in DATA_DIR/`file_name` (made on
    first use), so that a laptop's run needs no set-up; Kubernetes takes them from its Secret."""
    configured = os.environ.get(variable)
    if configured:
        return configured
    secret_file = Path(data_dir) / file_name
    if not secret_file.exists():
        write_secret(secret_file, make())
    return secret_file.read_text().strip()


def onec_secret_keys(data_dir):
    """ONEC_SECRET_KEYS: what billing_sync seals 1C passwords with (a Fernet key: 32 random bytes,
    URL-safe base64)."""
    return kept_secret("ONEC_SECRET_KEYS", data_dir, "onec-secret-key",
                       lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())


def owner_token(data_dir):
    """SERVICE_DESK_OWNER_TOKEN: the installation owner's token."""
    return kept_secret("SERVICE_DESK_OWNER_TOKEN", data_dir, "owner-token")


def gateway_secret_key(data_dir):
    """GATEWAY_SECRET_KEY: signs the web pages' session cookies and CSRF tokens; one for every
    gateway worker, and the same after a restart, so that nobody is signed out by either."""
    return kept_secret("GATEWAY_SECRET_KEY", data_dir, "gateway-secret-key")


def demo_password(data_dir):
    """The demo admin's password, made on the first start and kept for the person to type."""
    return kept_secret("DEMO_ADMIN_PASSWORD", data_dir, "demo-admin-password",
                       lambda: "Demo-" + secrets.token_urlsafe(9))


def main():
    data_dir = Path(os.environ.get("DATA_DIR", ROOT / "data"))
    url = os.environ.get("GATEWAY_URL", f"http://127.0.0.1:{os.environ.get('GATEWAY_PORT', '8080')}")
    seeder = Seeder(url, owner_token(data_dir))
    for slug, spec in COMPANIES.items():
        if seeder.account_exists(slug):
            print(f"{slug}: exists already, left as it is")
            continue
        created, people, verdicts = seeder.seed_company(slug, spec)
        print(f"\n{spec['name']} (account '{slug}'), admin API token: {created['admin_token']}")
        print(f"  client portal: {url}/p/{slug}/  (sign in as a contact below)")
        for email, what in people:
            print(f"  {email:<38} {PASSWORD}   {what}")
        print("  tickets and their coverage:")
        for number, client, model, verdict, action in verdicts:
            print(f"    #{number:<4} {client:<24} {model:<14} {verdict:<12} -> {action}")
    print(f"\nConsole: {url}/login   Client portals: " + ", ".join(f"{url}/p/{slug}/" for slug in COMPANIES))
    print(f"Log in: POST {url}/api/v1/auth/login "
          '{"account": "alfa-service", "login": "<e-mail>", "password": "<password>"}')


if __name__ == "__main__":
    sys.exit(main())
