"""/api/v1/employees and /api/v1/groups."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.shared.page_schemas import PageQuerySchema as ListQuerySchema
from services.tickets.schemas import (EmployeeCreateSchema, EmployeePageSchema, EmployeeSchema,
                                                EmployeeUpdateSchema, GroupSchema, GroupWriteSchema,
                                                IssuedCredentialSchema, PageQuerySchema, page_of)

blp = Blueprint("people", __name__, url_prefix="/api/v1",
                description="Employees with their roles, and groups (teams).")
CREATE, UPDATE, GROUP, PAGE = (EmployeeCreateSchema(), EmployeeUpdateSchema(), GroupWriteSchema(),
                               PageQuerySchema())
GROUP_REPLACE, GROUP_PATCH = replacing(GroupWriteSchema), patching(GroupWriteSchema)
LIST = ListQuerySchema()


@blp.route("/employees")
class Employees(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, EmployeePageSchema)
    def get(self, query):
        """Employees, by name; `q` searches name, e-mail and phone."""
        return respond_page(call("tickets", "list_employees", schema=PAGE, data=query), query)

    @blp.arguments(EmployeeCreateSchema)
    @blp.response(201, EmployeeSchema)
    def post(self, data):
        """Add an employee (admins)."""
        return respond(call("tickets", "create_employee", schema=CREATE, data=data), 201)


@blp.route("/employees/<string:employee_id>")
class Employee(MethodView):
    @blp.response(200, EmployeeSchema)
    def get(self, employee_id):
        """One employee."""
        return respond(call("tickets", "get_employee", employee_id))

    @blp.arguments(EmployeeUpdateSchema)
    @blp.response(200, EmployeeSchema)
    def patch(self, changes, employee_id):
        """Change an employee; `active: false` stops their tokens and sessions at once (admins)."""
        return respond(call("tickets", "update_employee", employee_id, schema=UPDATE, data=changes))


@blp.route("/employees/<string:employee_id>/password-reset")
class EmployeePasswordReset(MethodView):
    @blp.response(201, IssuedCredentialSchema)
    def post(self, employee_id):
        """A one-time password reset token for the employee, valid 24 hours (admins)."""
        return respond(call("tickets", "issue_password_reset", "employee", employee_id), 201)


@blp.route("/groups")
class Groups(MethodView):
    @blp.arguments(ListQuerySchema, location="query")
    @blp.response(200, page_of(GroupSchema))
    def get(self, query):
        """Groups (teams) with their members, by name."""
        return respond_page(call("tickets", "list_groups", schema=LIST, data=query), query)

    @blp.arguments(GroupWriteSchema)
    @blp.response(201, GroupSchema)
    def post(self, data):
        """Create a group (admins)."""
        return respond(call("tickets", "create_group", schema=GROUP, data=data), 201)


@blp.route("/groups/<string:group_id>")
class Group(MethodView):
    @blp.response(200, GroupSchema)
    def get(self, group_id):
        """One group with its members."""
        return respond(call("tickets", "get_group", group_id))

    @blp.arguments(GROUP_REPLACE)
    @blp.response(200, GroupSchema)
    def put(self, data, group_id):
        """Rename a group and set its members (admins): every field is required."""
        return respond(call("tickets", "replace_group", group_id, schema=GROUP, data=data))

    @blp.arguments(GROUP_PATCH)
    @blp.response(200, GroupSchema)
    def patch(self, changes, group_id):
        """Rename a group, or set its members (admins)."""
        return respond(replace_patched("tickets", "get_group", "replace_group", (group_id,),
                                       changes, GROUP_PATCH, GROUP))
