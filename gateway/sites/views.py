"""/api/v1/clients/{id}/sites: a client's sites (objects)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.tickets.schemas import PageQuerySchema, SiteSchema, SiteWriteSchema, page_of

blp = Blueprint("sites", __name__, url_prefix="/api/v1/clients/<string:client_id>/sites",
                description="Client sites: address, coordinates, time zone, access notes, contacts.")
SITE, PAGE = SiteWriteSchema(), PageQuerySchema()
SITE_REPLACE, SITE_PATCH = replacing(SiteWriteSchema), patching(SiteWriteSchema)


@blp.route("")
class Sites(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(SiteSchema))
    def get(self, query, client_id):
        """The client's sites, by name; `q` searches name and address."""
        return respond_page(call("tickets", "list_sites", client_id, schema=PAGE, data=query), query)

    @blp.arguments(SiteWriteSchema)
    @blp.response(201, SiteSchema)
    def post(self, data, client_id):
        """Add a site (admins, dispatchers)."""
        return respond(call("tickets", "create_site", client_id, schema=SITE, data=data), 201)


@blp.route("/<string:site_id>")
class Site(MethodView):
    @blp.response(200, SiteSchema)
    def get(self, client_id, site_id):
        """One site."""
        return respond(call("tickets", "get_site", client_id, site_id))

    @blp.arguments(SITE_REPLACE)
    @blp.response(200, SiteSchema)
    def put(self, data, client_id, site_id):
        """Replace a site's details (admins, dispatchers): every field is required."""
        return respond(call("tickets", "replace_site", client_id, site_id, schema=SITE, data=data))

    @blp.arguments(SITE_PATCH)
    @blp.response(200, SiteSchema)
    def patch(self, changes, client_id, site_id):
        """Change some of a site's fields (admins, dispatchers)."""
        return respond(replace_patched("tickets", "get_site", "replace_site", (client_id, site_id),
                                       changes, SITE_PATCH, SITE))
