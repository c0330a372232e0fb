"""The links of an account: created by an invitation, accepted, paused, resumed, revoked.

Both accounts of a link store their own record under the same link id; in one installation they
share this database, so a record is keyed by (account_id, link_id) and never by the link id alone.

The inviter's record is created pending with the invitation. When the partner presents the code,
`accept` (inviter side) verifies it, binds the partner's identity, issues the shared secret and
activates the link in one guarded update, so a code is good for one acceptance only. `join`
(accepting side) stores the active link with the secret the inviter answered with. What a link
has received from its partner is kept apart, in received.py.

The secret is stored as it is: HMAC needs it on both sides. Reads for lists and pages leave it
out; only `secrets_of`, used to sign and verify, returns it. A rotation (rotation.py) keeps two
for a while: the one that signs, and the other one, accepted until `secrets_until`.
"""
import secrets as random_tokens

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.announcements import new_announcement
from services.partner_bridge.invitations import (
    ACTIVE, DEFAULT_VALIDITY, INITIAL_LINK_STATE, PAUSED, PENDING, check_link_transition,
    issue_invitation, new_link_secret, open_invitation)
from services.partner_bridge.outbox import DELIVERED_OUTCOME, RETRY, backoff_delay
from services.partner_bridge.sharing import default_rules, load_rules
from services.partner_bridge.store.pairs import first_pairs
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page

INVITER, INVITEE = "inviter", "invitee"
ROTATABLE = (ACTIVE, PAUSED)  # a pending link has no secret yet, a revoked one never again
WITHOUT_SECRETS = {"secrets": 0}


