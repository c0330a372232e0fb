"""Service levels, contracts and their payment state, the coverage policy and the coverage check."""
from nameko.rpc import rpc

from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.schemas import (ContractQuerySchema, ContractSchema, ContractWriteSchema, CoverageCheckSchema,
                                      CoveragePolicySchema, CoverageSchema, PaymentSchema,
                                      ServiceLevelSchema, ServiceLevelWriteSchema)
from services.tickets.tickets import registration
from services.tickets.tickets.references import check_references

LEVEL, LEVELS, LEVEL_WRITE = ServiceLevelSchema(), ServiceLevelSchema(many=True), ServiceLevelWriteSchema()
CONTRACT, CONTRACTS, CONTRACT_WRITE = ContractSchema(), ContractSchema(many=True), ContractWriteSchema()
PAYMENT, POLICY, CHECK, COVERAGE = PaymentSchema(), CoveragePolicySchema(), CoverageCheckSchema(), CoverageSchema()
PAGE_QUERY, CONTRACT_QUERY = CursorPageQuerySchema(), ContractQuerySchema()


class ContractEntrypoints(Guard):
    # -- service levels and contracts ------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def list_service_levels(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.service_levels.list(actor.account_id, load(PAGE_QUERY, query))
        return {"items": LEVELS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_service_level(self, actor, level_id):
        actor = self.authorized(actor, "directory.read")
        return LEVEL.dump(self.store.service_levels.get(actor.account_id, str(level_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_service_level(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        level = self.store.service_levels.create(actor.account_id, self._checked_level(actor, data))
        self.store.audit.record(actor, "service_level.created", "service_level", level["_id"])
        return LEVEL.dump(level)

    @rpc(expected_exceptions=EXPECTED)
    def replace_service_level(self, actor, level_id, data):
        actor = self.authorized(actor, "account.manage")
        level = self.store.service_levels.replace(actor.account_id, str(level_id),
                                                  self._checked_level(actor, data))
        self.store.audit.record(actor, "service_level.updated", "service_level", level["_id"])
        return LEVEL.dump(level)

    def _checked_level(self, actor, data):
        data = load(LEVEL_WRITE, data)
        self.store.calendars.require(actor.account_id, data.get("calendar_id"))
        return data

    def _checked_contract(self, actor, data):
        data = load(CONTRACT_WRITE, data)
        account_id = actor.account_id
        self.store.clients.require(account_id, data["client_id"])
        self.store.service_levels.require(account_id, data["service_level_id"])
        if data["manager_id"]:
            self.store.employees.require_active(account_id, [data["manager_id"]], "manager_id")
        scope = data["coverage"]
        for site_id in scope["site_ids"]:
            if self.store.sites.require(account_id, site_id, "coverage.site_ids")["client_id"] != data["client_id"]:
                raise ValidationFailed.from_fields({"coverage.site_ids": [f"Site {site_id} is another client's."]})
        for item_id in scope["equipment_ids"]:
            if self.store.equipment.require(account_id, item_id)["client_id"] != data["client_id"]:
                raise ValidationFailed.from_fields({"coverage.equipment_ids": [f"Equipment {item_id} is another client's."]})
        return data

    @rpc(expected_exceptions=EXPECTED)
    def list_contracts(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.contracts.list(actor.account_id, load(CONTRACT_QUERY, query))
        return {"items": CONTRACTS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_contract(self, actor, contract_id):
        actor = self.authorized(actor, "directory.read")
        return CONTRACT.dump(self.store.contracts.get(actor.account_id, str(contract_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_contract(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        contract = self.store.contracts.create(actor.account_id, self._checked_contract(actor, data))
        self.store.audit.record(actor, "contract.created", "contract", contract["_id"],
                                client_id=contract["client_id"])
        return CONTRACT.dump(contract)

    @rpc(expected_exceptions=EXPECTED)
    def replace_contract(self, actor, contract_id, data):
        actor = self.authorized(actor, "clients.manage")
        contract = self.store.contracts.replace(actor.account_id, str(contract_id),
                                                self._checked_contract(actor, data))
        self.store.audit.record(actor, "contract.updated", "contract", contract["_id"])
        # Open tickets under the contract run on its (possibly new) service level's targets.
        self.store.tickets.retarget_open(actor, {"sla.contract_id": contract["_id"]},
                                         (contract["service_level_id"], contract["_id"]))
        return CONTRACT.dump(contract)

    @rpc(expected_exceptions=EXPECTED)
    def set_contract_payment(self, actor, contract_id, data):
        """Set by hand now, by the 1C sync later."""
        actor = self.authorized(actor, "clients.manage")
        payment = load(PAYMENT, data)
        contract = self.store.contracts.set_payment(actor.account_id, str(contract_id), payment)
        self.store.audit.record(actor, "contract.payment_set", "contract", contract["_id"],
                                state=payment["state"])
        return CONTRACT.dump(contract)

    # -- coverage -------------------------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def get_coverage_policy(self, actor):
        actor = self.authorized(actor, "account.read")
        return POLICY.dump(self.store.accounts.get(actor.account_id).get("coverage_policy", {}))

    @rpc(expected_exceptions=EXPECTED)
    def set_coverage_policy(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        policy = load(POLICY, data)
        if policy["sales_group_id"]:
            self.store.groups.require(actor.account_id, policy["sales_group_id"], "sales_group_id")
        if policy["paid_work_code"]:
            self.store.price_list.by_code(actor.account_id, policy["paid_work_code"], "paid_work_code")
        self.store.accounts.update(actor.account_id, {"coverage_policy": policy})
        self.store.audit.record(actor, "coverage_policy.updated", "account", actor.account_id)
        return POLICY.dump(policy)

    @rpc(expected_exceptions=EXPECTED)
    def check_coverage(self, actor, data):
        """The verdict a ticket would get now, without creating one (for the phone screen).
        Employees only: a verdict tells about a client's contract and payments."""
        actor = self.authorized(actor, "directory.read")
        data = check_references(self.store, actor.account_id, load(CHECK, data))
        found = registration.assess(self.store, actor.account_id, data.get("client_id"),
                                    data.get("site_id"), data.get("equipment_id"))
        return COVERAGE.dump(found)

