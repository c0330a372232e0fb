"""A small account built through the API: people of every role, two clients with contacts of
every portal access, a group, tickets; what the isolation and authorization tests act on."""
import time
import uuid
from dataclasses import dataclass, field

import requests

from tests.integration.dead_letters import dead_letter, queue_webhook
from tests.integration.suite_process import ADMIN_PASSWORD, Api

PASSWORD = "Staff-password-2026"


@dataclass
class World:
    slug: str
    admin: Api
    people: dict = field(default_factory=dict)      # role or contact name -> Api signed in
    ids: dict = field(default_factory=dict)         # what -> id
    emails: dict = field(default_factory=dict)      # who -> login e-mail
    webhook_paths: dict = field(default_factory=dict)  # PBX integration -> its webhook path


def made(answer, status=201):
    """The body of an answer that had to succeed with `status`."""
    assert answer.status_code == status, answer.text
    return answer.json()


def login(url, slug, email, password):
    answer = Api(url).post("/api/v1/auth/login",
                           json={"account": slug, "login": email, "password": password})
    assert answer.status_code == 201, answer.text
    return Api(url, answer.json()["token"])


def stored_call(admin, patience=60):
    """The account's first call, once the telephony service has taken it from the queue."""
    deadline = time.monotonic() + patience
    while True:
        calls = admin.get("/api/v1/telephony/calls").json()["items"]
        if calls:
            return calls[0]
        assert time.monotonic() < deadline, "the webhook's call was never stored"
        time.sleep(0.2)


def build_world(suite, slug):
    admin = suite.admin(slug)
    world = World(slug, admin)
    world.emails["admin"] = f"admin@{slug}.example"
    found = admin.get("/api/v1/employees", params={"q": world.emails["admin"]}).json()["items"]
    world.ids["admin"] = found[0]["id"]
    for role in ("dispatcher", "agent", "field_engineer"):
        email = f"{role}-{uuid.uuid4().hex[:6]}@{slug}.example"
        employee = admin.create_employee(role, email=email, password=PASSWORD)
        world.ids[role] = employee["id"]
        world.emails[role] = email
        world.people[role] = login(suite.url, slug, email, PASSWORD)
    group = admin.post("/api/v1/groups", json={"name": f"Монтажники {slug}",
                                               "member_ids": [world.ids["field_engineer"]]})
    assert group.status_code == 201, group.text
    world.ids["group"] = group.json()["id"]
    for client_key in ("client_a", "client_b"):
        client = admin.post("/api/v1/clients", json={"name": f"Клиент {client_key} {slug}",
                                                     "inn": "7707083893", "kpp": "773601001"})
        assert client.status_code == 201, client.text
        world.ids[client_key] = client.json()["id"]
        for access in ("own", "company", "none"):
            key = f"{client_key}_{access}"
            email = f"{key}-{uuid.uuid4().hex[:6]}@{slug}.example"
            body = {"name": f"Контакт {key}", "phones": ["8 (495) 123-45-67"], "emails": [email],
                    "portal_access": access}
            if access != "none":
                body["password"] = PASSWORD
            contact = admin.post(f"/api/v1/clients/{world.ids[client_key]}/contacts", json=body)
            assert contact.status_code == 201, contact.text
            world.ids[key] = contact.json()["id"]
            world.emails[key] = email
            if access != "none":
                world.people[key] = login(suite.url, slug, email, PASSWORD)
        ticket = admin.create_ticket(title=f"Заявка {client_key} {slug}",
                                     client_id=world.ids[client_key],
                                     contact_id=world.ids[f"{client_key}_company"])
        world.ids[f"ticket_{client_key}"] = ticket["id"]
        world.ids[f"ticket_number_{client_key}"] = ticket["number"]
        admin.post(f"/api/v1/tickets/{ticket['id']}/comments",
                   json={"body": "Внутренняя заметка", "visibility": "internal"})
    site = admin.post(f"/api/v1/clients/{world.ids['client_a']}/sites", json={"name": "Склад"})
    world.ids["site"] = site.json()["id"]
    kind = admin.post("/api/v1/equipment-kinds", json={"name": "Камера"}).json()
    item = admin.post("/api/v1/equipment", json={
        "site_id": world.ids["site"], "kind_id": kind["id"], "manufacturer": "Dahua",
        "model": "IPC-HFW", "serial_number": uuid.uuid4().hex[:10]}).json()
    world.ids.update(kind=kind["id"], equipment=item["id"], equipment_code=item["public_code"])
    targets = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
               for p in ("low", "normal", "high", "critical")}
    level = admin.post("/api/v1/service-levels", json={
        "name": "Стандарт", "targets": targets, "monthly_price": {"amount": "10000"}}).json()
    contract = admin.post("/api/v1/contracts", json={
        "number": f"Д-{slug}", "client_id": world.ids["client_a"], "service_level_id": level["id"],
        "valid_from": "2025-01-01"}).json()
    price = admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд инженера", "unit": "выезд", "price": {"amount": "3000"}}).json()
    calendar = admin.post("/api/v1/calendars", json={
        "name": f"Офис {slug}", "time_zone": "Europe/Moscow",
        "week": {"monday": [{"start": "09:00", "end": "18:00"}]}})
    assert calendar.status_code == 201, calendar.text
    world.ids.update(level=level["id"], contract=contract["id"], price_item=price["id"],
                     calendar=calendar.json()["id"])
    work = admin.post(f"/api/v1/tickets/{world.ids['ticket_client_a']}/works",
                      json={"code": "CALL", "quantity": "1"}).json()
    world.ids["work"] = work["works"][0]["id"]
    section = admin.post("/api/v1/kb/sections", json={"name": f"СКУД {slug}"}).json()
    article = admin.post("/api/v1/kb/articles", json={
        "title": f"Турникет не пропускает по карте {slug}", "body": "Проверьте считыватель.",
        "section_id": section["id"], "state": "published", "visibility": "all_clients"}).json()
    world.ids.update(kb_section=section["id"], kb_article=article["id"])
    # One word of letters and digits (a slug may hold hyphens).
    synonym = admin.put(f"/api/v1/kb/synonyms/вертушка{uuid.uuid4().hex[:6]}", json={"means": ["турникет"]})
    assert synonym.status_code == 200, synonym.text
    world.ids["kb_synonym"] = synonym.json()["word"]
    suggestion = admin.post("/api/v1/kb/suggestions", json={"title": "Турникет не пропускает"})
    assert suggestion.status_code == 201, suggestion.text
    world.ids["kb_suggestion"] = suggestion.json()["suggestion_id"]
    pbx = admin.post("/api/v1/telephony/integrations", json={"name": "АТС", "dialect": "generic"})
    assert pbx.status_code == 201, pbx.text
    world.ids["pbx"] = pbx.json()["id"]
    world.webhook_paths = {"pbx": pbx.json()["webhook_path"]}
    ringing = requests.post(suite.url + pbx.json()["webhook_path"], timeout=15, json={
        "event": "newCall", "callId": f"world-{slug}", "from": "84951234567",
        "to": "74990000000", "direction": "in"})
    assert ringing.status_code == 200, ringing.text
    world.ids["call"] = stored_call(admin)["id"]
    # A message for an integration the account does not have: the consumer buries it at once.
    account_id = admin.get("/api/v1/account").json()["id"]
    world.ids["dead_letter"] = dead_letter(admin, queue_webhook(suite, "0" * 32, account_id))["id"]
    invitation = admin.post("/api/v1/partner-links/invitations", json={})
    assert invitation.status_code == 201, invitation.text
    world.ids["partner_link"] = invitation.json()["link"]["id"]
    token = admin.post("/api/v1/tokens", json={"name": "интеграция 1С"})
    assert token.status_code == 201, token.text
    world.ids["token"] = token.json()["id"]
    # A 1C connection to a closed port: its runs fail at once, but they exist to be guessed at.
    connection = admin.post("/api/v1/billing/connections", json={
        "url": "http://127.0.0.1:9/base/odata/standard.odata/", "user": "odata",
        "password": PASSWORD, "profile": "bp30"})
    assert connection.status_code == 201, connection.text
    run = admin.post(f"/api/v1/billing/connections/{connection.json()['id']}/runs", json={})
    world.ids.update(onec_connection=connection.json()["id"], onec_run=run.json()["id"])
    return world


