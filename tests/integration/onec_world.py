"""An account wired to the seeded 1C double through the API: clients 1C knows, our contracts with
1C's numbers, and the connection; what the 1C sync integration tests act on."""
import time


CONNECTIONS = "/api/v1/billing/connections"


def seeded(double, name, field):
    return double.find("Catalog_Контрагенты", double.refs[name])[field]


def add_clients(admin, double):
    """{our name: client id} for the counterparties north, south_b (the branch) and ivanov."""
    ids = {}
    for key, name, kpp in (("north", "north", "770201001"), ("branch", "south_b", "780302001"),
                           ("ivanov", "ivanov", None)):
        answer = admin.post("/api/v1/clients", json={"name": f"Клиент {key}", "category": "vip"
                                                     if key == "north" else None,
                                                     "inn": seeded(double, name, "ИНН"), "kpp": kpp})
        assert answer.status_code == 201, answer.text
        ids[key] = answer.json()["id"]
    return ids


def add_contract(admin, number, client_id, paid):
    targets = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
               for p in ("low", "normal", "high", "critical")}
    level = admin.post("/api/v1/service-levels", json={
        "name": f"Уровень {number}", "targets": targets, "monthly_price": {"amount": "10000"}})
    assert level.status_code == 201, level.text
    contract = admin.post("/api/v1/contracts", json={
        "number": number, "client_id": client_id, "service_level_id": level.json()["id"],
        "valid_from": "2026-01-01", "payment": {"state": "paid" if paid else "unpaid"}})
    assert contract.status_code == 201, contract.text
    return contract.json()["id"]


def connect(admin, double, **extra):
    body = dict(url=double.url, user=double.user, password=double.password,
                profile=double.profile, **extra)
    answer = admin.post(CONNECTIONS, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def wait_for(probe, what, timeout=60):
    """Poll `probe` until it returns something truthy; the bound only keeps a broken suite from
    hanging, nothing is asserted about how long it took."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"never happened: {what}")


def run_sync(admin, connection_id, mode="full"):
    """Queue a run and wait for it to end; the finished run."""
    answer = admin.post(f"{CONNECTIONS}/{connection_id}/runs", json={"mode": mode})
    assert answer.status_code == 202, answer.text
    run_id = answer.json()["id"]

    def finished():
        run = admin.get(f"/api/v1/billing/runs/{run_id}").json()
        return run if run["state"] in ("succeeded", "failed") else None
    return wait_for(finished, f"run {run_id} ends")
