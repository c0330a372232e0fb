"""/api/v1/auth (login, logout, passwords) and /api/v1/tokens (API tokens)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, call_anonymous, respond, respond_page
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.schemas import (CredentialSchema, IssuedCredentialSchema,
                                                LoginSchema, PasswordChangeSchema,
                                                PasswordResetSchema, SessionSchema, TokenCreateSchema)

blp = Blueprint("sessions", __name__, url_prefix="/api/v1",
                description="Sign in and out, passwords, and API tokens.")
PAGE = PageQuerySchema()
LOGIN, CHANGE, RESET, TOKEN = (LoginSchema(), PasswordChangeSchema(), PasswordResetSchema(),
                               TokenCreateSchema())


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(201, SessionSchema)
    @blp.alt_response(429, description="Too many failed logins: the login is locked for a while.")
    def post(self, data):
        """Sign in with the account name, e-mail and password; answers a session bearer token
        (12 hours). After 5 failures in 15 minutes the login is locked for 15 minutes."""
        return respond(call_anonymous("tickets", "login", LOGIN.dump(data)), 201)


@blp.route("/auth/logout")
class Logout(MethodView):
    def post(self):
        """Revoke the token this request carries."""
        return respond(call("tickets", "logout"))


@blp.route("/auth/password")
class PasswordChange(MethodView):
    @blp.arguments(PasswordChangeSchema)
    def post(self, data):
        """Change one's own password; one's other sessions end."""
        return respond(call("tickets", "change_password", schema=CHANGE, data=data))


@blp.route("/auth/password-reset")
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetSchema)
    def post(self, data):
        """Set a new password with a reset token an admin issued; all sessions end."""
        return respond(call_anonymous("tickets", "redeem_password_reset", RESET.dump(data)))


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(CredentialSchema))
    def get(self, query):
        """API tokens, newest first: one's own, or the whole account's for admins. Secrets are
        never shown."""
        return respond_page(call("tickets", "list_tokens", schema=PAGE, data=query), query)

    @blp.arguments(TokenCreateSchema)
    @blp.response(201, IssuedCredentialSchema)
    def post(self, data):
        """Issue an API token; the secret is in this answer only."""
        return respond(call("tickets", "create_token", schema=TOKEN, data=data), 201)


@blp.route("/tokens/<string:token_id>")
class Token(MethodView):
    @blp.response(200, CredentialSchema)
    def delete(self, token_id):
        """Revoke an API token (one's own; admins any in the account)."""
        return respond(call("tickets", "revoke_token", token_id))
