"""/api/v1/service-levels, /api/v1/contracts and /api/v1/coverage."""
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.calls import call, respond, respond_page
from gateway.partial_updates import patching, replace_patched, replacing
from services.shared.page_schemas import PageQuerySchema, page_of
from services.tickets.schemas import (ContractQuerySchema, ContractSchema, ContractWriteSchema, CoverageCheckSchema,
                                      CoveragePolicySchema, CoverageSchema, PaymentSchema,
                                      ServiceLevelSchema, ServiceLevelWriteSchema)

blp = Blueprint("contracts", __name__, url_prefix="/api/v1",
                description="Service levels, contracts, and whether a request is covered.")
LEVEL, CONTRACT, PAYMENT = ServiceLevelWriteSchema(), ContractWriteSchema(), PaymentSchema()
POLICY, CHECK = CoveragePolicySchema(), CoverageCheckSchema()
LEVEL_REPLACE, LEVEL_PATCH = replacing(ServiceLevelWriteSchema), patching(ServiceLevelWriteSchema)
CONTRACT_REPLACE, CONTRACT_PATCH = replacing(ContractWriteSchema), patching(ContractWriteSchema)
PAYMENT_REPLACE, PAYMENT_PATCH = replacing(PaymentSchema), patching(PaymentSchema)
POLICY_REPLACE, POLICY_PATCH = replacing(CoveragePolicySchema), patching(CoveragePolicySchema)
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
    @blp.response(200, ServiceLevelSchema)
    def get(self, level_id):
        """One tier."""
        return respond(call("tickets", "get_service_level", level_id))

    @blp.arguments(LEVEL_REPLACE)
    @blp.response(200, ServiceLevelSchema)
    def put(self, data, level_id):
        """Replace a tier (admins): every field is required."""
        return respond(call("tickets", "replace_service_level", level_id, schema=LEVEL, data=data))

    @blp.arguments(LEVEL_PATCH)
    @blp.response(200, ServiceLevelSchema)
    def patch(self, changes, level_id):
        """Change some of a tier's fields (admins)."""
        return respond(replace_patched("tickets", "get_service_level", "replace_service_level",
                                       (level_id,), changes, LEVEL_PATCH, LEVEL))


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

    @blp.arguments(CONTRACT_REPLACE)
    @blp.response(200, ContractSchema)
    def put(self, data, contract_id):
        """Replace a contract: every field is required, its payment too."""
        return respond(call("tickets", "replace_contract", contract_id, schema=CONTRACT, data=data))

    @blp.arguments(CONTRACT_PATCH)
    @blp.response(200, ContractSchema)
    def patch(self, changes, contract_id):
        """Change some of a contract's fields; its payment state stays unless given."""
        return respond(replace_patched("tickets", "get_contract", "replace_contract",
                                       (contract_id,), changes, CONTRACT_PATCH, CONTRACT))


@blp.route("/contracts/<string:contract_id>/payment")
class ContractPayment(MethodView):
    @blp.arguments(PAYMENT_REPLACE)
    @blp.response(200, ContractSchema)
    def put(self, data, contract_id):
        """Set the payment by hand, state, balance and last payment date (the 1C sync sets it
        too)."""
        return respond(call("tickets", "set_contract_payment", contract_id, schema=PAYMENT, data=data))

    @blp.arguments(PAYMENT_PATCH)
    @blp.response(200, ContractSchema)
    def patch(self, changes, contract_id):
        """Change the payment's state (or balance, or date) by hand; the rest stays."""
        return respond(replace_patched("tickets", "get_contract", "set_contract_payment",
                                       (contract_id,), changes, PAYMENT_PATCH, PAYMENT,
                                       part="payment"))


@blp.route("/coverage-policy")
class CoveragePolicy(MethodView):
    @blp.response(200, CoveragePolicySchema)
    def get(self):
        """What happens to a ticket for each coverage verdict."""
        return respond(call("tickets", "get_coverage_policy"))

    @blp.arguments(POLICY_REPLACE)
    @blp.response(200, CoveragePolicySchema)
    def put(self, data):
        """Set the policy: per verdict accept, reject, paid_work, sales or low_priority (admins).
        Every field is required (`{}` for no actions or messages, null for no group or item)."""
        return respond(call("tickets", "set_coverage_policy", schema=POLICY, data=data))

    @blp.arguments(POLICY_PATCH)
    @blp.response(200, CoveragePolicySchema)
    def patch(self, changes):
        """Change some of the policy's fields (admins)."""
        return respond(replace_patched("tickets", "get_coverage_policy", "set_coverage_policy", (),
                                       changes, POLICY_PATCH, POLICY))


@blp.route("/coverage/check")
class CoverageCheck(MethodView):
    @blp.arguments(CoverageCheckSchema)
    @blp.response(200, CoverageSchema)
    def post(self, data):
        """The verdict a request would get now, without opening a ticket."""
        return respond(call("tickets", "check_coverage", schema=CHECK, data=data))
