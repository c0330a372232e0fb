"""Sites, the equipment catalog and registry, service levels, contracts and coverage."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED, NotFound, ValidationFailed
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.schemas import (ContractSchema, ContractWriteSchema, CoverageCheckSchema,
                                      CoveragePolicySchema, CoverageSchema, EquipmentKindSchema,
                                      EquipmentKindWriteSchema, EquipmentQuerySchema,
                                      EquipmentSchema, EquipmentWriteSchema, PageQuerySchema,
                                      PaymentSchema, ServiceLevelSchema, ServiceLevelWriteSchema,
                                      SiteSchema, SiteWriteSchema, TicketListQuerySchema,
                                      TicketSummarySchema)
from services.tickets.tickets import registration
from services.tickets.tickets.references import check_references

SITE, SITES, SITE_WRITE = SiteSchema(), SiteSchema(many=True), SiteWriteSchema()
KIND, KINDS, KIND_WRITE = EquipmentKindSchema(), EquipmentKindSchema(many=True), EquipmentKindWriteSchema()
ITEM, ITEMS, ITEM_WRITE, ITEM_QUERY = (EquipmentSchema(), EquipmentSchema(many=True),
                                       EquipmentWriteSchema(), EquipmentQuerySchema())
LEVEL, LEVELS, LEVEL_WRITE = ServiceLevelSchema(), ServiceLevelSchema(many=True), ServiceLevelWriteSchema()
CONTRACT, CONTRACTS, CONTRACT_WRITE = ContractSchema(), ContractSchema(many=True), ContractWriteSchema()
PAYMENT, POLICY, CHECK, COVERAGE = PaymentSchema(), CoveragePolicySchema(), CoverageCheckSchema(), CoverageSchema()
PAGE, SUMMARIES, TICKET_QUERY = PageQuerySchema(), TicketSummarySchema(many=True), TicketListQuerySchema()


class AssetEntrypoints(Guard):
    # -- sites ------------------------------------------------------------------------------------
    def _checked_site(self, actor, client_id, data):
        data = load(SITE_WRITE, data)
        for contact_id in data["contact_ids"]:
            contact = self.store.contacts.find(actor.account_id, contact_id, {"client_id": 1})
            if not contact or contact["client_id"] != client_id:
                raise ValidationFailed.from_fields({"contact_ids": [f"No contact {contact_id} of this client."]})
        return data

    @rpc(expected_exceptions=EXPECTED)
    def list_sites(self, actor, client_id, query):
        actor = self.authorized(actor, "directory.read")
        client = self.store.clients.get(actor.account_id, str(client_id))
        docs, next_cursor = self.store.sites.list(actor.account_id, client["_id"], load(PAGE, query))
        return {"items": SITES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_site(self, actor, client_id, site_id):
        actor = self.authorized(actor, "directory.read")
        return SITE.dump(self.store.sites.get(actor.account_id, str(site_id), str(client_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_site(self, actor, client_id, data):
        actor = self.authorized(actor, "clients.manage")
        client = self.store.clients.get(actor.account_id, str(client_id))
        site = self.store.sites.create(actor.account_id, client["_id"],
                                       self._checked_site(actor, client["_id"], data))
        self.store.audit.record(actor, "site.created", "site", site["_id"], client_id=client["_id"])
        return SITE.dump(site)

    @rpc(expected_exceptions=EXPECTED)
    def replace_site(self, actor, client_id, site_id, data):
        actor = self.authorized(actor, "clients.manage")
        site = self.store.sites.get(actor.account_id, str(site_id), str(client_id))
        site = self.store.sites.replace(actor.account_id, site["_id"],
                                        self._checked_site(actor, site["client_id"], data))
        self.store.audit.record(actor, "site.updated", "site", site["_id"])
        return SITE.dump(site)

    # -- equipment ----------------------------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def list_equipment_kinds(self, actor):
        actor = self.authorized(actor, "directory.read")
        return KINDS.dump(self.store.equipment_kinds.list(actor.account_id))

    @rpc(expected_exceptions=EXPECTED)
    def create_equipment_kind(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        kind = self.store.equipment_kinds.create(actor.account_id, load(KIND_WRITE, data))
        return KIND.dump(kind)

    def _checked_item(self, actor, data):
        data = load(ITEM_WRITE, data)
        site = self.store.sites.require(actor.account_id, data["site_id"])
        if data["kind_id"]:
            self.store.equipment_kinds.require(actor.account_id, data["kind_id"])
        return site, data

    @rpc(expected_exceptions=EXPECTED)
    def list_equipment(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.equipment.list(actor.account_id, load(ITEM_QUERY, query))
        return {"items": ITEMS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_equipment(self, actor, equipment_id):
        actor = self.authorized(actor, "directory.read")
        return ITEM.dump(self.store.equipment.get(actor.account_id, str(equipment_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_equipment(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        site, data = self._checked_item(actor, data)
        item = self.store.equipment.create(actor.account_id, site, data)
        self.store.audit.record(actor, "equipment.created", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def replace_equipment(self, actor, equipment_id, data):
        actor = self.authorized(actor, "clients.manage")
        site, data = self._checked_item(actor, data)
        item = self.store.equipment.replace(actor.account_id, str(equipment_id), site, data)
        self.store.audit.record(actor, "equipment.updated", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def rotate_equipment_code(self, actor, equipment_id):
        """A new code for the item's label; the old label stops working at once."""
        actor = self.authorized(actor, "clients.manage")
        item = self.store.equipment.rotate_code(actor.account_id, str(equipment_id))
        self.store.audit.record(actor, "equipment.code_rotated", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def equipment_history(self, actor, equipment_id, query):
        """Tickets on the item, newest first, and its planned works."""
        actor = self.authorized(actor, "tickets.read")
        item = self.store.equipment.get(actor.account_id, str(equipment_id))
        if actor.is_contact and item["client_id"] != actor.client_id:
            raise NotFound(f"No equipment {equipment_id}.")
        docs, next_cursor = self.store.tickets.list(
            actor, load(TICKET_QUERY, dict(query, equipment_id=item["_id"])))
        planned = self.store.equipment.planned_works_of(actor.account_id, item["_id"])
        return {"items": SUMMARIES.dump(docs), "next_cursor": next_cursor, "planned_works": planned}

    # -- service levels and contracts ------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def list_service_levels(self, actor):
        actor = self.authorized(actor, "directory.read")
        return LEVELS.dump(self.store.service_levels.list(actor.account_id))

    @rpc(expected_exceptions=EXPECTED)
    def create_service_level(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        level = self.store.service_levels.create(actor.account_id, load(LEVEL_WRITE, data))
        self.store.audit.record(actor, "service_level.created", "service_level", level["_id"])
        return LEVEL.dump(level)

    @rpc(expected_exceptions=EXPECTED)
    def replace_service_level(self, actor, level_id, data):
        actor = self.authorized(actor, "account.manage")
        level = self.store.service_levels.replace(actor.account_id, str(level_id),
                                                  load(LEVEL_WRITE, data))
        self.store.audit.record(actor, "service_level.updated", "service_level", level["_id"])
        return LEVEL.dump(level)

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
    def list_contracts(self, actor, client_id=None):
        actor = self.authorized(actor, "directory.read")
        return CONTRACTS.dump(self.store.contracts.list(actor.account_id, client_id))

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

