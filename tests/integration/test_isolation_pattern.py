"""The isolation pattern every endpoint follows: another account's records answer 404, exactly
as records that do not exist, and stay unchanged; another client's tickets are invisible to a
contact. New endpoints add a row to ENDPOINTS."""
import pytest

# Whole bodies for PUT, which refuses a body that leaves a field out (PATCH changes some).
CLIENT = {"name": "взлом", "legal_name": None, "inn": None, "kpp": None, "category": None,
          "manager_id": None, "notes": "", "sla_targets": {}}
CONTACT = {"name": "взлом", "position": None, "phones": [], "emails": [], "portal_access": "none",
           "active": True}
SITE = {"name": "взлом", "address": "", "city": "", "coordinates": None, "time_zone": None,
        "access_notes": "", "contact_ids": []}
EQUIPMENT = {"site_id": "{site}", "kind_id": None, "manufacturer": "x", "model": "y",
             "serial_number": None, "inventory_number": None, "installed_on": None,
             "warranty_until": None, "parameters": {}, "status": "in_service"}
LEVEL = {"name": "взлом", "monthly_price": {"amount": "1"}, "personal_manager": False,
         "options": [], "active": True, "targets": {
             p: {"reaction_minutes": 1, "resolution_minutes": 1} for p in ("low", "normal", "high", "critical")}}
PRICE_ITEM = {"code": "X", "name": "x", "unit": "x", "price": {"amount": "1"}, "category_prices": {},
              "active": True}
ARTICLE = {"title": "взлом", "body": "взлом", "section_id": None, "tags": [], "equipment_kinds": [],
           "state": "draft", "visibility": "internal", "client_categories": [], "service_levels": []}
INTEGRATION = {"name": "взлом", "dialect": "generic", "lines": [], "extensions": [], "rules": {},
               "region": "RU", "area_code": None, "time_zone": "Europe/Moscow", "enabled": True}
CALENDAR = {"name": "взлом", "time_zone": "UTC", "week": {"always": True}, "production_calendar": None,
            "shorten_pre_holiday": True, "days_off": [], "working_days": [], "shortened_days": []}
CONNECTION = {"url": "http://evil.example/base/odata/standard.odata/", "user": "x", "profile": "bp30",
              "mapping": {}, "price_types": None, "schedule_minutes": None, "grace_days": 30,
              "sale": None}

