"""Employees and groups."""
from nameko.rpc import rpc

from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.directory.hashing import hash_password
from services.tickets.directory.schemas import (EmployeeCreateSchema, EmployeeSchema,
                                                EmployeeUpdateSchema, GroupSchema, GroupWriteSchema,
                                                PageQuerySchema)
from services.tickets.guard import Guard

EMPLOYEE, EMPLOYEES = EmployeeSchema(), EmployeeSchema(many=True)
GROUP, GROUPS = GroupSchema(), GroupSchema(many=True)
CREATE, UPDATE, GROUP_WRITE = EmployeeCreateSchema(), EmployeeUpdateSchema(), GroupWriteSchema()
PAGE = PageQuerySchema()
PAGE_QUERY = CursorPageQuerySchema()


class PeopleEntrypoints(Guard):
    def _dump(self, actor, employee):
        return EMPLOYEE.dump(self.store.employees.with_groups(actor.account_id, [employee])[0])

    @rpc(expected_exceptions=EXPECTED)
    def list_employees(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.employees.list(actor.account_id, load(PAGE, query))
        docs = self.store.employees.with_groups(actor.account_id, docs)
        return {"items": EMPLOYEES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_employee(self, actor, employee_id):
        actor = self.authorized(actor, "directory.read")
        return self._dump(actor, self.store.employees.get(actor.account_id, str(employee_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_employee(self, actor, data):
        actor = self.authorized(actor, "employees.manage")
        data = load(CREATE, data)
        password = data.pop("password", None)
        employee = self.store.employees.create(
            actor.account_id, data, password_hash=hash_password(password) if password else None)
        self.store.audit.record(actor, "employee.created", "employee", employee["_id"],
                                roles=employee["roles"])
        return self._dump(actor, employee)

    @rpc(expected_exceptions=EXPECTED)
    def update_employee(self, actor, employee_id, changes):
        actor = self.authorized(actor, "employees.manage")
        changes = load(UPDATE, changes)
        before = self.store.employees.get(actor.account_id, str(employee_id))
        self.store.employees.keep_an_admin(actor.account_id, before, changes)
        employee = self.store.employees.update(actor.account_id, before["_id"], changes)
        details = {"fields": sorted(changes)}
        if "roles" in changes:
            details.update(old_roles=before["roles"], new_roles=employee["roles"])
        action = "employee.deactivated" if changes.get("active") is False else "employee.updated"
        self.store.audit.record(actor, action, "employee", employee["_id"], **details)
        return self._dump(actor, employee)

    @rpc(expected_exceptions=EXPECTED)
    def list_groups(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.groups.list(actor.account_id, load(PAGE_QUERY, query))
        return {"items": GROUPS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_group(self, actor, group_id):
        actor = self.authorized(actor, "directory.read")
        return GROUP.dump(self.store.groups.get(actor.account_id, str(group_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_group(self, actor, data):
        actor = self.authorized(actor, "groups.manage")
        data = load(GROUP_WRITE, data)
        self.store.employees.require_active(actor.account_id, data["member_ids"], "member_ids")
        group = self.store.groups.create(actor.account_id, data)
        self.store.audit.record(actor, "group.created", "group", group["_id"],
                                member_ids=group["member_ids"])
        return GROUP.dump(group)

    @rpc(expected_exceptions=EXPECTED)
    def replace_group(self, actor, group_id, data):
        actor = self.authorized(actor, "groups.manage")
        data = load(GROUP_WRITE, data)
        self.store.employees.require_active(actor.account_id, data["member_ids"], "member_ids")
        group = self.store.groups.replace(actor.account_id, str(group_id), data)
        self.store.audit.record(actor, "group.updated", "group", group["_id"],
                                member_ids=group["member_ids"])
        return GROUP.dump(group)
