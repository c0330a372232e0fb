"""The store verbs that replaced raw reads outside store/ (find, find_by_external_id, with_phone,
summaries, find_active): each answers within one account only, None when the record is
another account's."""
import pytest

from tests.unit.test_directory_support import directory, world  # noqa: F401

NUMBER = "+79161234567"


@pytest.fixture
def two(world):
    """Two accounts, each with a client and a contact holding the same phone number."""
    scenes = []
    for _ in range(2):
        account = world.account()
        client = world.client(account, category="vip")
        contact = world.contact(account, client, phones=[NUMBER])
        scenes.append((account, client, contact))
    return scenes


def test_a_record_is_found_in_its_own_account_only(directory, two):
    (mine, client, contact), (theirs, _, _) = two
    assert directory.clients.find(mine["_id"], client["_id"])["name"] == client["name"]
    assert directory.clients.find(theirs["_id"], client["_id"]) is None
    assert directory.contacts.find(theirs["_id"], contact["_id"]) is None
    assert directory.contacts.find(mine["_id"], contact["_id"], {"client_id": 1}) == {
        "_id": contact["_id"], "client_id": client["_id"]}


def test_an_external_id_names_a_record_of_its_account_only(directory, two):
    (mine, client, _), (theirs, _, _) = two
    directory.clients.clients.update_one({"_id": client["_id"]}, {"$set": {"external_id": "c-1"}})
    assert directory.clients.find_by_external_id(mine["_id"], "c-1")["_id"] == client["_id"]
    assert directory.clients.find_by_external_id(theirs["_id"], "c-1") is None


def test_a_phone_finds_the_contacts_of_the_callers_account_without_their_hashes(directory, two):
    (mine, _, contact), (theirs, _, other) = two
    found = directory.contacts.with_phone(mine["_id"], NUMBER, 10)
    assert [c["_id"] for c in found] == [contact["_id"]]
    assert "password_hash" not in found[0]
    assert [c["_id"] for c in directory.contacts.with_phone(theirs["_id"], NUMBER, 10)] == [
        other["_id"]]


def test_an_account_is_found_by_id_and_deleted_by_id(directory, two):
    (mine, _, _), (theirs, _, _) = two
    assert directory.accounts.find(mine["_id"])["slug"] == mine["slug"]
    directory.accounts.delete(mine["_id"])
    assert directory.accounts.find(mine["_id"]) is None
    assert directory.accounts.find(theirs["_id"]) is not None


def test_level_summaries_and_active_prices_stay_in_their_account(directory, two):
    (mine, _, _), (theirs, _, _) = two
    target = {"reaction_minutes": 60, "resolution_minutes": 240}
    level = directory.service_levels.create(mine["_id"], {
        "name": "Gold", "targets": dict.fromkeys(("low", "normal", "high", "critical"), target),
        "personal_manager": True, "options": [], "active": True,
        "monthly_price": {"amount": "100.00", "currency": "RUB"}})
    summaries = directory.service_levels.summaries(mine["_id"], {level["_id"]})
    assert summaries == {level["_id"]: {"_id": level["_id"], "name": "Gold",
                                        "personal_manager": True}}
    assert directory.service_levels.summaries(theirs["_id"], {level["_id"]}) == {}
    price = {"amount": "500.00", "currency": "RUB"}
    directory.price_list.create(mine["_id"], {"code": "W-1", "name": "Visit", "unit": "visit",
                                              "price": price, "category_prices": {},
                                              "active": True})
    assert directory.price_list.find_active(mine["_id"], "W-1")["price"] == price
    assert directory.price_list.find_active(theirs["_id"], "W-1") is None
    directory.price_list.create(mine["_id"], {"code": "W-2", "name": "Old", "unit": "visit",
                                              "price": price, "category_prices": {},
                                              "active": False})
    assert directory.price_list.find_active(mine["_id"], "W-2") is None
