"""The fixed vocabularies of partner_bridge: what may be shared, and the two status languages.

Local ticket statuses and priorities are the tickets service's public contract (docs/conventions.md);
they are written out here because a service never imports another's internals, and a unit test
holds them equal to the values `services.tickets.schemas` validates.
"""
LOCAL_STATUSES = ("opened", "in_progress", "waiting", "resolved", "closed", "reopened")
LOCAL_PRIORITIES = ("low", "normal", "high", "critical")
LOCAL_TYPES = ("incident", "request", "question", "maintenance")

# TMF621 Trouble Ticket statuses: the wire language both sides speak.
TMF_STATUSES = ("acknowledged", "rejected", "pending", "held", "inProgress", "cancelled",
                "closed", "resolved")

# Fields a sharing rule may let out. Everything else is withheld because it is not on this list.
SHAREABLE_FIELDS = (
    "title", "description", "priority", "status", "type",
    "equipment_kind", "equipment_manufacturer", "equipment_model", "equipment_serial",
    "site_city", "public_comments", "attachments",
)
DEFAULT_SHARED_FIELDS = SHAREABLE_FIELDS

# Contacts' personal data: shared only when a rule names it explicitly, never by default.
PERSONAL_DATA_FIELDS = ("contact_name", "contact_phones", "contact_emails")

# Names people will try to put in a rule; refused with a message that says why, not "unknown".
NEVER_SHARED = {
    "internal_comments": "Internal comments never leave the account.",
    "comments": "Only public comments are shared: name public_comments.",
    "prices": "Prices never leave the account.",
    "works": "Works carry prices; they never leave the account.",
    "works_total": "Prices never leave the account.",
    "coverage": "Contract coverage carries prices; it never leaves the account.",
    "billing": "Billing never leaves the account.",
    "contract": "Contracts never leave the account.",
    "site_address": "Only the site's city is shared.",
    "access_notes": "Site access notes never leave the account.",
    "history": "The ticket's history names employees; it never leaves the account.",
    "contact": "Name the personal data fields one by one under personal_data.",
}
