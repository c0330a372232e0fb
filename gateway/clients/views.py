"""/api/v1/clients and their contacts."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.tickets.schemas import (ClientPageSchema, ClientSchema, ContactPageSchema, ClientWriteSchema, ContactSchema,
                                                ContactWriteSchema, IssuedCredentialSchema,
                                                PageQuerySchema)

blp = Blueprint("clients", __name__, url_prefix="/api/v1/clients",
                description="Client companies and their contacts.")
CLIENT, CONTACT, PAGE = ClientWriteSchema(), ContactWriteSchema(), PageQuerySchema()
CLIENT_REPLACE, CLIENT_PATCH = replacing(ClientWriteSchema), patching(ClientWriteSchema)
CONTACT_REPLACE, CONTACT_PATCH = replacing(ContactWriteSchema), patching(ContactWriteSchema)


@blp.route("")
class Clients(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ClientPageSchema)
    def get(self, query):
        """Client companies, by name; `q` searches name, legal name and INN."""
        return respond_page(call("tickets", "list_clients", schema=PAGE, data=query), query)

    @blp.arguments(ClientWriteSchema)
    @blp.response(201, ClientSchema)
    def post(self, data):
        """Add a client company (admins, dispatchers)."""
        return respond(call("tickets", "create_client", schema=CLIENT, data=data), 201)


@blp.route("/<string:client_id>")
class Client(MethodView):
    @blp.response(200, ClientSchema)
    def get(self, client_id):
        """One client company."""
        return respond(call("tickets", "get_client", client_id))

    @blp.arguments(CLIENT_REPLACE)
    @blp.response(200, ClientSchema)
    def put(self, data, client_id):
        """Replace a client company's details (admins, dispatchers): every field is required."""
        return respond(call("tickets", "replace_client", client_id, schema=CLIENT, data=data))

    @blp.arguments(CLIENT_PATCH)
    @blp.response(200, ClientSchema)
    def patch(self, changes, client_id):
        """Change some of a client company's fields (admins, dispatchers)."""
        return respond(replace_patched("tickets", "get_client", "replace_client", (client_id,),
                                       changes, CLIENT_PATCH, CLIENT))


@blp.route("/<string:client_id>/contacts")
class Contacts(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ContactPageSchema)
    def get(self, query, client_id):
        """The client's contacts; `q` searches name, phones, e-mails and position."""
        return respond_page(call("tickets", "list_contacts", client_id, schema=PAGE, data=query), query)

    @blp.arguments(ContactWriteSchema)
    @blp.response(201, ContactSchema)
    def post(self, data, client_id):
        """Add a contact; phones are stored in E.164 (8 (495) 123-45-67 -> +74951234567)."""
        return respond(call("tickets", "create_contact", client_id, schema=CONTACT, data=data), 201)


@blp.route("/<string:client_id>/contacts/<string:contact_id>")
class Contact(MethodView):
    @blp.response(200, ContactSchema)
    def get(self, client_id, contact_id):
        """One contact."""
        return respond(call("tickets", "get_contact", client_id, contact_id))

    @blp.arguments(CONTACT_REPLACE)
    @blp.response(200, ContactSchema)
    def put(self, data, client_id, contact_id):
        """Replace a contact, including their portal access: every field but `password` is
        required."""
        return respond(call("tickets", "replace_contact", client_id, contact_id, schema=CONTACT,
                            data=data))

    @blp.arguments(CONTACT_PATCH)
    @blp.response(200, ContactSchema)
    def patch(self, changes, client_id, contact_id):
        """Change some of a contact's fields."""
        return respond(replace_patched("tickets", "get_contact", "replace_contact",
                                       (client_id, contact_id), changes, CONTACT_PATCH, CONTACT))


@blp.route("/<string:client_id>/contacts/<string:contact_id>/password-reset")
class ContactPasswordReset(MethodView):
    @blp.response(201, IssuedCredentialSchema)
    def post(self, client_id, contact_id):
        """A one-time portal password reset token for the contact, valid 24 hours (admins)."""
        return respond(call("tickets", "issue_password_reset", "contact", contact_id, client_id), 201)
