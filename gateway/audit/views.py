"""/api/v1/audit: who did what, when, through which credential (admins)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond_page
from services.tickets.schemas import AuditPageSchema, AuditQuerySchema

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="The account's audit log, newest first.")
QUERY = AuditQuerySchema()


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Filter by action, actor, target and time; pages with `cursor`."""
        return respond_page(call("tickets", "list_audit", schema=QUERY, data=query), query)
