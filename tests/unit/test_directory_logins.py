"""One e-mail signs in one person per account (services/tickets/store/people.py LoginRegistry,
used by EmployeeStore and ContactStore), and the same e-mail in another account is another login."""
import pytest

from services.shared.errors import Conflict
from services.tickets.directory.authentication import login
from services.tickets.directory.logins import portal_login
from tests.unit.test_directory_support import PASSWORD, directory, world  # noqa: F401

EMAIL = "ivan@example.ru"


@pytest.fixture
def account(world):
    return world.account()


def owner(world, account, email=EMAIL):
    return world.d.logins.find(account["_id"], email)


def counts(world):
    return (world.d.employees.employees.count_documents({}),
            world.d.contacts.contacts.count_documents({}),
            world.d.logins.logins.count_documents({}))


def employee_with_the_email(world, account, email):
    return world.employee(account, email=email, password=None)


def contact_with_the_email(world, account, email):
    return world.contact(account, world.client(account), emails=[email, "other@example.ru"],
                         password=None)


MAKERS = {"employee": employee_with_the_email, "contact": contact_with_the_email}


@pytest.mark.parametrize("first", sorted(MAKERS))
@pytest.mark.parametrize("second", sorted(MAKERS))
def test_a_second_person_cannot_take_a_login(world, account, first, second):
    holder = MAKERS[first](world, account, EMAIL)
    before = counts(world)
    with pytest.raises(Conflict) as caught:
        MAKERS[second](world, account, EMAIL.upper())   # e-mails compare lowercased
    assert caught.value.extra == {"field": "email"}
    assert owner(world, account)["id"] == holder["_id"]
    # Nothing half-written: neither the refused person nor a login of theirs was stored.
    assert counts(world) == before


def test_the_same_email_in_two_accounts_is_two_logins(world, account):
    other = world.account()
    mine = world.employee(account, email=EMAIL)
    theirs = world.contact(other, world.client(other), emails=[EMAIL])
    assert owner(world, account) == {"_id": f"{account['_id']}:{EMAIL}", "kind": "employee",
                                     "id": mine["_id"]}
    assert owner(world, other)["id"] == theirs["_id"]
    # Each account's login signs in its own person.
    assert login(world.d, account["slug"], EMAIL, PASSWORD)[2].id == mine["_id"]
    assert login(world.d, other["slug"], EMAIL, PASSWORD)[2].id == theirs["_id"]


def test_a_contact_without_portal_access_claims_no_login(world, account):
    world.employee(account, email=EMAIL, password=None)
    client = world.client(account)
    contact = world.contact(account, client, portal_access="none", emails=[EMAIL], password=None)
    assert contact["emails"] == [EMAIL]
    assert owner(world, account)["kind"] == "employee"


def test_only_the_first_email_of_a_contact_is_its_login(world, account):
    contact = world.contact(account, world.client(account), emails=["first@c.ru", EMAIL])
    assert owner(world, account, "first@c.ru")["id"] == contact["_id"]
    assert owner(world, account) is None
    world.employee(account, email=EMAIL, password=None)   # free for somebody else


@pytest.mark.parametrize("contact,login", [
    ({"portal_access": "own", "emails": ["a@c.ru", "b@c.ru"]}, "a@c.ru"),
    ({"portal_access": "company", "emails": ["a@c.ru"]}, "a@c.ru"),
    ({"portal_access": "none", "emails": ["a@c.ru"]}, None),
    ({"portal_access": "own", "emails": []}, None),
    ({"emails": ["a@c.ru"]}, None),
])
def test_portal_login(contact, login):
    assert portal_login(contact) == login


def test_changing_an_employees_email_frees_the_old_one(world, account):
    ivan = world.employee(account, email=EMAIL, password=None)
    world.d.employees.update(account["_id"], ivan["_id"], {"email": "ivan.petrov@example.ru"})
    assert owner(world, account) is None
    assert owner(world, account, "ivan.petrov@example.ru")["id"] == ivan["_id"]
    newcomer = world.employee(account, email=EMAIL, password=None)
    assert owner(world, account)["id"] == newcomer["_id"]


def test_an_employee_may_keep_the_email_it_has(world, account):
    ivan = world.employee(account, email=EMAIL, password=None)
    updated = world.d.employees.update(account["_id"], ivan["_id"],
                                       {"email": EMAIL, "name": "Иван"})
    assert updated["name"] == "Иван" and owner(world, account)["id"] == ivan["_id"]


def test_an_employee_cannot_move_to_a_taken_email(world, account):
    world.employee(account, email=EMAIL, password=None)
    petr = world.employee(account, email="petr@example.ru", password=None)
    with pytest.raises(Conflict):
        world.d.employees.update(account["_id"], petr["_id"], {"email": EMAIL})
    assert world.d.employees.get(account["_id"], petr["_id"])["email"] == "petr@example.ru"
    assert owner(world, account, "petr@example.ru")["id"] == petr["_id"]


def test_closing_and_reopening_a_contacts_portal(world, account):
    client = world.client(account)
    contact = world.contact(account, client, emails=[EMAIL], password=None)

    def replace(**changes):
        world.d.contacts.replace(account["_id"], client["_id"], contact["_id"],
                                 world.contact_data(contact, **changes))

    replace(portal_access="none")
    assert owner(world, account) is None
    replace(portal_access="company")
    assert owner(world, account)["id"] == contact["_id"]
    replace(emails=["new@client.ru"])
    assert owner(world, account) is None
    assert owner(world, account, "new@client.ru")["id"] == contact["_id"]


def test_a_contact_cannot_reopen_its_portal_on_a_taken_email(world, account):
    client = world.client(account)
    contact = world.contact(account, client, portal_access="none", emails=[EMAIL], password=None)
    world.employee(account, email=EMAIL, password=None)
    with pytest.raises(Conflict):
        world.d.contacts.replace(account["_id"], client["_id"], contact["_id"],
                                 world.contact_data(contact, portal_access="own"))
    assert world.d.contacts.get(account["_id"], contact["_id"])["portal_access"] == "none"