def add_sla_notice(world, patience=30):
    """A notice of the `notify` escalation to guess at: a client on one-minute targets, a 24x7
    calendar and a warning share of 1%, so that the warning falls within a second of the ticket's
    opening and the watcher's next scan (every 5 s) records the notice."""
    admin = world.admin
    always = admin.post("/api/v1/calendars", json={
        "name": f"Дежурство {world.slug}", "time_zone": "Europe/Moscow", "week": {"always": True}})
    assert always.status_code == 201, always.text
    settings = admin.patch("/api/v1/account", json={"settings": {
        "sla_calendar_id": always.json()["id"], "sla_warning_share": 0.01}})
    assert settings.status_code == 200, settings.text
    minute = {p: {"reaction_minutes": 1, "resolution_minutes": 1}
              for p in ("low", "normal", "high", "critical")}
    level = admin.post("/api/v1/service-levels", json={
        "name": "Минута", "targets": minute, "monthly_price": {"amount": "1"}}).json()
    client = admin.post("/api/v1/clients", json={"name": f"Клиент минутный {world.slug}"}).json()
    contract = admin.post("/api/v1/contracts", json={
        "number": f"М-{world.slug}", "client_id": client["id"], "service_level_id": level["id"],
        "valid_from": "2025-01-01", "payment": {"state": "paid"}})
    assert contract.status_code == 201, contract.text
    rules = admin.put("/api/v1/sla/escalation-rules", json={"rules": [
        {"target": "reaction", "milestone": "warning", "action": "notify",
         "recipients": [world.ids["agent"]]}]})
    assert rules.status_code == 200, rules.text
    ticket = admin.create_ticket(title="Заявка на минуту", client_id=client["id"])
    notice = sla_notices(admin, ticket["id"], patience)[0]
    world.ids.update(sla_client=client["id"], sla_ticket=ticket["id"], sla_notification=notice["id"])


def sla_notices(api, ticket_id, patience=30):
    """The notices of a ticket, once the watcher has recorded one."""
    deadline = time.monotonic() + patience
    while True:
        notices = api.get("/api/v1/sla/notifications", params={"ticket_id": ticket_id}).json()
        if notices["items"]:
            return notices["items"]
        assert time.monotonic() < deadline, "the watcher never recorded a notice"
        time.sleep(0.5)
