"""The webhook edge's cache of integration secrets: fresh for a minute, stale while telephony is
down, never an answer for an integration it has not seen."""
import pytest

from gateway.telephony.targets import FRESH_SECONDS, STALE_SECONDS, WebhookTargets
from services.shared.errors import NotFound, Unavailable

PBX = "0123456789abcdef0123456789abcdef"
TARGET = {"account_id": "acme", "integration_id": PBX, "dialect": "generic",
          "secrets": {"token": "t" * 24}}


class Telephony:
    def __init__(self):
        self.asked, self.answer = 0, TARGET

    def __call__(self, integration_id):
        self.asked += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_fresh_entries_are_not_asked_again_stale_ones_are():
    telephony, clock = Telephony(), Clock()
    targets = WebhookTargets(telephony, clock)
    assert targets.get(PBX) == TARGET and targets.get(PBX) == TARGET
    assert telephony.asked == 1
    clock.now += FRESH_SECONDS
    targets.get(PBX)
    assert telephony.asked == 2


def test_while_telephony_is_down_a_known_integration_is_served_an_unknown_one_is_not():
    telephony, clock = Telephony(), Clock()
    targets = WebhookTargets(telephony, clock)
    targets.get(PBX)
    telephony.answer = Unavailable("down")
    clock.now += FRESH_SECONDS + 1
    assert targets.get(PBX) == TARGET
    with pytest.raises(Unavailable):
        targets.get("f" * 32)
    clock.now += STALE_SECONDS
    with pytest.raises(Unavailable):
        targets.get(PBX)


def test_a_disabled_or_deleted_integration_is_forgotten_and_odd_ids_are_not_asked_for():
    telephony, clock = Telephony(), Clock()
    targets = WebhookTargets(telephony, clock)
    targets.get(PBX)
    telephony.answer = NotFound("disabled")
    clock.now += FRESH_SECONDS
    with pytest.raises(NotFound):
        targets.get(PBX)
    telephony.answer = Unavailable("down")
    with pytest.raises(Unavailable):
        targets.get(PBX)  # not served from the cache any more
    asked = telephony.asked
    for odd in ("../../etc", "", "X" * 32, PBX + "0"):
        with pytest.raises(NotFound):
            targets.get(odd)
    assert telephony.asked == asked
