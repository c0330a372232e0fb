"""services/tickets/directory/authentication.py: credentials become actors, and stop doing so at
once.

argon2 costs ~30 ms per hash or check, so each test logs in only as often as its point needs;
stored hashes come from one cached hash of PASSWORD.
"""
import pytest

from services.shared.actor import Actor
from services.shared.errors import Forbidden, NotFound, Throttled, Unauthenticated
from services.tickets.directory import authentication
from services.tickets.directory.authentication import (BAD_LOGIN, authenticate, change_password,
                                                       issue_reset, login, redeem_reset)
from services.tickets.directory.authentication import RESET_TTL, SESSION_TTL
from tests.unit.test_directory_support import (PASSWORD, clock, directory,  # noqa: F401
                                               world)

NEW_PASSWORD = "a brand new passphrase"


class Scene:
    """Two accounts; the first has an agent, an admin, a client company and a portal contact."""

    def __init__(self, world, clock):
        self.world, self.d, self.clock = world, world.d, clock
        self.account = world.account()
        self.other_account = world.account()
        self.agent = world.employee(self.account, roles=("field_engineer", "agent"))
        self.admin = world.employee(self.account, roles=("admin",))
        self.client = world.client(self.account)
        self.contact = world.contact(self.account, self.client, portal_access="company")

    def person(self, kind):
        return self.agent if kind == "employee" else self.contact

    @property
    def slug(self):
        return self.account["slug"]

    def email(self, person):
        return person["email"] if "email" in person else person["emails"][0]

    def login(self, person, password=PASSWORD):
        return login(self.d, self.slug, self.email(person), password)

    def refresh(self, person):
        store = self.d.employees.employees if "roles" in person else self.d.contacts.contacts
        return store.find_one({"_id": person["_id"]})

    def deactivate_account(self):
        self.d.accounts.update(self.account["_id"], {"active": False})

    def deactivate_employee(self, employee):
        self.d.employees.update(self.account["_id"], employee["_id"], {"active": False})

    def change_contact(self, **changes):
        self.d.contacts.replace(self.account["_id"], self.client["_id"], self.contact["_id"],
                                self.world.contact_data(self.contact, **changes))

    def audit(self, account=None, **query):
        docs, _ = self.d.audit.list((account or self.account)["_id"], dict(query, limit=100))
        return docs

    def valid(self, secret):
        try:
            authenticate(self.d, secret)
        except Unauthenticated:
            return False
        return True


@pytest.fixture
def scene(world, clock):
    return Scene(world, clock)


# -- authenticate -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["session", "api_token"])
def test_an_employee_credential_gives_an_employee_actor(scene, kind):
    secret, credential = scene.world.issue(scene.agent, kind=kind)
    assert authenticate(scene.d, secret) == Actor(
        account_id=scene.account["_id"], kind="employee", id=scene.agent["_id"],
        roles=("agent", "field_engineer"), credential_id=credential["_id"])


def test_a_contact_credential_gives_a_contact_actor_with_its_company(scene):
    secret, credential = scene.world.issue(scene.contact)
    assert authenticate(scene.d, secret) == Actor(
        account_id=scene.account["_id"], kind="contact", id=scene.contact["_id"],
        client_id=scene.client["_id"], client_scope="company", credential_id=credential["_id"])


def test_a_contact_actor_carries_its_companys_category_and_valid_service_levels(scene):
    """What knowledge articles for chosen audiences are matched against: the client's category
    and the service levels of its contracts valid today, as of each request."""
    secret, _ = scene.world.issue(scene.contact)
    contracts = scene.d.contracts.contracts
    base = {"account_id": scene.account["_id"], "client_id": scene.client["_id"]}
    contracts.insert_many([
        dict(base, _id="c1", number="c1", service_level_id="gold", valid_from="2020-01-01", valid_until=None),
        dict(base, _id="c2", number="c2", service_level_id="old", valid_from="2020-01-01",
             valid_until="2021-01-01"),
        dict(base, _id="c3", number="c3", service_level_id="future", valid_from="2999-01-01",
             valid_until=None),
        dict(base, _id="c4", number="c4", client_id="someone-else", service_level_id="theirs",
             valid_from="2020-01-01", valid_until=None)])
    scene.d.clients.clients.update_one({"_id": scene.client["_id"]}, {"$set": {"category": "vip"}})
    actor = authenticate(scene.d, secret)
    assert (actor.client_category, actor.service_levels) == ("vip", ("gold",))
    contracts.update_one({"_id": "c1"}, {"$set": {"valid_until": "2021-06-01"}})
    assert authenticate(scene.d, secret).service_levels == ()