class LinkStore:
    def __init__(self, db):
        self.links = db.partner_links

    @staticmethod
    def create_indexes(db):
        db.partner_links.create_index([("account_id", ASCENDING), ("link_id", ASCENDING)], unique=True)
        db.partner_links.create_index([("account_id", ASCENDING), ("state", ASCENDING)])

    def _insert(self, doc):
        try:
            self.links.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict("This account already has that link.", {"link_id": doc["link_id"]}) from None
        return {k: v for k, v in doc.items() if k != "secrets"}

    @staticmethod
    def _new(account_id, link_id, *, state, role, partner, now, actor, secret=None, rules=None):
        return {"_id": random_tokens.token_hex(12), "account_id": account_id, "link_id": link_id,
                "state": state, "role": role, "partner": partner,
                "secrets": [secret] if secret else [],
                "rules": default_rules() if rules is None else load_rules(rules),
                "created_at": now, "updated_at": now,
                "history": [{"at": now, "actor": actor, "from": None, "to": state}]}

    def invite(self, key, *, account_id, account_name, endpoint, now, actor, rules=None,
               validity=DEFAULT_VALIDITY):
        """A pending link and the code to send to the partner; returns (link, code)."""
        invitation, code = issue_invitation(key, account_id=account_id, account_name=account_name,
                                            endpoint=endpoint, now=now, validity=validity)
        link = self._new(account_id, invitation.link_id, state=INITIAL_LINK_STATE, role=INVITER,
                         partner=None, now=now, actor=actor, rules=rules)
        link["invitation_expires_at"] = invitation.expires_at.replace(tzinfo=None)
        return self._insert(link), code

    def accept(self, key, code, *, partner, now):
        """Inviter side: the partner presented `code`. Returns (link, secret) to answer with."""
        invitation = open_invitation(key, code, now=now)
        problems = {name: ["Must not be blank."] for name in ("account_id", "account_name", "endpoint")
                    if not isinstance(partner.get(name), str) or not partner[name].strip()}
        if problems:
            raise ValidationFailed.from_fields({f"partner.{k}": v for k, v in problems.items()})
        if (partner["account_id"], partner["endpoint"].rstrip("/")) == (invitation.account_id,
                                                                        invitation.endpoint):
            raise Conflict("An account cannot link to itself.")
        secret = new_link_secret()
        actor = {"kind": "partner_link", "id": invitation.link_id}
        link = self.links.find_one_and_update(
            {"account_id": invitation.account_id, "link_id": invitation.link_id, "state": PENDING},
            {"$set": {"state": ACTIVE, "secrets": [secret], "updated_at": now,
                      "partner": {k: partner[k] for k in ("account_id", "account_name", "endpoint")}},
             "$push": {"history": {"at": now, "actor": actor, "from": PENDING, "to": ACTIVE}}},
            projection=WITHOUT_SECRETS, return_document=ReturnDocument.AFTER)
        if link is None:
            current = self.get(invitation.account_id, invitation.link_id)
            raise Conflict(f"This invitation was used already; the link is {current['state']}.",
                           {"state": current["state"]})
        return link, secret

    def join(self, invitation, secret, *, account_id, now, actor, rules=None):
        """Accepting side: store the active link once the inviter has answered with the secret."""
        partner = {"account_id": invitation.account_id, "account_name": invitation.account_name,
                   "endpoint": invitation.endpoint}
        return self._insert(self._new(account_id, invitation.link_id, state=ACTIVE, role=INVITEE,
                                      partner=partner, now=now, actor=actor, secret=secret,
                                      rules=rules))

    def get(self, account_id, link_id):
        link = self.links.find_one({"account_id": account_id, "link_id": link_id}, WITHOUT_SECRETS)
        if link is None:
            raise NotFound(f"No link {link_id}.")
        return link

    def list(self, account_id, state=None):
        query = {"account_id": account_id}
        if state is not None:
            query["state"] = state
        return list(self.links.find(query, dict(WITHOUT_SECRETS, history=0))
                    .sort([("created_at", ASCENDING)]))

    def page(self, account_id, query):
        """A page of links, oldest first, in one state when the query names it."""
        condition = {"account_id": account_id}
        if query.get("state") is not None:
            condition["state"] = query["state"]
        return fetch_page(self.links, condition, "created_at", False, query.get("cursor"),
                          query["limit"], projection=dict(WITHOUT_SECRETS, history=0))

    def secrets_of(self, account_id, link_id, *, now):
        """The secrets a delivery over this link is signed with or checked against: the first
        signs; the others (a rotation's other secret) are accepted until `secrets_until`."""
        link = self.links.find_one({"account_id": account_id, "link_id": link_id},
                                   {"secrets": 1, "secrets_until": 1})
        if link is None:
            raise NotFound(f"No link {link_id}.")
        until = link.get("secrets_until")
        return link["secrets"] if until is None or now < until else link["secrets"][:1]

    def _set_secrets(self, account_id, link_id, secrets, *, until, now, rotated=False):
        fields = {"secrets": secrets, "secrets_until": until, "updated_at": now}
        if rotated:
            fields["secret_rotated_at"] = now
        link = self.links.find_one_and_update(
            {"account_id": account_id, "link_id": link_id, "state": {"$in": list(ROTATABLE)}},
            {"$set": fields}, projection=WITHOUT_SECRETS, return_document=ReturnDocument.AFTER)
        if link is None:
            current = self.get(account_id, link_id)
            raise Conflict(f"The link is {current['state']}; its secret is not rotated.",
                           {"state": current["state"]})
        return link

    def _signing_secret(self, account_id, link_id, *, now):
        """The secret a rotation replaces; Conflict for a link whose secret is not rotated (a
        pending link has none yet, a revoked one needs none)."""
        current = self.get(account_id, link_id)
        if current["state"] not in ROTATABLE:
            raise Conflict(f"The link is {current['state']}; its secret is not rotated.",
                           {"state": current["state"], "allowed_states": list(ROTATABLE)})
        return self.secrets_of(account_id, link_id, now=now)[0]

    def stage_secret(self, account_id, link_id, secret, *, until, now):
        """A new secret accepted beside the signing one (until `until`) before the partner is
        told: what the partner signs with it from the moment it has it is taken."""
        signing = self._signing_secret(account_id, link_id, now=now)
        return self._set_secrets(account_id, link_id, [signing, secret], until=until, now=now)

    def adopt_secret(self, account_id, link_id, secret, *, until, now):
        """Sign with `secret` from now on, accepting the previous signing secret until `until`
        (a rotation during another's overlap ends that overlap)."""
        signing = self._signing_secret(account_id, link_id, now=now)
        if signing == secret:
            return self.get(account_id, link_id)  # told twice: it is ours already
        return self._set_secrets(account_id, link_id, [secret, signing], until=until, now=now,
                                 rotated=True)

    def change_state(self, account_id, link_id, target, *, now, actor, announce=False):
        """Pause, resume or revoke, guarded: applied only if nobody moved the link meanwhile.
        `announce`: record, in the same update, the announcement that tells the partner
        (announcements.py); a link nobody accepted has no partner to tell."""
        for _ in range(5):
            current = self.get(account_id, link_id)
            check_link_transition(current["state"], target)
            fields = {"state": target, "updated_at": now}
            if announce and current.get("partner"):
                fields["announcement"] = new_announcement(target, now=now)
            link = self.links.find_one_and_update(
                {"account_id": account_id, "link_id": link_id, "state": current["state"]},
                {"$set": fields,
                 "$push": {"history": {"at": now, "actor": actor, "from": current["state"],
                                       "to": target}}},
                projection=WITHOUT_SECRETS, return_document=ReturnDocument.AFTER)
            if link is not None:
                return link
        raise Conflict("The link keeps changing; try again.", {"link_id": link_id})

    def announcement_tried(self, account_id, link_id, announcement_id, *, outcome, detail, now,
                           rng):
        """Count a try at telling the partner: told, refused (it ends, with the refusal kept)
        or to be tried again after the outbox's backoff. A newer announcement is left alone;
        `announcement_id` None is whichever is pending (a failure before it could be read)."""
        key = {"account_id": account_id, "link_id": link_id,
               **({"announcement.next_attempt_at": {"$ne": None}} if announcement_id is None
                  else {"announcement.id": announcement_id})}
        current = self.links.find_one(key, {"announcement": 1})
        if current is None:
            return
        attempts = current["announcement"]["attempts"] + 1
        fields = {"announcement.attempts": attempts, "announcement.last_attempt_at": now,
                  "announcement.outcome": outcome,
                  "announcement.last_error": None if outcome == DELIVERED_OUTCOME else detail[:1000]}
        if outcome == DELIVERED_OUTCOME:
            fields["announcement.delivered_at"] = now
        fields["announcement.next_attempt_at"] = (
            now + backoff_delay(attempts, rng) if outcome == RETRY else None)
        self.links.update_one(key, {"$set": fields})

    def due_announcements(self, *, now, limit):
        """(account_id, link_id) of links with an announcement to (re)send now."""
        return first_pairs(self.links, {"announcement.next_attempt_at": {"$lte": now}}, "link_id",
                           limit=limit, scan=limit * 20)

    def set_rules(self, account_id, link_id, data, *, now):
        rules = load_rules(data)
        link = self.links.find_one_and_update(
            {"account_id": account_id, "link_id": link_id},
            {"$set": {"rules": rules, "updated_at": now}},
            projection=WITHOUT_SECRETS, return_document=ReturnDocument.AFTER)
        if link is None:
            raise NotFound(f"No link {link_id}.")
        return link
