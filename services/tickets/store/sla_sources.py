"""What a ticket's SLA is computed with, read from the tickets database: the account's policy
(pausing statuses and warning share from its settings), its business calendar, the targets of
a service level, and the account's escalation rules.

Account settings read here (all optional):
  sla_calendar_id        the calendar new tickets run on when their site, client and service level
                         name none (sla/calendar_choice.py); else the account's first calendar,
                         else the built-in one (Monday-Friday 09:00-18:00, RU, the account's zone);
  sla_pausing_statuses   statuses that stop the clock (default ["waiting"]);
  sla_warning_share      when a target turns to warning (default 0.8).
A setting the policy cannot take (a status that never pauses, a share outside 0..1) is ignored
rather than refused at every ticket write: the account keeps working on the defaults.
"""
import logging

from services.shared.clock import utcnow
from services.shared.validation import load
from services.tickets.sla.calendar import BusinessCalendar
from services.tickets.sla.calendar_choice import chosen_calendar
from services.tickets.sla.escalation import EscalationRule
from services.tickets.sla.policy import targets_for
from services.tickets.sla.sla_schemas import EscalationRulesSchema
from services.tickets.store.calendars import BusinessCalendarStore

log = logging.getLogger(__name__)

OFFICE_WEEK = [[(9 * 60, 18 * 60)]] * 5 + [[], []]
RULES = EscalationRulesSchema()
# Calendars keep per-date intervals in memory: reusing them across requests is what makes a
# deadline cost microseconds. Keyed by revision, so a change is picked up at once.
_CALENDARS = {}
MAX_CACHED = 2000


def builtin_calendar(time_zone):
    key = ("builtin", time_zone)
    if key not in _CALENDARS:
        _CALENDARS[key] = BusinessCalendar(time_zone=time_zone, week=OFFICE_WEEK,
                                           production_calendar="RU")
    return _CALENDARS[key]


class SlaSources:
    def __init__(self, db):
        self.accounts = db.accounts
        self.levels = db.service_levels
        self.clients = db.clients
        self.sites = db.sites
        self.calendar_store = BusinessCalendarStore(db)
        self.rules = db.sla_escalation_rules

    def account(self, account_id):
        return self.accounts.find_one({"_id": account_id}) or {"_id": account_id, "settings": {}}

    def calendar_id_for(self, account, ticket, service_level_id):
        """The calendar a ticket's clock starts on (None: the built-in one): its site's, its
        client's, its service level's, the account's (sla/calendar_choice.py)."""
        account_id = account["_id"]
        named = {"site": self._calendar_of(self.sites, account_id, ticket.get("site_id")),
                 "client": self._calendar_of(self.clients, account_id, ticket.get("client_id")),
                 "service_level": self._calendar_of(self.levels, account_id, service_level_id),
                 "account": (account.get("settings") or {}).get("sla_calendar_id")}
        chosen, _ = chosen_calendar(
            named, lambda calendar_id: self.calendar_store.exists(account_id, calendar_id))
        if chosen:
            return chosen
        first = list(self.calendar_store.calendars.find({"account_id": account_id}, {"_id": 1})
                     .sort([("created_at", 1), ("_id", 1)]).limit(1))
        return first[0]["_id"] if first else None

    @staticmethod
    def _calendar_of(collection, account_id, record_id):
        if not record_id:
            return None
        found = collection.find_one({"_id": record_id, "account_id": account_id}, {"calendar_id": 1})
        return (found or {}).get("calendar_id")

    def calendar(self, account, calendar_id):
        """The calendar (with its revisions) a ticket measures business time by."""
        if calendar_id is None:
            return builtin_calendar(account.get("time_zone") or "Europe/Moscow")
        current = self.calendar_store.calendars.find_one(
            {"_id": calendar_id, "account_id": account["_id"]}, {"revision": 1})
        if current is None:  # calendars are never deleted; an id from elsewhere is not trusted
            return builtin_calendar(account.get("time_zone") or "Europe/Moscow")
        key = (account["_id"], calendar_id, current["revision"])
        if key not in _CALENDARS:
            if len(_CALENDARS) > MAX_CACHED:
                _CALENDARS.clear()
            _CALENDARS[key] = self.calendar_store.history(account["_id"], calendar_id)
        return _CALENDARS[key]

    def targets(self, account_id, service_level_id, priority, client_id=None):
        """(reaction, resolution) minutes for `priority`: the client's own where it has them,
        else the level's; None without a level (no covering contract, no clock: a client's own
        targets refine what a contract sells, they do not replace the contract)."""
        if not service_level_id:
            return None
        level = self.levels.find_one({"_id": service_level_id, "account_id": account_id},
                                     {"targets": 1})
        if level is None:
            return None
        client = client_id and self.clients.find_one({"_id": client_id, "account_id": account_id},
                                                     {"sla_targets": 1})
        return targets_for(priority, level.get("targets"), (client or {}).get("sla_targets"))

    def escalation_rules(self, account_id):
        stored = self.rules.find_one({"_id": account_id, "account_id": account_id})
        return [EscalationRule(**dict(rule, recipients=tuple(rule["recipients"])))
                for rule in (stored or {}).get("rules", [])]

    def rules_document(self, account_id):
        stored = self.rules.find_one({"_id": account_id, "account_id": account_id})
        return {"rules": (stored or {}).get("rules", [])}

    def set_escalation_rules(self, account_id, data):
        data = load(RULES, data)
        self.rules.update_one({"_id": account_id, "account_id": account_id},
                              {"$set": {"rules": data["rules"], "updated_at": utcnow()}}, upsert=True)
        return data