def test_the_actor_carries_the_roles_of_now_not_of_the_login(scene):
    secret, _ = scene.world.issue(scene.agent)
    scene.d.employees.update(scene.account["_id"], scene.agent["_id"], {"roles": ["dispatcher"]})
    assert authenticate(scene.d, secret).roles == ("dispatcher",)


def test_the_contact_scope_follows_the_contact(scene):
    secret, _ = scene.world.issue(scene.contact)
    scene.change_contact(portal_access="own")
    assert authenticate(scene.d, secret).client_scope == "own"


def revoke(scene, person, credential):
    scene.d.credentials.revoke(credential["_id"])


def deactivate_person(scene, person, credential):
    if "roles" in person:
        scene.deactivate_employee(person)
    else:
        scene.change_contact(active=False)


def close_the_portal(scene, person, credential):
    scene.change_contact(portal_access="none")


def deactivate_account(scene, person, credential):
    scene.deactivate_account()


def expire(scene, person, credential):
    scene.clock.advance(seconds=SESSION_TTL.total_seconds())


BREAKERS = {
    "employee-revoked": ("employee", revoke),
    "employee-deactivated": ("employee", deactivate_person),
    "employee-account-deactivated": ("employee", deactivate_account),
    "employee-expired": ("employee", expire),
    "contact-revoked": ("contact", revoke),
    "contact-deactivated": ("contact", deactivate_person),
    "contact-portal-closed": ("contact", close_the_portal),
    "contact-account-deactivated": ("contact", deactivate_account),
    "contact-expired": ("contact", expire),
}


@pytest.mark.parametrize("case", sorted(BREAKERS))
def test_access_stops_at_the_next_request(scene, case):
    kind, breaker = BREAKERS[case]
    person = scene.person(kind)
    secret, credential = scene.world.issue(person)
    assert scene.valid(secret)
    breaker(scene, person, credential)
    with pytest.raises(Unauthenticated):
        authenticate(scene.d, secret)


def test_a_password_reset_token_is_no_bearer_token(scene):
    secret, _ = scene.world.issue(scene.agent, kind="password_reset", ttl=RESET_TTL)
    with pytest.raises(Unauthenticated):
        authenticate(scene.d, secret)


@pytest.mark.parametrize("secret", ["", "x" * 43, "not-a-token"])
def test_unknown_tokens_are_refused(scene, secret):
    with pytest.raises(Unauthenticated):
        authenticate(scene.d, secret)


def test_a_credential_names_a_person_only_within_its_account(scene):
    # A credential of the other account naming this account's employee finds nobody.
    secret, _ = scene.world.issue(scene.agent, account=scene.other_account)
    with pytest.raises(Unauthenticated):
        authenticate(scene.d, secret)


def test_a_contact_credential_never_authenticates_an_employee_of_that_id(scene):
    secret, _ = scene.d.credentials.issue(scene.account["_id"],
                                          {"kind": "contact", "id": scene.agent["_id"]},
                                          "session", SESSION_TTL)
    with pytest.raises(Unauthenticated):
        authenticate(scene.d, secret)


# -- login --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["employee", "contact"])
def test_login_issues_a_session_for_the_person(scene, kind):
    person = scene.person(kind)
    secret, credential, actor = scene.login(person)
    assert credential["kind"] == "session"
    assert credential["actor"] == scene.world.ref(person)
    assert credential["account_id"] == scene.account["_id"]
    assert credential["expires_at"] - credential["created_at"] == SESSION_TTL
    assert actor == scene.world.actor(scene.refresh(person), credential_id=credential["_id"])
    assert authenticate(scene.d, secret) == actor
    assert secret not in repr(scene.d.credentials.get(scene.account["_id"], credential["_id"]))


def wrong_password(scene):
    return scene.slug, scene.email(scene.agent), PASSWORD + "!"


def unknown_account(scene):
    return "no-such-account", scene.email(scene.agent), PASSWORD


