"""services/tickets/tickets/workflow.py: the status state machine."""
import itertools

import pytest

from services.shared.errors import Conflict
from services.tickets.tickets.workflow import (INITIAL_STATUS, STATUSES, allowed_transitions,
                                               check_transition)

# The state machine as the product defines it, written out independently of the module.
EXPECTED = {
    "opened": {"in_progress", "waiting", "resolved", "closed"},
    "in_progress": {"waiting", "resolved", "closed"},
    "waiting": {"in_progress", "resolved", "closed"},
    "resolved": {"closed", "reopened"},
    "closed": {"reopened"},
    "reopened": {"in_progress", "waiting", "resolved", "closed"},
}
ALLOWED = [(a, b) for a, targets in EXPECTED.items() for b in sorted(targets)]
REFUSED = [(a, b) for a, b in itertools.product(STATUSES, STATUSES) if b not in EXPECTED[a]]


def test_statuses_and_initial_status():
    assert set(STATUSES) == set(EXPECTED)
    assert INITIAL_STATUS == "opened"


@pytest.mark.parametrize("current", STATUSES)
def test_allowed_transitions_match_the_table(current):
    targets = allowed_transitions(current)
    assert set(targets) == EXPECTED[current]
    assert len(targets) == len(set(targets))
    assert current not in targets


@pytest.mark.parametrize("current, target", ALLOWED)
def test_allowed_transition_passes(current, target):
    assert check_transition(current, target) is None


@pytest.mark.parametrize("current, target", REFUSED)
def test_other_transition_is_a_conflict_naming_the_allowed_targets(current, target):
    with pytest.raises(Conflict) as caught:
        check_transition(current, target)
    extra = caught.value.extra
    assert sorted(extra["allowed"]) == sorted(EXPECTED[current])
    assert isinstance(extra["allowed"], list)
    assert extra["current_status"] == current and extra["requested_status"] == target
    assert current in caught.value.detail and target in caught.value.detail


def test_every_pair_is_covered():
    assert len(ALLOWED) + len(REFUSED) == len(STATUSES) ** 2


def test_unknown_target_is_a_conflict():
    with pytest.raises(Conflict):
        check_transition("opened", "deleted")
