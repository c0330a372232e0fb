"""/api/v1/billing: the account's 1C connection, matching, sync runs and their status, translated
into billing_sync RPC. Admins only (checked in the service)."""
from flask import make_response
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call as call_service
from gateway.calls import respond, respond_page
from gateway.partial_updates import patched, patching, replacing
from services.shared.page_schemas import PageQuerySchema
from services.billing_sync.schemas import (ClientPaymentsSchema, ConnectionCheckSchema,
                                           ConnectionPageSchema, ConnectionSchema,
                                           ConnectionWriteSchema, ExportJobSchema,
                                           ExportPageSchema, ExportQuerySchema, MappingSchema,
                                           MappingWriteSchema, RunPageSchema, RunQuerySchema,
                                           RunRequestSchema, RunSchema, StatusSchema,
                                           UnmatchedSchema)

blp = Blueprint("billing", __name__, url_prefix="/api/v1/billing",
                description="1C sync: connection, test connection, counterparty matching, runs.")

CONNECTION_WRITE, MAPPING_WRITE = ConnectionWriteSchema(), MappingWriteSchema()
LIST = PageQuerySchema()
RUN_QUERY, RUN_REQUEST, EXPORT_QUERY = RunQuerySchema(), RunRequestSchema(), ExportQuerySchema()
CONNECTION_REPLACE, CONNECTION_PATCH = replacing(ConnectionWriteSchema), patching(ConnectionWriteSchema)


def call(method, *args, **kwargs):
    return call_service("billing_sync", method, *args, **kwargs)


@blp.route("/connections")
class Connections(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ConnectionPageSchema)
    def get(self, query):
        """The account's 1C connection (at most one), without its password."""
        return respond_page(call("list_connections", schema=LIST, data=query), query)

    @blp.arguments(ConnectionWriteSchema)
    @blp.response(201, ConnectionSchema)
    def post(self, data):
        """Connect to 1C: OData root, user, password (stored sealed), profile, schedule."""
        # load_only keeps the password out of dumps; the service needs it, so it goes as given.
        return respond(call("create_connection", dict(CONNECTION_WRITE.dump(data),
                                                      password=data["password"])), 201)


@blp.route("/connections/<string:connection_id>")
class Connection(MethodView):
    @blp.response(200, ConnectionSchema)
    def get(self, connection_id):
        """One connection; `password_set` says whether a password is stored."""
        return respond(call("get_connection", connection_id))

    @blp.arguments(CONNECTION_REPLACE)
    @blp.response(200, ConnectionSchema)
    def put(self, data, connection_id):
        """Replace the connection: every field is required but the password (omitted, the stored
        one stays)."""
        return respond(call("replace_connection", connection_id,
                            dict(CONNECTION_WRITE.dump(data), password=data["password"])))

    @blp.arguments(CONNECTION_PATCH)
    @blp.response(200, ConnectionSchema)
    def patch(self, changes, connection_id):
        """Change some of the connection's fields (its schedule, say); the password stays unless
        given."""
        whole = patched(call("get_connection", connection_id), changes, CONNECTION_PATCH(),
                        CONNECTION_WRITE)
        return respond(call("replace_connection", connection_id,
                            dict(CONNECTION_WRITE.dump(whole), password=whole["password"])))

    @blp.response(204)
    def delete(self, connection_id):
        """Disconnect 1C (runs, mappings and snapshots stay as history)."""
        call("delete_connection", connection_id)
        return make_response("", 204)


@blp.route("/connections/<string:connection_id>/check")
class Check(MethodView):
    @blp.response(200, ConnectionCheckSchema)
    def post(self, connection_id):
        """Read $metadata and report which entities and fields the profile needs are missing."""
        return respond(call("check_connection", connection_id))


@blp.route("/connections/<string:connection_id>/unmatched")
class Unmatched(MethodView):
    @blp.response(200, UnmatchedSchema)
    def get(self, connection_id):
        """Clients without a counterparty and counterparties without a client, with reasons."""
        return respond(call("unmatched", connection_id))


@blp.route("/connections/<string:connection_id>/mappings/<string:client_id>")
class Mapping(MethodView):
    @blp.arguments(MappingWriteSchema)
    @blp.response(200, MappingSchema)
    def put(self, data, connection_id, client_id):
        """Map a client to a counterparty by hand (null: back to automatic); the next run applies it."""
        return respond(call("set_mapping", connection_id, client_id, schema=MAPPING_WRITE, data=data))

    @blp.arguments(MappingWriteSchema)
    @blp.response(200, MappingSchema)
    def patch(self, data, connection_id, client_id):
        """The same as PUT: the mapping's one field is the whole of it."""
        return respond(call("set_mapping", connection_id, client_id, schema=MAPPING_WRITE, data=data))


@blp.route("/connections/<string:connection_id>/runs")
class Runs(MethodView):
    @blp.arguments(RunQuerySchema, location="query")
    @blp.response(200, RunPageSchema)
    def get(self, query, connection_id):
        """Run history, newest first, with counts, duration and errors."""
        return respond_page(call("list_runs", connection_id, schema=RUN_QUERY, data=query), query)

    @blp.arguments(RunRequestSchema)
    @blp.response(202, RunSchema)
    def post(self, data, connection_id):
        """Run a sync now; answers the queued run (or the one already under way)."""
        return respond(call("run_sync", connection_id, schema=RUN_REQUEST, data=data), 202)


@blp.route("/connections/<string:connection_id>/status")
class Status(MethodView):
    @blp.response(200, StatusSchema)
    def get(self, connection_id):
        """Last run, last success, next scheduled run and every contract's payment state."""
        return respond(call("sync_status", connection_id))


@blp.route("/runs/<string:run_id>")
class Run(MethodView):
    @blp.response(200, RunSchema)
    def get(self, run_id):
        """One run."""
        return respond(call("get_run", run_id))


@blp.route("/clients/<string:client_id>/payments")
class ClientPayments(MethodView):
    @blp.response(200, ClientPaymentsSchema)
    def get(self, client_id):
        """A client's payments per month as 1C recorded them."""
        return respond(call("client_payments", client_id))


@blp.route("/exports")
class Exports(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, ExportPageSchema)
    def get(self, query):
        """Closed tickets' works on their way into 1C, newest first; `state=dead` lists what
        gave up, with the error."""
        return respond_page(call("list_exports", schema=EXPORT_QUERY, data=query), query)


@blp.route("/exports/<string:job_id>")
class Export(MethodView):
    @blp.response(200, ExportJobSchema)
    def get(self, job_id):
        """One export job with its 1C reference or its last error."""
        return respond(call("get_export", job_id))


@blp.route("/exports/<string:job_id>/replay")
class Replay(MethodView):
    @blp.response(200, ExportJobSchema)
    def post(self, job_id):
        """Send a dead job again (its idempotency key stays, so 1C still gets one document)."""
        return respond(call("replay_export", job_id))
