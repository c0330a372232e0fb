"""/api/v1/accounts (the installation owner) and /api/v1/account (an account's own settings)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.schemas import (AccountCreatedSchema, AccountCreateSchema, AccountSchema,
                                      AccountUpdateSchema)

blp = Blueprint("accounts", __name__, url_prefix="/api/v1",
                description="Accounts (tenants): the owner creates them; admins edit their own.")
CREATE, UPDATE, PAGE = AccountCreateSchema(), AccountUpdateSchema(), PageQuerySchema()


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(AccountSchema))
    def get(self, query):
        """The installation's accounts by slug (installation owner only)."""
        return respond_page(call("tickets", "list_accounts", schema=PAGE, data=query), query)

    @blp.arguments(AccountCreateSchema)
    @blp.response(201, AccountCreatedSchema)
    def post(self, data):
        """Create an account with its first admin; the answer holds that admin's API token once."""
        return respond(call("tickets", "create_account", schema=CREATE, data=data), 201)


@blp.route("/accounts/<string:account_id>/deactivate")
class AccountDeactivation(MethodView):
    @blp.response(200, AccountSchema)
    def post(self, account_id):
        """Deactivate an account: every credential of it stops working at once."""
        return respond(call("tickets", "set_account_active", account_id, False))


@blp.route("/accounts/<string:account_id>/activate")
class AccountActivation(MethodView):
    @blp.response(200, AccountSchema)
    def post(self, account_id):
        """Activate an account again."""
        return respond(call("tickets", "set_account_active", account_id, True))


@blp.route("/account")
class OwnAccount(MethodView):
    @blp.response(200, AccountSchema)
    def get(self):
        """The caller's account."""
        return respond(call("tickets", "get_my_account"))

    @blp.arguments(AccountUpdateSchema)
    @blp.response(200, AccountSchema)
    def patch(self, changes):
        """Change the account's name, time zone, locale or settings (admins)."""
        return respond(call("tickets", "update_my_account", schema=UPDATE, data=changes))
