"""names_of: every name a page shows, for many kinds of ids in one call, within one account."""
import pytest

from services.shared.errors import ValidationFailed
from services.shared.validation import load
from services.tickets.directory import naming
from services.tickets.store import Store


@pytest.fixture
def directory(db):
    db.employees.insert_many([{"_id": "e1", "account_id": "a", "name": "Ольга Диспетчер"},
                              {"_id": "e2", "account_id": "b", "name": "Чужой сотрудник"}])
    db.groups.insert_one({"_id": "g1", "account_id": "a", "name": "Выездные"})
    db.clients.insert_one({"_id": "c1", "account_id": "a", "name": "ТЦ Радуга"})
    db.contacts.insert_one({"_id": "p1", "account_id": "a", "client_id": "c1", "name": "Анна"})
    db.sites.insert_one({"_id": "s1", "account_id": "a", "client_id": "c1", "name": "Корпус 1"})
    db.equipment.insert_many([
        {"_id": "q1", "account_id": "a", "manufacturer": "PERCo", "model": "TTR-10",
         "serial_number": "SN-1"},
        {"_id": "q2", "account_id": "a", "manufacturer": "PERCo", "model": "KT-1",
         "serial_number": None}])
    return Store(db)


def test_every_kind_is_named_in_one_call(directory):
    query = load(naming.NamesQuerySchema(), {
        "employees": ["e1"], "groups": ["g1"], "clients": ["c1"], "contacts": ["p1"],
        "sites": ["s1"], "equipment": ["q1", "q2"]})
    assert naming.names_of(directory, "a", query) == {
        "employees": {"e1": "Ольга Диспетчер"}, "groups": {"g1": "Выездные"},
        "clients": {"c1": "ТЦ Радуга"}, "contacts": {"p1": "Анна"}, "sites": {"s1": "Корпус 1"},
        "equipment": {"q1": "PERCo TTR-10 (SN-1)", "q2": "PERCo KT-1"}}


def test_another_accounts_and_unknown_ids_are_left_out(directory):
    query = load(naming.NamesQuerySchema(), {"employees": ["e1", "e2", "nobody"]})
    found = naming.names_of(directory, "a", query)
    assert found["employees"] == {"e1": "Ольга Диспетчер"}
    assert found["clients"] == {} and found["equipment"] == {}


def test_a_query_is_bounded_per_kind():
    with pytest.raises(ValidationFailed) as refused:
        load(naming.NamesQuerySchema(), {"employees": [f"e{i}" for i in range(naming.MAX_IDS + 1)]})
    assert set(refused.value.fields) == {"employees"}
