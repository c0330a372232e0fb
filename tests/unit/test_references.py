"""services/tickets/tickets/references.py: a ticket's client, contact and assignee, checked
within the account."""
import pytest

from services.shared.errors import ValidationFailed
from services.tickets.tickets.references import check_references
from tests.unit.test_directory_support import directory, world  # noqa: F401


class Refs:
    """Account A with two clients (each with a contact) and two employees; account B alike."""

    def __init__(self, world):
        self.d = world.d
        self.a, self.b = world.account(), world.account()
        self.client = world.client(self.a)
        self.contact = world.contact(self.a, self.client, password=None)
        self.second_client = world.client(self.a)
        self.second_contact = world.contact(self.a, self.second_client, password=None)
        self.engineer = world.employee(self.a, roles=("field_engineer",), password=None)
        self.former = world.employee(self.a, password=None)
        self.d.employees.update(self.a["_id"], self.former["_id"], {"active": False})
        self.foreign_client = world.client(self.b)
        self.foreign_contact = world.contact(self.b, self.foreign_client, password=None)
        self.foreign_employee = world.employee(self.b, password=None)

    def check(self, current=None, **data):
        return check_references(self.d, self.a["_id"], data, current)

    def refused(self, current=None, **data):
        with pytest.raises(ValidationFailed) as caught:
            self.check(current, **data)
        return caught.value.fields


@pytest.fixture
def refs(world):
    return Refs(world)


def test_own_references_pass_unchanged(refs):
    data = dict(title="Не работает турникет", client_id=refs.client["_id"],
                contact_id=refs.contact["_id"], assignee_id=refs.engineer["_id"])
    assert refs.check(**data) == data


def test_nothing_to_check(refs):
    assert refs.check(title="x") == {"title": "x"}
    assert refs.check(client_id=None, contact_id=None, assignee_id=None) == {
        "client_id": None, "contact_id": None, "assignee_id": None}


def test_a_contact_brings_its_client(refs):
    assert refs.check(contact_id=refs.contact["_id"]) == {
        "contact_id": refs.contact["_id"], "client_id": refs.client["_id"]}


def test_the_given_data_is_not_changed_in_place(refs):
    data = {"contact_id": refs.contact["_id"]}
    check_references(refs.d, refs.a["_id"], data)
    assert data == {"contact_id": refs.contact["_id"]}


@pytest.mark.parametrize("field,attribute", [
    ("client_id", "foreign_client"),
    ("contact_id", "foreign_contact"),
    ("assignee_id", "foreign_employee"),
    ("assignee_id", "former"),
])
def test_references_outside_the_account_or_inactive_are_refused(refs, field, attribute):
    fields = refs.refused(**{field: getattr(refs, attribute)["_id"]})
    assert list(fields) == [field]


@pytest.mark.parametrize("field", ["client_id", "contact_id", "assignee_id"])
def test_unknown_ids_are_refused(refs, field):
    assert list(refs.refused(**{field: "no-such-id"})) == [field]


def test_messages_give_no_hint_the_other_accounts_record_exists(refs):
    for field, attribute in (("client_id", "foreign_client"), ("contact_id", "foreign_contact"),
                             ("assignee_id", "foreign_employee")):
        foreign = refs.refused(**{field: getattr(refs, attribute)["_id"]})
        unknown = refs.refused(**{field: "no-such-id"})
        assert foreign[field][0].replace(getattr(refs, attribute)["_id"], "ID") == \
            unknown[field][0].replace("no-such-id", "ID")


def test_a_contact_of_another_client_is_refused(refs):
    fields = refs.refused(client_id=refs.client["_id"], contact_id=refs.second_contact["_id"])
    assert fields == {"contact_id": ["This contact works for another client."]}


def test_a_new_contact_must_work_for_the_tickets_client(refs):
    current = {"client_id": refs.client["_id"], "contact_id": refs.contact["_id"]}
    assert list(refs.refused(current, contact_id=refs.second_contact["_id"])) == ["contact_id"]
    assert refs.check(current, contact_id=refs.contact["_id"]) == {
        "contact_id": refs.contact["_id"], "client_id": refs.client["_id"]}


def test_client_and_contact_may_change_together(refs):
    current = {"client_id": refs.client["_id"], "contact_id": refs.contact["_id"]}
    changes = {"client_id": refs.second_client["_id"], "contact_id": refs.second_contact["_id"]}
    assert refs.check(current, **changes) == changes


@pytest.mark.parametrize("new_client", ["second_client", None], ids=["other-client", "no-client"])
def test_changing_the_client_alone_cannot_keep_the_old_clients_contact(refs, new_client):
    """A change of client alone would leave the ticket with a contact of another company (or
    with a contact and no company); the docstring of check_references promises that a contact
    of another client than the one given is refused."""
    current = {"client_id": refs.client["_id"], "contact_id": refs.contact["_id"]}
    client_id = getattr(refs, new_client)["_id"] if new_client else None
    fields = refs.refused(current, client_id=client_id)
    assert list(fields) == ["client_id"], "the field the caller changed is the one named"


def test_changing_the_client_and_dropping_the_contact_is_fine(refs):
    current = {"client_id": refs.client["_id"], "contact_id": refs.contact["_id"]}
    changes = {"client_id": refs.second_client["_id"], "contact_id": None}
    assert refs.check(current, **changes) == changes


def test_a_foreign_client_is_refused_before_its_contact_is_looked_at(refs):
    fields = refs.refused(client_id=refs.foreign_client["_id"],
                          contact_id=refs.foreign_contact["_id"])
    assert list(fields) == ["client_id"]
