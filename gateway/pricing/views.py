"""/api/v1/price-items and the paid works of a ticket (/api/v1/tickets/{id}/works)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.schemas import (PriceItemSchema, PriceItemWriteSchema, TicketSchema,
                                      WorkCreateSchema)

blp = Blueprint("pricing", __name__, url_prefix="/api/v1",
                description="The price list, and paid one-off works recorded on tickets.")
ITEM, WORK, LIST = PriceItemWriteSchema(), WorkCreateSchema(), PageQuerySchema()
ITEM_REPLACE, ITEM_PATCH = replacing(PriceItemWriteSchema), patching(PriceItemWriteSchema)


@blp.route("/price-items")
class PriceItems(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(PriceItemSchema))
    def get(self, query):
        """Works and services with their default price and prices per client category, by code."""
        return respond_page(call("tickets", "list_price_items", schema=LIST, data=query), query)

    @blp.arguments(PriceItemWriteSchema)
    @blp.response(201, PriceItemSchema)
    def post(self, data):
        """Add a work or service (admins)."""
        return respond(call("tickets", "create_price_item", schema=ITEM, data=data), 201)


@blp.route("/price-items/<string:item_id>")
class PriceItem(MethodView):
    @blp.response(200, PriceItemSchema)
    def get(self, item_id):
        """One price item."""
        return respond(call("tickets", "get_price_item", item_id))

    @blp.arguments(ITEM_REPLACE)
    @blp.response(200, PriceItemSchema)
    def put(self, data, item_id):
        """Replace a price item (admins): every field is required."""
        return respond(call("tickets", "replace_price_item", item_id, schema=ITEM, data=data))

    @blp.arguments(ITEM_PATCH)
    @blp.response(200, PriceItemSchema)
    def patch(self, changes, item_id):
        """Change some of a price item's fields, its price say (admins)."""
        return respond(replace_patched("tickets", "get_price_item", "replace_price_item",
                                       (item_id,), changes, ITEM_PATCH, ITEM))


@blp.route("/tickets/<string:ticket_id>/works")
class TicketWorks(MethodView):
    @blp.arguments(WorkCreateSchema)
    @blp.response(201, TicketSchema)
    def post(self, data, ticket_id):
        """Record a paid work: price from the client's category, quantity, who did it."""
        return respond(call("tickets", "add_work", ticket_id, schema=WORK, data=data), 201)


@blp.route("/tickets/<string:ticket_id>/works/<string:work_id>")
class TicketWork(MethodView):
    @blp.response(200, TicketSchema)
    def delete(self, ticket_id, work_id):
        """Remove a work recorded by mistake; the total follows."""
        return respond(call("tickets", "remove_work", ticket_id, work_id))