def other_account(scene):
    return scene.other_account["slug"], scene.email(scene.agent), PASSWORD


def unknown_email(scene):
    return scene.slug, "nobody@example.ru", PASSWORD


def deactivated_account(scene):
    scene.deactivate_account()
    return scene.slug, scene.email(scene.agent), PASSWORD


def deactivated_employee(scene):
    scene.deactivate_employee(scene.agent)
    return scene.slug, scene.email(scene.agent), PASSWORD


def employee_without_password(scene):
    employee = scene.world.employee(scene.account, password=None)
    return scene.slug, employee["email"], PASSWORD


def closed_portal(scene):
    # The login stays claimed while the portal is open; close it in the stored document only.
    scene.d.contacts.contacts.update_one({"_id": scene.contact["_id"]},
                                         {"$set": {"portal_access": "none"}})
    return scene.slug, scene.email(scene.contact), PASSWORD


FAILED_LOGINS = [wrong_password, unknown_account, other_account, unknown_email,
                 deactivated_account, deactivated_employee, employee_without_password,
                 closed_portal]


@pytest.mark.parametrize("failure", FAILED_LOGINS, ids=lambda f: f.__name__)
def test_every_failed_login_gets_the_same_answer(scene, failure):
    credentials_before = scene.d.credentials.credentials.count_documents({})
    with pytest.raises(Unauthenticated) as caught:
        login(scene.d, *failure(scene))
    assert caught.value.args == (BAD_LOGIN, {})
    assert scene.d.credentials.credentials.count_documents({}) == credentials_before


@pytest.mark.parametrize("failure,target", [
    (wrong_password, "agent"), (unknown_email, None), (deactivated_employee, "agent"),
], ids=["wrong-password", "unknown-email", "deactivated-employee"])
def test_failed_logins_are_audited_without_the_password(scene, failure, target):
    slug, email, password = failure(scene)
    with pytest.raises(Unauthenticated):
        login(scene.d, slug, email, password)
    [entry] = scene.audit(action="login.failed")
    assert entry["actor"] == {"kind": "system", "id": "login"}
    assert entry["target_type"] == "login"
    assert entry["target_id"] == (scene.agent["_id"] if target else None)
    assert entry["details"] == {"login": email, "locked": False}
    assert entry["at"] == scene.clock.now
    assert password not in repr(entry) and PASSWORD not in repr(scene.audit())
    assert scene.audit(account=scene.other_account) == []


def test_five_failed_logins_lock_even_the_right_password(scene):
    slug, email, wrong = wrong_password(scene)
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            login(scene.d, slug, email, wrong)
        scene.clock.advance(seconds=1)
    assert [e["details"]["locked"] for e in scene.audit(action="login.failed")] == \
        [True, False, False, False, False]  # newest first
    with pytest.raises(Throttled) as caught:
        login(scene.d, slug, email, PASSWORD)
    assert int(caught.value.extra["retry_after"]) > 14 * 60
    assert not scene.d.credentials.credentials.find_one({"kind": "session"})
    # Another person of the account is not locked out.
    scene.login(scene.admin)
    scene.clock.advance(minutes=15)
    _, _, actor = scene.login(scene.agent)
    assert actor.id == scene.agent["_id"]


def test_a_successful_login_clears_the_failures(scene):
    slug, email, wrong = wrong_password(scene)
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(Unauthenticated):
                login(scene.d, slug, email, wrong)
        scene.login(scene.agent)


# -- password change ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["employee", "contact"])
def test_change_password_keeps_this_session_and_ends_the_others(scene, kind):
    person = scene.person(kind)
    current_secret, current = scene.world.issue(person)
    other_secret, _ = scene.world.issue(person)
    token_secret, _ = scene.world.issue(person, kind="api_token")
    someone_else, _ = scene.world.issue(scene.admin)
    actor = scene.world.actor(person, credential_id=current["_id"])

    change_password(scene.d, actor, PASSWORD, NEW_PASSWORD)

    assert scene.valid(current_secret)
    assert not scene.valid(other_secret)
    assert scene.valid(someone_else)
    assert scene.valid(token_secret), "API tokens are not sessions"
    scene.login(person, NEW_PASSWORD)
    with pytest.raises(Unauthenticated):
        scene.login(person, PASSWORD)