# (method, path with {placeholders} naming World.ids, body)
ENDPOINTS = [
    ("GET", "/api/v1/tickets/{ticket_client_a}", None),
    ("PATCH", "/api/v1/tickets/{ticket_client_a}", {"title": "взлом"}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/status", {"status": "closed"}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/comments", {"body": "взлом"}),
    ("GET", "/api/v1/employees/{agent}", None),
    ("PATCH", "/api/v1/employees/{agent}", {"active": False}),
    ("POST", "/api/v1/employees/{agent}/password-reset", None),
    ("GET", "/api/v1/groups/{group}", None),
    ("PUT", "/api/v1/groups/{group}", {"name": "взлом", "member_ids": []}),
    ("PATCH", "/api/v1/groups/{group}", {"name": "взлом"}),
    ("GET", "/api/v1/clients/{client_a}", None),
    ("PUT", "/api/v1/clients/{client_a}", CLIENT),
    ("PATCH", "/api/v1/clients/{client_a}", {"name": "взлом"}),
    ("GET", "/api/v1/clients/{client_a}/contacts", None),
    ("POST", "/api/v1/clients/{client_a}/contacts", {"name": "взлом"}),
    ("GET", "/api/v1/clients/{client_a}/contacts/{client_a_own}", None),
    ("PUT", "/api/v1/clients/{client_a}/contacts/{client_a_own}", CONTACT),
    ("PATCH", "/api/v1/clients/{client_a}/contacts/{client_a_own}", {"name": "взлом"}),
    ("POST", "/api/v1/clients/{client_a}/contacts/{client_a_own}/password-reset", None),
    ("DELETE", "/api/v1/tokens/{token}", None),
    ("GET", "/api/v1/clients/{client_a}/sites", None),
    ("POST", "/api/v1/clients/{client_a}/sites", {"name": "взлом"}),
    ("GET", "/api/v1/clients/{client_a}/sites/{site}", None),
    ("PUT", "/api/v1/clients/{client_a}/sites/{site}", SITE),
    ("PATCH", "/api/v1/clients/{client_a}/sites/{site}", {"name": "взлом"}),
    ("GET", "/api/v1/equipment/{equipment}", None),
    ("PUT", "/api/v1/equipment/{equipment}", EQUIPMENT),
    ("PATCH", "/api/v1/equipment/{equipment}", {"status": "decommissioned"}),
    ("GET", "/api/v1/equipment/{equipment}/history", None),
    ("GET", "/api/v1/equipment/{equipment}/label.png", None),
    ("GET", "/api/v1/equipment/{equipment}/label.svg", None),
    ("POST", "/api/v1/equipment/{equipment}/rotate-code", None),
    ("GET", "/api/v1/service-levels/{level}", None),
    ("PUT", "/api/v1/service-levels/{level}", LEVEL),
    ("PATCH", "/api/v1/service-levels/{level}", {"name": "взлом"}),
    ("GET", "/api/v1/contracts/{contract}", None),
    ("PATCH", "/api/v1/contracts/{contract}", {"notes": "взлом"}),
    ("PUT", "/api/v1/contracts/{contract}/payment", {"state": "paid", "balance": None,
                                                     "last_payment_on": None}),
    ("PATCH", "/api/v1/contracts/{contract}/payment", {"state": "paid"}),
    ("GET", "/api/v1/price-items/{price_item}", None),
    ("PUT", "/api/v1/price-items/{price_item}", PRICE_ITEM),
    ("PATCH", "/api/v1/price-items/{price_item}", {"name": "взлом"}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/works", {"code": "CALL", "quantity": "1"}),
    ("DELETE", "/api/v1/tickets/{ticket_client_a}/works/{work}", None),
    ("GET", "/api/v1/intake/{equipment_code}", None),
    ("GET", "/api/v1/kb/sections/{kb_section}", None),
    ("PUT", "/api/v1/kb/sections/{kb_section}", {"name": "взлом", "parent_id": None}),
    ("PATCH", "/api/v1/kb/sections/{kb_section}", {"name": "взлом"}),
    ("GET", "/api/v1/kb/articles/{kb_article}", None),
    ("PUT", "/api/v1/kb/articles/{kb_article}", ARTICLE),
    ("PATCH", "/api/v1/kb/articles/{kb_article}", {"title": "взлом"}),
    ("GET", "/api/v1/kb/articles/{kb_article}/versions", None),
    ("GET", "/api/v1/kb/synonyms/{kb_synonym}", None),
    ("DELETE", "/api/v1/kb/synonyms/{kb_synonym}", None),
    ("GET", "/api/v1/telephony/integrations/{pbx}", None),
    ("PUT", "/api/v1/telephony/integrations/{pbx}", INTEGRATION),
    ("PATCH", "/api/v1/telephony/integrations/{pbx}", {"name": "взлом"}),
    ("GET", "/api/v1/telephony/calls/{call}", None),
    ("POST", "/api/v1/telephony/calls/{call}/tickets", {"ticket_id": "{ticket_client_a}"}),
    ("DELETE", "/api/v1/telephony/calls/{call}/tickets/{ticket_client_a}", None),
    ("GET", "/api/v1/kb/suggestions/{kb_suggestion}", None),
    ("POST", "/api/v1/kb/suggestions/{kb_suggestion}/opened", {"article_id": "{kb_article}"}),
    ("POST", "/api/v1/kb/suggestions/{kb_suggestion}/outcome", {"ticket_created": False}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/answers", {"article_id": "{kb_article}"}),
    ("GET", "/api/v1/calendars/{calendar}", None),
    ("PUT", "/api/v1/calendars/{calendar}", CALENDAR),
    ("PATCH", "/api/v1/calendars/{calendar}", {"name": "взлом"}),
    ("GET", "/api/v1/sla/notifications/{sla_notification}", None),
    ("GET", "/api/v1/partner-links/{partner_link}", None),
    ("POST", "/api/v1/partner-links/{partner_link}/state", {"state": "revoked"}),
    ("PUT", "/api/v1/partner-links/{partner_link}/rules", {"incoming": {"priority": "low"}}),
    ("PATCH", "/api/v1/partner-links/{partner_link}/rules", {"incoming": {"priority": "low"}}),
    ("POST", "/api/v1/partner-links/{partner_link}/shares", {"ticket_id": "{ticket_client_a}"}),
    ("POST", "/api/v1/partner-links/{partner_link}/secret-rotation", {"overlap_minutes": 5}),
    ("GET", "/api/v1/billing/connections/{onec_connection}", None),
    ("PUT", "/api/v1/billing/connections/{onec_connection}", CONNECTION),
    ("PATCH", "/api/v1/billing/connections/{onec_connection}", {
        "url": "http://evil.example/base/odata/standard.odata/"}),
    ("DELETE", "/api/v1/billing/connections/{onec_connection}", None),
    ("POST", "/api/v1/billing/connections/{onec_connection}/check", None),
    ("GET", "/api/v1/billing/connections/{onec_connection}/unmatched", None),
    ("PUT", "/api/v1/billing/connections/{onec_connection}/mappings/{client_a}", {"ref": None}),
    ("PATCH", "/api/v1/billing/connections/{onec_connection}/mappings/{client_a}", {"ref": None}),
    ("GET", "/api/v1/billing/connections/{onec_connection}/runs", None),
    ("POST", "/api/v1/billing/connections/{onec_connection}/runs", {}),
    ("GET", "/api/v1/billing/connections/{onec_connection}/status", None),
    ("GET", "/api/v1/billing/runs/{onec_run}", None),
    ("GET", "/api/v1/billing/clients/{client_a}/payments", None),
    ("GET", "/api/v1/dead-letters/telephony/{dead_letter}", None),
    ("POST", "/api/v1/dead-letters/telephony/{dead_letter}/replay", None),
    ("POST", "/api/v1/dead-letters/telephony/{dead_letter}/discard", None),
]


def fill(path, world):
    return path.format(**world.ids)


def fill_body(body, world):
    return {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in body.items()} if body else body


@pytest.mark.parametrize("method, path, body", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_another_accounts_record_is_404_like_a_missing_one(north, south, method, path, body):
    theirs = south.admin.request(method, fill(path, north), json=fill_body(body, south))
    assert theirs.status_code in (404, 422), theirs.text
    if theirs.status_code == 422:  # a body naming south's own records: validated before the id
        theirs = south.admin.request(method, fill(path, north), json=fill_body(body, north))
    assert theirs.status_code == 404, theirs.text
    missing = south.admin.request(method, path.format(**{k: "0" * 32 for k in north.ids}),
                                  json=fill_body(body, south))
    assert missing.status_code == 404
    assert theirs.json()["title"] == missing.json()["title"]
    assert theirs.json()["type"] == missing.json()["type"]


def test_records_are_unchanged_after_the_attempts(north, south):
    for method, path, body in ENDPOINTS:
        south.admin.request(method, fill(path, north), json=body)
    ticket = north.admin.get(fill("/api/v1/tickets/{ticket_client_a}", north)).json()
    assert ticket["title"].startswith("Заявка client_a") and ticket["status"] == "opened"
    assert all(c["body"] != "взлом" for c in ticket["comments"])
    assert north.admin.get(fill("/api/v1/employees/{agent}", north)).json()["active"] is True
    assert north.admin.get(fill("/api/v1/clients/{client_a}", north)).json()["name"] != "взлом"
    assert north.admin.get(fill("/api/v1/calendars/{calendar}", north)).json()["revision"] == 1
    link = north.admin.get(fill("/api/v1/partner-links/{partner_link}", north)).json()
    assert link["state"] == "pending" and link["rules"]["incoming"]["priority"] == "as_sent"
    tokens = north.admin.get("/api/v1/tokens", params={"limit": 100}).json()["items"]
    assert next(t for t in tokens if t["id"] == north.ids["token"])["revoked_at"] is None
    connection = north.admin.get(fill("/api/v1/billing/connections/{onec_connection}", north)).json()
    assert connection["url"].startswith("http://127.0.0.1:9/")
    synonym = north.admin.get(fill("/api/v1/kb/synonyms/{kb_synonym}", north)).json()
    assert synonym["means"] == ["турникет"] and synonym["source"] == "account"
    letter = north.admin.get(fill("/api/v1/dead-letters/telephony/{dead_letter}", north)).json()
    assert letter["state"] == "dead" and letter["replays"] == []


def test_a_ticket_number_of_another_account_never_reaches_its_ticket(north, south):
    number = north.ids["ticket_number_client_a"]
    answer = south.admin.get(f"/api/v1/tickets/by-number/{number}")
    assert answer.status_code in (200, 404)
    if answer.status_code == 200:
        assert answer.json()["id"] not in (north.ids["ticket_client_a"], north.ids["ticket_client_b"])


@pytest.mark.parametrize("field, key", [("client_id", "client_a"), ("contact_id", "client_a_own"),
                                        ("assignee_id", "agent"), ("assignee_group_id", "group"),
                                        ("site_id", "site"), ("equipment_id", "equipment")])
def test_references_to_another_accounts_records_are_refused(north, south, field, key):
    answer = south.admin.post("/api/v1/tickets", json={"title": "Чужая ссылка", field: north.ids[key]})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]


@pytest.mark.parametrize("path, key", [
    ("/api/v1/employees", "agent"), ("/api/v1/clients", "client_a"), ("/api/v1/groups", "group"),
    ("/api/v1/tokens", "token"), ("/api/v1/tickets", "ticket_client_a"),
    ("/api/v1/equipment", "equipment"), ("/api/v1/equipment-kinds", "kind"),
    ("/api/v1/service-levels", "level"), ("/api/v1/contracts", "contract"),
    ("/api/v1/price-items", "price_item"), ("/api/v1/kb/articles", "kb_article"),
    ("/api/v1/kb/sections", "kb_section"), ("/api/v1/calendars", "calendar"),
    ("/api/v1/telephony/integrations", "pbx"),
    ("/api/v1/telephony/calls", "call"),
    ("/api/v1/billing/connections", "onec_connection"),
    ("/api/v1/dead-letters/telephony", "dead_letter"),
])
def test_lists_hold_nothing_of_another_account(north, south, path, key):
    listed = south.admin.get(path, params={"limit": 100}).json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert north.ids[key] not in {item["id"] for item in items}


def test_sla_notices_hold_nothing_of_another_account(north, south):
    """Not by id (ENDPOINTS), not in the list, not by naming the other account's ticket."""
    assert south.admin.get("/api/v1/sla/notifications", params={"limit": 100}).json()["items"] == []
    named = south.admin.get("/api/v1/sla/notifications", params={"ticket_id": north.ids["sla_ticket"]})
    assert named.status_code == 200 and named.json()["items"] == []
    own = north.admin.get("/api/v1/sla/notifications", params={"limit": 100}).json()["items"]
    assert north.ids["sla_notification"] in {n["id"] for n in own}


def test_the_audit_log_holds_nothing_of_another_account(north, south):
    entries = south.admin.get("/api/v1/audit", params={"limit": 100}).json()["items"]
    north_ids = set(north.ids.values())
    assert not [e for e in entries if e["target_id"] in north_ids]


# -- client contacts: the other client, and their own scope ------------------------------------

def test_a_contact_never_sees_another_clients_ticket(north):
    for access in ("own", "company"):
        contact = north.people[f"client_b_{access}"]
        ticket_id = north.ids["ticket_client_a"]
        assert contact.get(f"/api/v1/tickets/{ticket_id}").status_code == 404
        assert contact.post(f"/api/v1/tickets/{ticket_id}/comments", json={"body": "x"}).status_code == 404
        number = north.ids["ticket_number_client_a"]
        assert contact.get(f"/api/v1/tickets/by-number/{number}").status_code == 404
        listed = contact.get("/api/v1/tickets", params={"limit": 100}).json()["items"]
        assert ticket_id not in {t["id"] for t in listed}


def test_company_access_sees_the_companys_tickets_own_access_only_theirs(north):
    company = north.people["client_a_company"].get("/api/v1/tickets").json()["items"]
    own = north.people["client_a_own"].get("/api/v1/tickets").json()["items"]
    assert north.ids["ticket_client_a"] in {t["id"] for t in company}
    assert north.ids["ticket_client_a"] not in {t["id"] for t in own}
    mine = north.people["client_a_own"].create_ticket(title="Не работает домофон")
    assert mine["channel"] == "portal"
    own = north.people["client_a_own"].get("/api/v1/tickets").json()["items"]
    assert [t["id"] for t in own] == [mine["id"]]
    assert mine["id"] in {t["id"] for t in north.people["client_a_company"].get("/api/v1/tickets").json()["items"]}


def test_a_contacts_ticket_is_always_their_companys(north):
    contact = north.people["client_a_company"]
    ticket = contact.create_ticket(title="Заявка с портала", client_id=north.ids["client_b"],
                                   contact_id=north.ids["client_b_company"])
    assert ticket["client_id"] == north.ids["client_a"]
    assert ticket["contact_id"] == north.ids["client_a_company"]


def test_contacts_never_see_internal_comments_or_history(north):
    contact = north.people["client_a_company"]
    ticket = contact.get(f"/api/v1/tickets/{north.ids['ticket_client_a']}").json()
    assert ticket["comments"] == [] and ticket["history"] == []
    staff = north.admin.get(f"/api/v1/tickets/{north.ids['ticket_client_a']}").json()
    assert [c["visibility"] for c in staff["comments"]] == ["internal"]


def test_search_finds_nothing_of_another_account(north, south):
    query = {"q": "турникет пропускает карте"}
    own = south.admin.get("/api/v1/kb/search", params=query).json()["items"]
    assert south.ids["kb_article"] in {h["id"] for h in own}   # the search does find articles
    assert north.ids["kb_article"] not in {h["id"] for h in own}
