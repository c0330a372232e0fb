"""/api/v1/equipment-kinds and /api/v1/equipment: the equipment registry."""
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from services.shared.page_schemas import PageQuerySchema as ListQuerySchema
from gateway.labels import intake_link, render
from gateway.partial_updates import patching, replace_patched, replacing
from services.tickets.schemas import (EquipmentHistorySchema, EquipmentKindSchema, EquipmentKindWriteSchema,
                                      EquipmentQuerySchema, EquipmentSchema, EquipmentWriteSchema,
                                      PageQuerySchema, page_of)

blp = Blueprint("equipment", __name__, url_prefix="/api/v1",
                description="Equipment kinds and items: serials, warranty, status, history.")
KIND, ITEM, QUERY, PAGE = (EquipmentKindWriteSchema(), EquipmentWriteSchema(),
                           EquipmentQuerySchema(), PageQuerySchema())
ITEM_REPLACE, ITEM_PATCH = replacing(EquipmentWriteSchema), patching(EquipmentWriteSchema)
LIST = ListQuerySchema()


@blp.route("/equipment-kinds")
class EquipmentKinds(MethodView):
    @blp.arguments(ListQuerySchema, location="query")
    @blp.response(200, page_of(EquipmentKindSchema))
    def get(self, query):
        """The account's catalog of equipment kinds, by name."""
        return respond_page(call("tickets", "list_equipment_kinds", schema=LIST, data=query), query)

    @blp.arguments(EquipmentKindWriteSchema)
    @blp.response(201, EquipmentKindSchema)
    def post(self, data):
        """Add a kind (admins, dispatchers)."""
        return respond(call("tickets", "create_equipment_kind", schema=KIND, data=data), 201)


@blp.route("/equipment")
class Equipment(MethodView):
    @blp.arguments(EquipmentQuerySchema, location="query")
    @blp.response(200, page_of(EquipmentSchema))
    def get(self, query):
        """Equipment by client, site, kind or status; `q` searches make, model and numbers."""
        return respond_page(call("tickets", "list_equipment", schema=QUERY, data=query), query)

    @blp.arguments(EquipmentWriteSchema)
    @blp.response(201, EquipmentSchema)
    def post(self, data):
        """Register an item at a site; serials are unique per manufacturer (409 otherwise)."""
        return respond(call("tickets", "create_equipment", schema=ITEM, data=data), 201)


@blp.route("/equipment/<string:equipment_id>")
class EquipmentItem(MethodView):
    @blp.response(200, EquipmentSchema)
    def get(self, equipment_id):
        """One item."""
        return respond(call("tickets", "get_equipment", equipment_id))

    @blp.arguments(ITEM_REPLACE)
    @blp.response(200, EquipmentSchema)
    def put(self, data, equipment_id):
        """Replace an item's details, or move it to another site: every field is required (PATCH
        changes some)."""
        return respond(call("tickets", "replace_equipment", equipment_id, schema=ITEM, data=data))

    @blp.arguments(ITEM_PATCH)
    @blp.response(200, EquipmentSchema)
    def patch(self, changes, equipment_id):
        """Change some of an item's fields (its status, say); the others stay as they are."""
        return respond(replace_patched("tickets", "get_equipment", "replace_equipment",
                                       (equipment_id,), changes, ITEM_PATCH, ITEM))


@blp.route("/equipment/<string:equipment_id>/history")
class EquipmentHistory(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, EquipmentHistorySchema)
    def get(self, query, equipment_id):
        """Tickets on the item, newest first, and its planned works."""
        data = {k: v for k, v in PAGE.dump(query).items() if k in ("limit", "cursor")}
        return respond_page(call("tickets", "equipment_history", equipment_id, data), query)


@blp.route("/equipment/<string:equipment_id>/label.<any(png, svg):kind>")
class EquipmentLabel(MethodView):
    @blp.response(200, content_type="image/png",
                  description="A QR code that links to the item's intake page (PNG or SVG).")
    def get(self, equipment_id, kind):
        """The item's QR label: print it and stick it on the device."""
        item = call("tickets", "get_equipment", equipment_id)
        body, mimetype = render(intake_link(item["public_code"]), kind)
        return Response(body, mimetype=mimetype, headers={
            "Content-Disposition": f'inline; filename="label-{equipment_id}.{kind}"'})


@blp.route("/equipment/<string:equipment_id>/rotate-code")
class EquipmentCodeRotation(MethodView):
    @blp.response(200, EquipmentSchema)
    def post(self, equipment_id):
        """Give the item a new code: the old label stops working at once (reprint it)."""
        return respond(call("tickets", "rotate_equipment_code", equipment_id))
