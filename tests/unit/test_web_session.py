"""Web sessions through the gateway's app, with no service called: the cookie's flags (the
sign-in form only puts a CSRF token in the session), the way to sign in from a page or an htmx
request, and where a person goes after signing in."""
import pytest

from gateway.app import create_app
from gateway.web import signin


@pytest.fixture(scope="module")
def client():
    return create_app(owner_token="owner", amqp_uri="amqp://guest:guest@127.0.0.1:5672/").test_client()


def session_cookie(client, base_url):
    answer = client.get("/login", base_url=base_url)
    assert answer.status_code == 200
    return next(value for value in answer.headers.getlist("Set-Cookie")
                if value.startswith("servicedesk_session="))


def test_over_https_the_session_cookie_is_secure_httponly_and_lax(client):
    cookie = session_cookie(client, "https://desk.example")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_over_plain_http_it_is_not_marked_secure_so_a_laptop_can_sign_in(client):
    cookie = session_cookie(client, "http://127.0.0.1:8080")
    assert "; Secure" not in cookie and "; HttpOnly" in cookie


def test_the_gateway_can_be_built_twice_in_one_process():
    create_app(owner_token="owner", amqp_uri="amqp://guest:guest@127.0.0.1:5672/")


def test_pages_send_a_stranger_to_sign_in_and_the_api_answers_json(client):
    answer = client.get("/tickets?status=opened")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/tickets?status%3Dopened"
    assert client.get("/api/v1/tickets").status_code == 401
    hx = client.get("/tickets?q=x", headers={"HX-Request": "true"})  # htmx swaps no login form in
    assert hx.status_code == 204 and hx.headers["HX-Redirect"] == "/login?next=/tickets?q%3Dx"


@pytest.mark.parametrize("target, where", [
    ("/tickets?status=opened", "/tickets?status=opened"),
    ("//evil.example/x", "/tickets"),
    ("https://evil.example/", "/tickets"),
    ("/\\evil.example", "/tickets"),
    (None, "/tickets"),
])
def test_after_sign_in_only_a_path_of_this_site_is_followed(client, target, where):
    with client.application.test_request_context():
        assert signin.safe_next(target) == where
