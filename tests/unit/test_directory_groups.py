"""Groups (teams) and their members (services/tickets/store/people.py GroupStore, EmployeeStore)."""
import pytest

from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.validation import load
from services.tickets.directory.schemas import GroupWriteSchema
from tests.unit.test_directory_support import directory, world  # noqa: F401


class Team:
    def __init__(self, world):
        self.world, self.d = world, world.d
        self.account = world.account()
        self.other_account = world.account()
        self.people = [world.employee(self.account, password=None) for _ in range(4)]
        self.stranger = world.employee(self.other_account, password=None)

    def ids(self, *indexes):
        return [self.people[i]["_id"] for i in indexes]

    def group_ids(self, person, account=None):
        account_id = (account or self.account)["_id"]
        employee = self.d.employees.get(account_id, person["_id"])
        return self.d.employees.with_groups(account_id, [employee])[0]["group_ids"]

    def create(self, name="Выездная бригада", members=(), account=None):
        data = load(GroupWriteSchema(), {"name": name, "member_ids": list(members)})
        return self.d.groups.create((account or self.account)["_id"], data)

    def replace(self, group, name=None, members=()):
        data = load(GroupWriteSchema(), {"name": name or group["name"],
                                         "member_ids": list(members)})
        return self.d.groups.replace(self.account["_id"], group["_id"], data)


@pytest.fixture
def team(world):
    return Team(world)


def test_members_get_the_group(team):
    group = team.create(members=team.ids(0, 1, 1))
    assert group["member_ids"] == sorted(team.ids(0, 1))
    assert [team.group_ids(p) for p in team.people] == [[group["_id"]], [group["_id"]], [], []]


def test_an_employee_belongs_to_several_groups(team):
    first = team.create("Первая линия", team.ids(0))
    second = team.create("Вторая линия", team.ids(0, 1))
    assert sorted(team.group_ids(team.people[0])) == sorted([first["_id"], second["_id"]])
    assert team.group_ids(team.people[1]) == [second["_id"]]


def test_replacing_members_moves_them(team):
    group = team.create(members=team.ids(0, 1))
    other = team.create("Диспетчерская", team.ids(1))
    replaced = team.replace(group, "Бригада №2", team.ids(1, 2))
    assert replaced["name"] == "Бригада №2"
    assert replaced["member_ids"] == sorted(team.ids(1, 2))
    assert team.group_ids(team.people[0]) == []
    assert sorted(team.group_ids(team.people[1])) == sorted([group["_id"], other["_id"]])
    assert team.group_ids(team.people[2]) == [group["_id"]]
    assert team.group_ids(team.people[3]) == []


def test_emptying_a_group(team):
    group = team.create(members=team.ids(0, 1))
    assert team.replace(group, members=[])["member_ids"] == []
    assert all(team.group_ids(p) == [] for p in team.people)


def test_a_group_never_touches_another_accounts_employee(team):
    # Entrypoints check members first (require_active); the store must not cross accounts anyway.
    group = team.create(members=[team.stranger["_id"]])
    assert team.group_ids(team.stranger, team.other_account) == []
    team.replace(group, members=[])
    assert team.group_ids(team.stranger, team.other_account) == []


def test_group_names_are_unique_per_account_case_insensitively(team):
    team.create("Бригада")
    with pytest.raises(Conflict) as caught:
        team.create("БРИГАДА")
    assert caught.value.extra == {"field": "name"}
    team.create("Бригада", account=team.other_account)


def test_renaming_onto_a_taken_name_is_refused(team):
    team.create("Бригада")
    group = team.create("Диспетчерская", team.ids(0))
    with pytest.raises(Conflict):
        team.replace(group, "бригада", team.ids(1))
    assert team.d.groups.get(team.account["_id"], group["_id"])["name"] == "Диспетчерская"
    assert team.group_ids(team.people[0]) == [group["_id"]]


def test_groups_are_read_within_their_account(team):
    group = team.create()
    with pytest.raises(NotFound):
        team.d.groups.get(team.other_account["_id"], group["_id"])
    assert team.d.groups.list(team.other_account["_id"], {"limit": 10}) == ([], None)
    with pytest.raises(NotFound):
        team.d.groups.replace(team.other_account["_id"], group["_id"],
                              {"name": "x", "member_ids": []})


def test_require_active_accepts_active_employees_of_the_account(team):
    team.d.employees.require_active(team.account["_id"], team.ids(0, 1, 2), "member_ids")
    team.d.employees.require_active(team.account["_id"], [], "member_ids")


@pytest.mark.parametrize("who", ["inactive", "other-account", "unknown"])
def test_require_active_refuses_naming_the_field(team, who):
    if who == "inactive":
        team.d.employees.update(team.account["_id"], team.people[3]["_id"], {"active": False})
        bad = team.people[3]["_id"]
    elif who == "other-account":
        bad = team.stranger["_id"]
    else:
        bad = "no-such-employee"
    with pytest.raises(ValidationFailed) as caught:
        team.d.employees.require_active(team.account["_id"], team.ids(0) + [bad], "member_ids")
    assert caught.value.fields == {"member_ids": [f"No active employee {bad}."]}
