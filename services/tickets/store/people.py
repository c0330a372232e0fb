"""Employees, their groups (teams), and the logins people sign in with.

Membership lives in the group documents only; an employee's group_ids are read from them
(`with_groups`), so concurrent changes of groups cannot leave two copies disagreeing.
"""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page
from services.tickets.names import name_key
from services.tickets.store.listing import page
from services.tickets.store.records import RecordLookups

EMPLOYEE_TEXT = ("name", "email", "phone")


class LoginRegistry:
    """One e-mail logs one person (employee or contact) into one account."""

    def __init__(self, db):
        self.logins = db.logins

    @staticmethod
    def create_indexes(db):
        pass  # keyed by _id: account and e-mail

    @staticmethod
    def key(account_id, email):
        return f"{account_id}:{email}"

    def claim(self, account_id, email, person_ref):
        try:
            self.logins.insert_one({"_id": self.key(account_id, email), **person_ref})
        except DuplicateKeyError:
            owner = self.logins.find_one({"_id": self.key(account_id, email)})
            if owner and owner.get("id") == person_ref["id"]:
                return
            raise Conflict("This e-mail already signs somebody in to this account.",
                           {"field": "email"}) from None

    def release(self, account_id, email, person_ref):
        self.logins.delete_one({"_id": self.key(account_id, email), "id": person_ref["id"]})

    def find(self, account_id, email):
        return self.logins.find_one({"_id": self.key(account_id, email)})


class EmployeeStore(RecordLookups):
    collection = "employees"

    def __init__(self, db):
        self.employees = db.employees
        self.groups = db.groups
        self.logins = LoginRegistry(db)

    @staticmethod
    def create_indexes(db):
        db.employees.create_index([("account_id", 1), ("name_key", 1)])

    def create(self, account_id, data, password_hash=None):
        employee = {"_id": uuid.uuid4().hex, "account_id": account_id, "name": data["name"],
                    "name_key": name_key(data["name"]), "email": data["email"],
                    "phone": data.get("phone"), "roles": sorted(set(data["roles"])),
                    "active": True, "password_hash": password_hash,
                    "created_at": utcnow()}
        ref = {"kind": "employee", "id": employee["_id"]}
        self.logins.claim(account_id, employee["email"], ref)
        try:
            self.employees.insert_one(employee)
        except BaseException:
            self.logins.release(account_id, employee["email"], ref)
            raise
        return employee

    def get(self, account_id, employee_id):
        employee = self.employees.find_one({"_id": employee_id, "account_id": account_id})
        if employee is None:
            raise NotFound(f"No employee {employee_id}.")
        return employee

    def list(self, account_id, query):
        return page(self.employees, {"account_id": account_id}, query, EMPLOYEE_TEXT,
                    projection={"password_hash": 0})

    def update(self, account_id, employee_id, changes):
        current = self.get(account_id, employee_id)
        ref = {"kind": "employee", "id": employee_id}
        new_email = changes.get("email", current["email"])
        if new_email != current["email"]:
            self.logins.claim(account_id, new_email, ref)
        if "name" in changes:
            changes = dict(changes, name_key=name_key(changes["name"]))
        if "roles" in changes:
            changes = dict(changes, roles=sorted(set(changes["roles"])))
        # Applied only if nobody changed the e-mail meanwhile; the loser gives its claim back.
        applied = self.employees.update_one({"_id": employee_id, "email": current["email"]},
                                            {"$set": changes})
        if not applied.matched_count:
            if new_email != current["email"]:
                self.logins.release(account_id, new_email, ref)
            raise Conflict("The employee changed meanwhile; try again.", {"field": "email"})
        if new_email != current["email"]:
            self.logins.release(account_id, current["email"], ref)
        return self.get(account_id, employee_id)

    def with_groups(self, account_id, employees):
        """The employees with `group_ids` read from the groups, the one place membership lives."""
        ids = [e["_id"] for e in employees]
        member_of = {}
        for group in self.groups.find({"account_id": account_id, "member_ids": {"$in": ids}},
                                      {"member_ids": 1}):
            for member in group["member_ids"]:
                member_of.setdefault(member, []).append(group["_id"])
        return [dict(e, group_ids=sorted(member_of.get(e["_id"], []))) for e in employees]

    def keep_an_admin(self, account_id, employee, changes):
        """Refuse a change that would leave the account without an active admin: nobody, not
        even the installation owner, could manage it any more."""
        stays_admin = (changes.get("active", employee["active"])
                       and "admin" in changes.get("roles", employee["roles"]))
        if stays_admin or not (employee["active"] and "admin" in employee["roles"]):
            return
        others = self.employees.count_documents({"account_id": account_id, "active": True,
                                                 "roles": "admin", "_id": {"$ne": employee["_id"]}})
        if not others:
            raise Conflict("This is the account's last active admin.", {"field": "roles"})

    def set_password(self, account_id, employee_id, password_hash):
        self.employees.update_one({"_id": employee_id, "account_id": account_id},
                                  {"$set": {"password_hash": password_hash}})

    def require_active(self, account_id, employee_ids, field):
        """Raise ValidationFailed on `field` unless every id is an active employee of the account."""
        ids = set(employee_ids)
        found = {e["_id"] for e in self.employees.find(
            {"account_id": account_id, "_id": {"$in": list(ids)}, "active": True}, {"_id": 1})}
        missing = sorted(ids - found)
        if missing:
            raise ValidationFailed.from_fields({field: [f"No active employee {i}." for i in missing]})


class GroupStore(RecordLookups):
    collection = "groups"

    def __init__(self, db):
        self.groups = db.groups

    @staticmethod
    def create_indexes(db):
        db.groups.create_index([("account_id", 1), ("name_key", 1)], unique=True)

    def create(self, account_id, data):
        group = {"_id": uuid.uuid4().hex, "account_id": account_id, "name": data["name"],
                 "name_key": name_key(data["name"]), "member_ids": sorted(set(data["member_ids"])),
                 "created_at": utcnow()}
        try:
            self.groups.insert_one(group)
        except DuplicateKeyError:
            raise Conflict(f"A group named '{data['name']}' exists.", {"field": "name"}) from None
        return group

    def get(self, account_id, group_id):
        group = self.groups.find_one({"_id": group_id, "account_id": account_id})
        if group is None:
            raise NotFound(f"No group {group_id}.")
        return group

    def list(self, account_id, query):
        """A page of the account's groups by name: (groups, next cursor)."""
        return fetch_page(self.groups, {"account_id": account_id}, "name_key", False,
                          query.get("cursor"), query["limit"])

    def require(self, account_id, group_id, field):
        if not self.groups.find_one({"_id": group_id, "account_id": account_id}, {"_id": 1}):
            raise ValidationFailed.from_fields({field: [f"No group {group_id} in this account."]})

    def replace(self, account_id, group_id, data):
        self.get(account_id, group_id)
        members = sorted(set(data["member_ids"]))
        try:
            self.groups.update_one({"_id": group_id}, {"$set": {
                "name": data["name"], "name_key": name_key(data["name"]), "member_ids": members}})
        except DuplicateKeyError:
            raise Conflict(f"A group named '{data['name']}' exists.", {"field": "name"}) from None
        return self.get(account_id, group_id)
