"""/api/v1/service-levels, /api/v1/contracts and /api/v1/coverage."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.schemas import (ContractQuerySchema, ContractSchema, ContractWriteSchema, CoverageCheckSchema,
                                      CoveragePolicySchema, CoverageSchema, PaymentSchema,
                                      ServiceLevelSchema, ServiceLevelWriteSchema)

blp = Blueprint("contracts", __name__, url_prefix="/api/v1",
                description="Service levels, contracts, and whether a request is covered.")
LEVEL, CONTRACT, PAYMENT = ServiceLevelWriteSchema(), ContractWriteSchema(), PaymentSchema()
POLICY, CHECK = CoveragePolicySchema(), CoverageCheckSchema()
LIST, CONTRACT_QUERY = PageQuerySchema(), ContractQuerySchema()


@blp.route("/service-levels")
class ServiceLevels(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(ServiceLevelSchema))
    def get(self, query):
        """Service levels (tiers sold as packages), by name."""
        return respond_page(call("tickets", "list_service_levels", schema=LIST, data=query), query)

    @blp.arguments(ServiceLevelWriteSchema)
    @blp.response(201, ServiceLevelSchema)
    def post(self, data):
        """Add a tier: reaction and resolution targets per priority, price (admins)."""
        return respond(call("tickets", "create_service_level", schema=LEVEL, data=data), 201)


@blp.route("/service-levels/<string:level_id>")
class ServiceLevel(MethodView):
    @blp.arguments(ServiceLevelWriteSchema)
    @blp.response(200, ServiceLevelSchema)
    def put(self, data, level_id):
        """Replace a tier (admins)."""
        return respond(call("tickets", "replace_service_level", level_id, schema=LEVEL, data=data))


@blp.route("/contracts")
class Contracts(MethodView):
    @blp.arguments(ContractQuerySchema, location="query")
    @blp.response(200, page_of(ContractSchema))
    def get(self, query):
        """Contracts of the account (or of one client), by number."""
        return respond_page(call("tickets", "list_contracts", schema=CONTRACT_QUERY, data=query),
                            query)

    @blp.arguments(ContractWriteSchema)
    @blp.response(201, ContractSchema)
    def post(self, data):
        """Add a contract (admins, dispatchers)."""
        return respond(call("tickets", "create_contract", schema=CONTRACT, data=data), 201)


@blp.route("/contracts/<string:contract_id>")
class Contract(MethodView):
    @blp.response(200, ContractSchema)
    def get(self, contract_id):
        """One contract."""
        return respond(call("tickets", "get_contract", contract_id))

    @blp.arguments(ContractWriteSchema)
    @blp.response(200, ContractSchema)
    def put(self, data, contract_id):
        """Replace a contract."""
        return respond(call("tickets", "replace_contract", contract_id, schema=CONTRACT, data=data))


@blp.route("/contracts/<string:contract_id>/payment")
class ContractPayment(MethodView):
    @blp.arguments(PaymentSchema)
    @blp.response(200, ContractSchema)
    def put(self, data, contract_id):
        """Set the payment state by hand (the 1C sync will set it too)."""
        return respond(call("tickets", "set_contract_payment", contract_id, schema=PAYMENT, data=data))


@blp.route("/coverage-policy")
class CoveragePolicy(MethodView):
    @blp.response(200, CoveragePolicySchema)
    def get(self):
        """What happens to a ticket for each coverage verdict."""
        return respond(call("tickets", "get_coverage_policy"))

    @blp.arguments(CoveragePolicySchema)
    @blp.response(200, CoveragePolicySchema)
    def put(self, data):
        """Set the policy: per verdict accept, reject, paid_work, sales or low_priority (admins)."""
        return respond(call("tickets", "set_coverage_policy", schema=POLICY, data=data))


@blp.route("/coverage/check")
class CoverageCheck(MethodView):
    @blp.arguments(CoverageCheckSchema)
    @blp.response(200, CoverageSchema)
    def post(self, data):
        """The verdict a request would get now, without opening a ticket."""
        return respond(call("tickets", "check_coverage", schema=CHECK, data=data))
