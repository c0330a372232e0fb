"""Who may do what: the permission matrix (docs/security.md shows it as a table).

Employees get permissions from their roles; client contacts and the installation owner get fixed
sets. Every entrypoint names the permission it needs; the store then scopes the data.
"""
from services.shared.errors import Forbidden

ROLES = ("admin", "dispatcher", "agent", "field_engineer")

ALL_EMPLOYEES = frozenset(ROLES)
OFFICE = frozenset({"admin", "dispatcher", "agent"})
MANAGERS = frozenset({"admin", "dispatcher"})
ADMINS = frozenset({"admin"})

# permission -> employee roles that hold it
EMPLOYEE_PERMISSIONS = {
    "tickets.read": ALL_EMPLOYEES,
    "tickets.create": ALL_EMPLOYEES,
    "tickets.comment": ALL_EMPLOYEES,
    "tickets.change_status": ALL_EMPLOYEES,
    "tickets.update": OFFICE,
    "tickets.works": ALL_EMPLOYEES,        # paid one-off works recorded on a ticket
    "directory.read": ALL_EMPLOYEES,       # employees, groups, clients, contacts
    "clients.manage": MANAGERS,
    "employees.manage": ADMINS,
    "groups.manage": ADMINS,
    "account.read": ALL_EMPLOYEES,
    "account.manage": ADMINS,             # settings, service levels, price list, coverage policy
    "tokens.own": ALL_EMPLOYEES,           # one's own API tokens
    "tokens.any": ADMINS,                  # everybody's tokens in the account
    "passwords.reset": ADMINS,             # issue reset tokens to people
    "audit.read": ADMINS,
    "sla.report": MANAGERS,               # SLA compliance of everybody's tickets
    "sla.notifications": ALL_EMPLOYEES,    # the notices of the `notify` escalation
}
CONTACT_PERMISSIONS = frozenset({"tickets.read", "tickets.create", "tickets.comment"})
OWNER_PERMISSIONS = frozenset({"accounts.manage"})


def allowed(actor, permission):
    if actor.kind == "owner":
        return permission in OWNER_PERMISSIONS
    if actor.kind == "contact":
        return permission in CONTACT_PERMISSIONS
    if actor.kind == "employee":
        return bool(EMPLOYEE_PERMISSIONS.get(permission, frozenset()) & set(actor.roles))
    return False


def require(actor, permission):
    if not allowed(actor, permission):
        raise Forbidden(f"This needs the permission '{permission}'.", {"permission": permission})
