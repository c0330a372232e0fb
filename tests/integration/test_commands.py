"""The documented commands for a running suite: seeding two companies, the owner's account CLI."""
import json
import os
import subprocess
import sys

from tests.integration.suite_process import OWNER_TOKEN, ROOT
from tests.integration.world import login


def run(script, suite, *args):
    env = dict(os.environ, GATEWAY_URL=suite.url, SERVICE_DESK_OWNER_TOKEN=OWNER_TOKEN)
    return subprocess.run([sys.executable, f"scripts/{script}", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_seed_creates_two_companies_once(suite):
    first = run("seed.py", suite)
    assert first.returncode == 0, first.stderr
    assert "alfa-service" in first.stdout and "beta-service" in first.stdout
    alfa = first.stdout.split("Бета Безопасность")[0]
    verdicts = {line.split()[-3] for line in alfa.splitlines() if "->" in line}
    assert verdicts == {"covered", "not_covered", "unpaid"}
    contact_line = next(line for line in alfa.splitlines() if "contact (company)" in line)
    email, password = contact_line.split()[:2]
    contact = login(suite.url, "alfa-service", email, password)
    tickets = contact.get("/api/v1/tickets").json()["items"]
    assert len(tickets) == 3 and all(t["coverage"] for t in tickets)  # ТЦ «Галерея»'s three items
    assert f"{suite.url}/p/alfa-service/" in alfa  # where the contacts sign in
    own_line = next(line for line in alfa.splitlines() if "contact (own)" in line)
    own = login(suite.url, "alfa-service", *own_line.split()[:2])
    assert len(own.get("/api/v1/tickets").json()["items"]) == 3  # the tickets name her
    uncovered = next(t for t in tickets if t["coverage"]["verdict"] == "not_covered")
    assert uncovered["coverage"]["price"] == {"amount": "2500.00", "currency": "RUB"}  # gold call-out
    assert_seeded_knowledge_answers_the_documented_queries(suite)
    again = run("seed.py", suite)
    assert again.returncode == 0 and "exists already" in again.stdout


def titles(api, q):
    answer = api.get("/api/v1/kb/search", params={"q": q, "limit": 5})
    assert answer.status_code == 200, answer.text
    return [hit["title"] for hit in answer.json()["items"]]


def assert_seeded_knowledge_answers_the_documented_queries(suite):
    """The sample queries of docs/knowledge.md ("Try it on the seeded base")."""
    agent = login(suite.url, "alfa-service", "agent2@alfa-service.example", "Demo-password-2026")
    gold = login(suite.url, "alfa-service", "contact11@alfa-service.example", "Demo-password-2026")
    standard = login(suite.url, "alfa-service", "contact21@alfa-service.example",
                     "Demo-password-2026")
    for api in (agent, gold, standard):
        assert titles(api, "турникет скрипит")[0] == "Турникет скрипит и тяжело проворачивается"
    assert titles(agent, "обрыв шс")[0] == "Обрыв шлейфа сигнализации: что проверить"
    assert "Обрыв шлейфа сигнализации: что проверить" not in titles(gold, "обрыв шс")
    assert titles(gold, "касса не пробивает чек")[0] == "Касса не пробивает чек"
    assert "Касса не пробивает чек" not in titles(standard, "касса не пробивает чек")
    assert titles(standard, "в офисе пропал инет")[0] == "Нет интернета в офисе: что проверить до звонка"


def test_the_owner_manages_accounts_from_the_command_line(suite):
    created = run("accounts.py", suite, "create", "cli-service", "Сервис из консоли", "boss@cli.example",
                  "--time-zone", "Asia/Novosibirsk")
    assert created.returncode == 0, created.stdout + created.stderr
    body = json.loads(created.stdout)
    assert body["account"]["time_zone"] == "Asia/Novosibirsk" and body["admin_token"]
    listed = json.loads(run("accounts.py", suite, "list").stdout)
    assert "cli-service" in {a["slug"] for a in listed}
    off = run("accounts.py", suite, "deactivate", body["account"]["id"])
    assert off.returncode == 0 and json.loads(off.stdout)["active"] is False
    refused = run("accounts.py", suite, "create", "cli-service", "x", "x@x.example")
    assert refused.returncode == 1 and "taken" in refused.stdout
