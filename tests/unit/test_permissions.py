"""services/tickets/permissions.py: the whole permission matrix, actor kind by actor kind.

The expected table is written out here, independently of the module's constants, so that a
permission quietly granted to (or taken from) anybody fails a test.
"""
import pytest

from services.shared.actor import Actor
from services.shared.errors import Forbidden
from services.tickets import permissions
from services.tickets.permissions import allowed, require

COLUMNS = ("admin", "dispatcher", "agent", "field_engineer", "contact", "owner", "system")

# permission -> who holds it, in COLUMNS order
MATRIX = {
    #                        admin  disp   agent  field  contact owner  system
    "tickets.read":          (True, True, True, True, True, False, False),
    "tickets.create":        (True, True, True, True, True, False, False),
    "tickets.comment":       (True, True, True, True, True, False, False),
    "tickets.change_status": (True, True, True, True, False, False, False),
    "tickets.update":        (True, True, True, False, False, False, False),
    "tickets.works":         (True, True, True, True, False, False, False),
    "directory.read":        (True, True, True, True, False, False, False),
    "clients.manage":        (True, True, False, False, False, False, False),
    "employees.manage":      (True, False, False, False, False, False, False),
    "groups.manage":         (True, False, False, False, False, False, False),
    "account.read":          (True, True, True, True, False, False, False),
    "account.manage":        (True, False, False, False, False, False, False),
    "tokens.own":            (True, True, True, True, False, False, False),
    "tokens.any":            (True, False, False, False, False, False, False),
    "passwords.reset":       (True, False, False, False, False, False, False),
    "audit.read":            (True, False, False, False, False, False, False),
    "sla.report":            (True, True, False, False, False, False, False),
    "sla.notifications":     (True, True, True, True, False, False, False),
    "accounts.manage":       (False, False, False, False, False, True, False),
}


def actor_for(column, account_id="acc-1"):
    if column in permissions.ROLES:
        return Actor(account_id=account_id, kind="employee", id="emp-1", roles=(column,))
    if column == "contact":
        return Actor(account_id=account_id, kind="contact", id="con-1", client_id="client-1",
                     client_scope="company")
    if column == "owner":
        return Actor(account_id=None, kind="owner", id="owner")
    return Actor(account_id=account_id, kind=column, id=column)


CASES = [(permission, column, holds)
         for permission, row in MATRIX.items()
         for column, holds in zip(COLUMNS, row)]


def test_the_table_covers_every_permission_and_role_the_module_knows():
    known = (set(permissions.EMPLOYEE_PERMISSIONS) | permissions.CONTACT_PERMISSIONS
             | permissions.OWNER_PERMISSIONS)
    assert set(MATRIX) == known
    assert set(permissions.ROLES) == set(COLUMNS[:4])


@pytest.mark.parametrize("permission,column,holds", CASES,
                         ids=[f"{p}-{c}" for p, c, _ in CASES])
def test_matrix(permission, column, holds):
    assert allowed(actor_for(column), permission) is holds


@pytest.mark.parametrize("permission,column,holds", CASES,
                         ids=[f"{p}-{c}" for p, c, _ in CASES])
def test_require_follows_the_matrix(permission, column, holds):
    actor = actor_for(column)
    if holds:
        assert require(actor, permission) is None
    else:
        with pytest.raises(Forbidden) as caught:
            require(actor, permission)
        assert permission in caught.value.detail
        assert caught.value.extra == {"permission": permission}


@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_an_employee_without_roles_holds_nothing(permission):
    nobody = Actor(account_id="acc-1", kind="employee", id="emp-1", roles=())
    assert not allowed(nobody, permission)


@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_a_partner_link_holds_nothing(permission):
    assert not allowed(actor_for("partner_link"), permission)


@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_several_roles_hold_the_union_of_their_permissions(permission):
    roles = ("field_engineer", "dispatcher")
    both = Actor(account_id="acc-1", kind="employee", id="emp-1", roles=roles)
    expected = any(MATRIX[permission][COLUMNS.index(role)] for role in roles)
    assert allowed(both, permission) is expected


@pytest.mark.parametrize("column", COLUMNS)
def test_an_unknown_permission_is_refused_to_everybody(column):
    assert not allowed(actor_for(column), "tickets.delete")


def test_an_unknown_role_grants_nothing():
    stranger = Actor(account_id="acc-1", kind="employee", id="emp-1", roles=("superuser",))
    assert not any(allowed(stranger, permission) for permission in MATRIX)


def test_a_contacts_permissions_do_not_depend_on_its_scope():
    # The store scopes tickets by client_scope; the matrix never widens for any scope.
    for scope in ("none", "own", "company"):
        contact = Actor(account_id="acc-1", kind="contact", id="con-1", client_id="c",
                        client_scope=scope)
        held = {p for p in MATRIX if allowed(contact, p)}
        assert held == {"tickets.read", "tickets.create", "tickets.comment"}
