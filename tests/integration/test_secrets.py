"""Tokens and passwords never appear in answers where they do not belong, nor in any log."""
import time
import uuid

from tests.integration.suite_process import Api
from tests.integration.world import login


def test_no_secret_reaches_a_log(suite, north):
    password = f"Secret-{uuid.uuid4().hex}"
    email = f"secret-{uuid.uuid4().hex[:6]}@north.example"
    employee = north.admin.create_employee("agent", email=email, password=password)
    session = login(suite.url, "north", email, password)
    token = north.admin.post("/api/v1/tokens", json={"name": "тайна"}).json()["token"]
    Api(suite.url).post("/api/v1/auth/login",
                        json={"account": "north", "login": email, "password": password + "x"})
    Api(suite.url, token + "x").get("/api/v1/tickets")          # a wrong token is logged as such
    reset = north.admin.post(f"/api/v1/employees/{employee['id']}/password-reset").json()["token"]
    session.get("/api/v1/tickets")
    time.sleep(0.5)  # let the services flush their log lines
    logs = "".join(path.read_text(errors="replace") for path in (suite.run_dir / "logs").glob("*.log"))
    for secret in (password, session.token, token, reset, suite.owner().token):
        assert secret not in logs
    assert "password_hash" not in logs


def test_answers_never_carry_password_hashes_or_stored_digests(north):
    for path in ("/api/v1/employees", f"/api/v1/clients/{north.ids['client_a']}/contacts",
                 "/api/v1/tokens", "/api/v1/audit"):
        text = north.admin.get(path, params={"limit": 100}).text
        assert "password_hash" not in text and "$argon2" not in text and '"digest"' not in text
