"""Delivery proof (issue 7, point 7): a PBX burst while the telephony and tickets services are
down is accepted (the edge needs only the broker and its cached secrets), and once they are back
every call and every ticket is there; each event posted twice, in shuffled order, makes no
duplicate call or ticket."""
import os
import random
import signal

import pytest

from tests.integration.suite_process import SuiteProcess, wait_gone
from tests.integration.telephony_pbx import (calls_of, connect, deliveries, eventually, post,
                                             when_up)

ANSWERED = ["zadarma_incoming_answered", "mango_incoming_answered",
            "asterisk_incoming_answered_ami", "generic_incoming_answered"]
MISSED = ["zadarma_incoming_missed", "mango_incoming_missed", "generic_incoming_missed_form",
          "asterisk_incoming_missed_dialplan"]


class OneWorkerSuite(SuiteProcess):
    """The secrets cache is per gunicorn worker: with one worker, warming it is one request.
    (With several, a worker that has never seen an integration answers 503 during an outage
    and the PBX sends again: see docs/telephony.md.)"""

    def env(self):
        return dict(super().env(), GATEWAY_WORKERS="1")


@pytest.fixture
def own_suite(new_amqp_uri, tmp_path):
    process = OneWorkerSuite(new_amqp_uri(), tmp_path / "data", tmp_path / "run")
    yield process.start()
    process.stop()


def shuffled_twice(flows, seed):
    """(flow name, dialect, delivery) for every delivery of the flows, each twice, shuffled."""
    burst = [(name, dialect, delivery) for name in flows
             for dialect, delivery in deliveries(name)] * 2
    random.Random(seed).shuffle(burst)
    return burst


def test_a_burst_during_an_outage_is_all_there_after_the_restart(own_suite):
    admin = own_suite.admin("outage")
    client = admin.post("/api/v1/clients", json={"name": "ООО Ромашка"}).json()
    admin.post(f"/api/v1/clients/{client['id']}/contacts",
               json={"name": "Иван Звонарёв", "phones": ["+79161234567"]})
    flows = ANSWERED + MISSED
    pbx = {name: connect(admin, deliveries(name)[0][0], name=name,
                         rules={"known_caller": "open_new_ticket"}) for name in flows}
    for name in flows:  # the edge learns each integration's secrets while telephony is up
        # Nothing is queued: an empty body is refused, except Mango's connection check.
        refusal = (200,) if deliveries(name)[0][0] == "mango" else (400, 401)
        assert post(own_suite.url, pbx[name], None, None, probe=True).status_code in refusal

    launcher = own_suite.launcher.pid
    os.kill(launcher, signal.SIGSTOP)  # so that it does not restart them at once
    try:
        for service in ("telephony", "tickets"):
            pid = own_suite.pids()[service]
            os.killpg(pid, signal.SIGKILL)
            wait_gone(pid)
        for name, dialect, delivery in shuffled_twice(flows, seed=11):
            answer = post(own_suite.url, pbx[name], dialect, delivery)
            assert answer.status_code == 200, (name, answer.status_code, answer.text)
    finally:
        os.kill(launcher, signal.SIGCONT)

    for name in flows:
        eventually(lambda: [c for c in (when_up(admin, "/api/v1/telephony/calls",
                                                integration_id=pbx[name]["id"]) or
                                        {"items": []})["items"]
                            if c["state"] == "finished" and c.get("ticket_ids")],
                   f"the call of {name} stored and filed")
        assert len(calls_of(admin, pbx[name])) == 1
    tickets = eventually(lambda: (lambda items: items if len(items) >= len(flows) else None)(
        admin.get("/api/v1/tickets", params={"channel": "phone", "limit": 100}).json()["items"]),
        "a ticket per call")
    assert len(tickets) == len(flows)
    by_priority = sorted(ticket["priority"] for ticket in tickets)
    assert by_priority == ["high"] * len(MISSED) + ["normal"] * len(ANSWERED)
    for name in ANSWERED:
        [call] = calls_of(admin, pbx[name])
        ticket = eventually(lambda: (lambda t: t if t.get("recordings") else None)(
            admin.get(f"/api/v1/tickets/{call['ticket_ids'][0]}").json()),
            f"the recording of {name} on its ticket")
        assert [c["call_id"] for c in ticket["calls"]] == [call["id"]]
        assert len(ticket["recordings"]) == len(call["recordings"]) == 1