def test_change_password_needs_the_current_one(scene):
    session_secret, session = scene.world.issue(scene.agent)
    other_secret, _ = scene.world.issue(scene.agent)
    before = scene.refresh(scene.agent)["password_hash"]
    with pytest.raises(Forbidden):
        change_password(scene.d, scene.world.actor(scene.agent, session["_id"]),
                        "not my password", NEW_PASSWORD)
    assert scene.refresh(scene.agent)["password_hash"] == before
    assert scene.valid(other_secret)


def test_change_password_refuses_a_deactivated_person(scene):
    actor = scene.world.actor(scene.agent)
    scene.deactivate_employee(scene.agent)
    with pytest.raises(Forbidden):
        change_password(scene.d, actor, PASSWORD, NEW_PASSWORD)


# -- password reset -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["employee", "contact"])
def test_a_reset_token_works_once_and_signs_everybody_out(scene, kind):
    person = scene.person(kind)
    admin = scene.world.actor(scene.admin)
    session_secret, _ = scene.world.issue(person)
    secret, credential = issue_reset(scene.d, admin, scene.world.ref(person))
    assert credential["kind"] == "password_reset"
    assert credential["created_by"] == admin.as_reference()
    assert credential["expires_at"] - credential["created_at"] == RESET_TTL

    assert redeem_reset(scene.d, scene.slug, secret, NEW_PASSWORD) == (
        scene.account["_id"], scene.world.ref(person))

    assert not scene.valid(session_secret)
    with pytest.raises(Unauthenticated):
        redeem_reset(scene.d, scene.slug, secret, "yet another passphrase")
    scene.login(person, NEW_PASSWORD)


def test_a_reset_token_is_refused_in_another_account(scene):
    secret, _ = issue_reset(scene.d, scene.world.actor(scene.admin), scene.world.ref(scene.agent))
    before = scene.refresh(scene.agent)["password_hash"]
    for slug in (scene.other_account["slug"], "no-such-account"):
        with pytest.raises(Unauthenticated):
            redeem_reset(scene.d, slug, secret, NEW_PASSWORD)
    assert scene.refresh(scene.agent)["password_hash"] == before
    # Trying it elsewhere did not use it up.
    redeem_reset(scene.d, scene.slug, secret, NEW_PASSWORD)


def test_a_reset_token_expires(scene):
    secret, _ = issue_reset(scene.d, scene.world.actor(scene.admin), scene.world.ref(scene.agent))
    scene.clock.advance(seconds=RESET_TTL.total_seconds())
    with pytest.raises(Unauthenticated):
        redeem_reset(scene.d, scene.slug, secret, NEW_PASSWORD)


def test_a_session_token_is_no_reset_token(scene):
    secret, _ = scene.world.issue(scene.agent)
    with pytest.raises(Unauthenticated):
        redeem_reset(scene.d, scene.slug, secret, NEW_PASSWORD)


@pytest.mark.parametrize("target", ["inactive-employee", "other-account", "closed-portal",
                                    "unknown"])
def test_a_reset_needs_an_active_person_of_the_account(scene, target):
    if target == "inactive-employee":
        scene.deactivate_employee(scene.agent)
        ref = scene.world.ref(scene.agent)
    elif target == "other-account":
        ref = scene.world.ref(scene.world.employee(scene.other_account, password=None))
    elif target == "closed-portal":
        scene.change_contact(portal_access="none")
        ref = scene.world.ref(scene.contact)
    else:
        ref = {"kind": "employee", "id": "no-such-person"}
    # Another account's person is as unknown as one that does not exist (404, not 403).
    expected = NotFound if target in ("other-account", "unknown") else Forbidden
    with pytest.raises(expected):
        issue_reset(scene.d, scene.world.actor(scene.admin), ref)
    assert scene.d.credentials.credentials.count_documents({"kind": "password_reset"}) == 0


def test_no_secret_reaches_the_audit_log(scene):
    secret, _, _ = scene.login(scene.agent)
    with pytest.raises(Unauthenticated):
        scene.login(scene.agent, "wrong " + PASSWORD)
    log = repr(scene.audit())
    assert secret not in log and PASSWORD not in log and "wrong " not in log


def test_login_guard_actor_is_a_system_actor():
    assert authentication.LOGIN_GUARD.kind == "system"
