"""services/shared/actor.py: the actor that crosses the bus is rebuilt strictly or refused."""
import pytest

from services.shared.actor import Actor
from services.shared.errors import Forbidden


def employee_dict(**overrides):
    data = {"account_id": "acc-1", "kind": "employee", "id": "emp-1", "roles": ["dispatcher"]}
    data.update(overrides)
    return data


def contact_dict(**overrides):
    data = {"account_id": "acc-1", "kind": "contact", "id": "con-1", "roles": [],
            "client_id": "client-1", "client_scope": "own", "credential_id": "cred-1",
            "client_category": "gold", "service_levels": ["level-1", "level-2"]}
    data.update(overrides)
    return data


def without(data, key):
    return {k: v for k, v in data.items() if k != key}


def test_employee_from_dict():
    actor = Actor.from_dict(employee_dict())
    assert actor == Actor(account_id="acc-1", kind="employee", id="emp-1", roles=("dispatcher",))
    assert not actor.is_contact
    assert actor.as_reference() == {"kind": "employee", "id": "emp-1"}


@pytest.mark.parametrize("scope", ["none", "own", "company"])
def test_contact_from_dict(scope):
    actor = Actor.from_dict(contact_dict(client_scope=scope))
    assert actor.is_contact and actor.client_id == "client-1" and actor.client_scope == scope
    assert actor.client_category == "gold" and actor.service_levels == ("level-1", "level-2")


@pytest.mark.parametrize("kind", ["employee", "contact", "partner_link", "system"])
def test_to_dict_round_trip(kind):
    source = contact_dict(kind=kind, roles=["a", "b"])
    actor = Actor.from_dict(source)
    data = actor.to_dict()
    assert data == source
    assert Actor.from_dict(data) == actor


def test_missing_roles_become_an_empty_tuple():
    assert Actor.from_dict(without(employee_dict(), "roles")).roles == ()


@pytest.mark.parametrize("data", [
    without(employee_dict(), "account_id"),
    without(employee_dict(), "id"),
    employee_dict(account_id=""),
    employee_dict(id=""),
    employee_dict(account_id=None),
    employee_dict(account_id=42),
    employee_dict(id=["emp-1"]),
], ids=["no-account", "no-id", "empty-account", "empty-id", "none-account", "int-account",
        "list-id"])
def test_missing_account_or_identity_is_refused(data):
    with pytest.raises(Forbidden):
        Actor.from_dict(data)


@pytest.mark.parametrize("kind", ["admin", "", None, "Employee"])
def test_unknown_kind_is_refused(kind):
    with pytest.raises(Forbidden, match="kind"):
        Actor.from_dict(employee_dict(kind=kind))


@pytest.mark.parametrize("data", [
    without(contact_dict(), "client_id"),
    contact_dict(client_id=""),
    contact_dict(client_id=None),
    without(contact_dict(), "client_scope"),
    contact_dict(client_scope="everything"),
    contact_dict(client_scope=None),
], ids=["no-client", "empty-client", "none-client", "no-scope", "bad-scope", "none-scope"])
def test_contact_without_client_or_with_bad_scope_is_refused(data):
    with pytest.raises(Forbidden):
        Actor.from_dict(data)


@pytest.mark.parametrize("data", [None, "acc-1", ["acc-1", "employee", "emp-1"]])
def test_non_dict_is_refused(data):
    with pytest.raises(Forbidden):
        Actor.from_dict(data)
