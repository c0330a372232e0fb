"""/api/v1/saved-views: the signed-in employee's own named filter sets of the ticket list, and
how many tickets each lists now (one call for all of them)."""
from flask import make_response
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond
from services.tickets.schemas import SavedViewCountsSchema, SavedViewSchema, SavedViewWriteSchema

blp = Blueprint("saved_views", __name__, url_prefix="/api/v1",
                description="Saved views of the ticket list, per employee.")
WRITE = SavedViewWriteSchema()


@blp.route("/saved-views")
class SavedViews(MethodView):
    @blp.response(200, SavedViewSchema(many=True))
    def get(self):
        """The signed-in employee's saved views, by name (nobody else's, admins' included)."""
        return respond(call("tickets", "list_saved_views")["items"])

    @blp.arguments(SavedViewWriteSchema)
    @blp.response(201, SavedViewSchema)
    def post(self, data):
        """Save a view: a name (unique per person) and the filters and sort of
        GET /api/v1/tickets."""
        return respond(call("tickets", "create_saved_view", schema=WRITE, data=data), 201)


@blp.route("/saved-views/counts")
class SavedViewCounts(MethodView):
    @blp.response(200, SavedViewCountsSchema)
    def get(self):
        """The employee's views, each with how many tickets it lists now."""
        return respond(call("tickets", "count_saved_views"))


@blp.route("/saved-views/<string:view_id>")
class SavedView(MethodView):
    @blp.response(200, SavedViewSchema)
    def get(self, view_id):
        """One of the employee's views; another person's is 404."""
        return respond(call("tickets", "get_saved_view", view_id))

    @blp.response(204)
    def delete(self, view_id):
        """Delete one of the employee's views."""
        call("tickets", "delete_saved_view", view_id)
        return make_response("", 204)
