"""QR labels: the label links to the item's intake; a contact, or anyone when the account allows
it, opens a ticket pre-filled with the item and its site; limited; the code can be rotated."""
import uuid

import pytest

from tests.integration.suite_process import Api
from tests.integration.world import PASSWORD, build_world, login


@pytest.fixture(scope="module")
def plant(suite):
    world = build_world(suite, f"qr-{uuid.uuid4().hex[:6]}")
    admin = world.admin
    site = admin.post(f"/api/v1/clients/{world.ids['client_a']}/sites",
                      json={"name": "Проходная", "address": "Екатеринбург, ул. Мира, 5"}).json()
    item = admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "manufacturer": "Hikvision", "model": "DS-2CD2143",
        "serial_number": f"HK{uuid.uuid4().hex[:8]}"}).json()
    world.ids.update(site=site["id"], item=item["id"])
    world.code = item["public_code"]
    return world


def test_the_label_encodes_the_intake_link(suite, plant):
    svg = plant.admin.get(f"/api/v1/equipment/{plant.ids['item']}/label.svg")
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    assert f"/q/{plant.code}" in svg.text and "<svg" in svg.text
    png = plant.admin.get(f"/api/v1/equipment/{plant.ids['item']}/label.png")
    assert png.headers["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_signing_in_the_account_must_allow_it(suite, plant):
    anonymous = Api(suite.url)
    refused = anonymous.get(f"/api/v1/intake/{plant.code}")
    assert refused.status_code == 403 and refused.json()["sign_in"] == "required"
    assert anonymous.get("/api/v1/intake/not-a-code").status_code == 404


def test_a_contact_of_the_client_reports_through_the_label(suite, plant):
    contact = plant.people["client_a_own"]
    info = contact.get(f"/api/v1/intake/{plant.code}").json()
    assert info["equipment"]["manufacturer"] == "Hikvision" and info["site"]["name"] == "Проходная"
    receipt = contact.post(f"/api/v1/intake/{plant.code}/tickets",
                           json={"title": "Камера не показывает ночью"})
    assert receipt.status_code == 201
    ticket = plant.admin.get(f"/api/v1/tickets/by-number/{receipt.json()['number']}").json()
    assert ticket["channel"] == "qr" and ticket["equipment_id"] == plant.ids["item"]
    assert ticket["site_id"] == plant.ids["site"] and ticket["client_id"] == plant.ids["client_a"]
    assert ticket["contact_id"] == plant.ids["client_a_own"]
    # The world's contract covers everything and no payment source has spoken: not blocked.
    assert ticket["coverage"]["verdict"] == "covered"
    assert ticket["coverage"]["payment_state"] == "unknown" and ticket["billing"] is None


def test_other_clients_and_accounts_see_no_such_code(suite, plant, globex):
    assert plant.people["client_b_company"].get(f"/api/v1/intake/{plant.code}").status_code == 404
    assert globex.post(f"/api/v1/intake/{plant.code}/tickets", json={"title": "x"}).status_code == 404


def test_anonymous_reports_when_allowed_name_themselves_and_are_limited(suite, plant):
    plant.admin.patch("/api/v1/account", json={"settings": {"qr_anonymous_intake": True}})
    anonymous = Api(suite.url)
    path = f"/api/v1/intake/{plant.code}/tickets"
    missing = anonymous.post(path, json={"title": "Дым из камеры"})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"reporter_name", "reporter_phone"}
    body = {"title": "Дым из камеры", "reporter_name": "Охранник Пётр", "reporter_phone": "8 (343) 200-10-10"}
    receipt = anonymous.post(path, json=body)
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["message"] is None  # nothing about the client's contract for a passer-by
    ticket = plant.admin.get(f"/api/v1/tickets/by-number/{receipt.json()['number']}").json()
    assert ticket["reporter"] == {"name": "Охранник Пётр", "phone": "+73432001010"}
    assert ticket["created_by"] == {"kind": "system", "id": "qr-intake"}
    statuses = [anonymous.post(path, json=body).status_code for _ in range(10)]
    assert statuses.count(429) >= 1 and statuses[0] == 201
    limited = anonymous.post(path, json=body)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_rotating_the_code_retires_the_old_label(suite, plant):
    contact = login(suite.url, plant.slug, plant.emails["client_a_company"], PASSWORD)
    rotated = plant.admin.post(f"/api/v1/equipment/{plant.ids['item']}/rotate-code").json()
    assert rotated["public_code"] != plant.code
    assert contact.get(f"/api/v1/intake/{plant.code}").status_code == 404
    assert contact.get(f"/api/v1/intake/{rotated['public_code']}").status_code == 200
    plant.code = rotated["public_code"]


def test_coverage_and_other_clients_items_are_not_for_contacts(suite, plant):
    contact = plant.people["client_b_company"]
    assert contact.post("/api/v1/coverage/check", json={"client_id": plant.ids["client_a"]}).status_code == 403
    assert contact.get(f"/api/v1/equipment/{plant.ids['item']}/history").status_code == 404
    own = plant.people["client_a_company"]
    assert own.get(f"/api/v1/equipment/{plant.ids['item']}/history").status_code == 200


def test_nameless_posts_do_not_use_up_a_labels_budget(suite, plant):
    plant.admin.patch("/api/v1/account", json={"settings": {"qr_anonymous_intake": True}})
    anonymous = Api(suite.url)
    path = f"/api/v1/intake/{plant.code}/tickets"
    assert all(anonymous.post(path, json={"title": "x"}).status_code == 422 for _ in range(25))
    receipt = plant.people["client_a_own"].post(path, json={"title": "Не работает"})
    assert receipt.status_code == 201
