"""The console over real HTTP: sign-in, sessions, CSRF, roles, security headers, and each page answering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.console import PASSWORD, add_staff, csrf_of, serve_console, signed_in


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[str]:
    env = {
        "SANAD_DATABASE_URL": database_url,
        "SANAD_TRACKER_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "SANAD_CONSOLE_SECRET": "secret-for-tests",
    }
    add_staff(database_url, "amina", "admin")
    add_staff(database_url, "youssef", "reviewer")
    with serve_console(env) as base:
        yield base


PAGES = [
    "/conversations",
    "/nlu",
    "/analytics",
    "/requests",
    "/admin/users",
    "/nlu/export.yml",
    "/analytics/intents.csv",
]


@pytest.mark.parametrize("path", [*PAGES, "/conversations/web-abc"])
def test_no_page_answers_without_a_session(console: str, path: str) -> None:
    answer = requests.get(console + path, allow_redirects=False, timeout=10)
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/conversations/web-abc/tags", "/nlu/1", "/requests/1", "/admin/users", "/logout"])
def test_no_form_is_accepted_without_a_session(console: str, path: str) -> None:
    answer = requests.post(console + path, data={"tag": "x", "csrf": "x"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 401


def test_sign_in_sets_a_protected_cookie_and_every_page_answers(console: str) -> None:
    client = signed_in(console, "amina")
    cookie = next(c for c in client.cookies if c.name == "sanad_console")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite") == "Strict"
    assert cookie.value.count(".") == 1  # itsdangerous: token.signature
    for path in PAGES:
        answer = client.get(console + path, timeout=10)
        assert answer.status_code == 200, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_wrong_password_and_unknown_user_get_the_same_answer(console: str) -> None:
    answers = []
    for username, password in (("amina", "pas-le-bon-mot"), ("personne", PASSWORD)):
        client = requests.Session()
        token = csrf_of(client.get(console + "/login", timeout=10).text)
        answer = client.post(
            console + "/login", data={"username": username, "password": password, "csrf": token}, timeout=10
        )
        answers.append((answer.status_code, "incorrect" in answer.text))
        assert not any(c.name == "sanad_console" for c in client.cookies)
    assert answers == [(401, True), (401, True)]


def test_login_form_needs_its_csrf_token(console: str) -> None:
    client = requests.Session()
    client.get(console + "/login", timeout=10)
    answer = client.post(console + "/login", data={"username": "amina", "password": PASSWORD}, timeout=10)
    assert answer.status_code == 403
    forged = requests.post(
        console + "/login", data={"username": "amina", "password": PASSWORD, "csrf": "guess"}, timeout=10
    )
    assert forged.status_code == 403


def test_account_locks_after_five_wrong_passwords(console: str) -> None:
    client = requests.Session()
    for _ in range(5):
        token = csrf_of(client.get(console + "/login", timeout=10).text)
        client.post(console + "/login", data={"username": "youssef", "password": "faux-faux-faux", "csrf": token})
    token = csrf_of(client.get(console + "/login", timeout=10).text)
    answer = client.post(console + "/login", data={"username": "youssef", "password": PASSWORD, "csrf": token})
    assert answer.status_code == 401  # the right password no longer opens it
    admin = signed_in(console, "amina")
    assert "verrouillé" in admin.get(console + "/admin/users", timeout=10).text


def test_a_form_without_the_session_csrf_token_is_refused(console: str) -> None:
    client = signed_in(console, "youssef")
    answer = client.post(console + "/conversations/web-abc/tags", data={"tag": "urgent"}, timeout=10)
    assert answer.status_code == 403
    wrong = client.post(console + "/conversations/web-abc/tags", data={"tag": "urgent", "csrf": "x"}, timeout=10)
    assert wrong.status_code == 403


def test_a_reviewer_cannot_reach_admin_pages(console: str) -> None:
    client = signed_in(console, "youssef")
    assert client.get(console + "/admin/users", timeout=10).status_code == 403
    token = csrf_of(client.get(console + "/conversations", timeout=10).text)
    answer = client.post(
        console + "/admin/users",
        data={"username": "intrus", "password": "0123456789ab", "role": "admin", "csrf": token},
        timeout=10,
    )
    assert answer.status_code == 403
    admin = signed_in(console, "amina")
    assert "intrus" not in admin.get(console + "/admin/users", timeout=10).text
    assert "Comptes" not in client.get(console + "/conversations", timeout=10).text  # no link to what it cannot open


def test_admin_creates_an_account_that_can_sign_in(console: str) -> None:
    admin = signed_in(console, "amina")
    token = csrf_of(admin.get(console + "/admin/users", timeout=10).text)
    short = admin.post(
        console + "/admin/users", data={"username": "salma", "password": "court", "role": "reviewer", "csrf": token}
    )
    assert short.status_code == 422 and "trop court" in short.text
    admin.post(
        console + "/admin/users", data={"username": "salma", "password": PASSWORD, "role": "reviewer", "csrf": token}
    )
    assert "salma" in admin.get(console + "/admin/users", timeout=10).text
    signed_in(console, "salma")


def test_logout_ends_the_session_on_the_server(console: str) -> None:
    client = signed_in(console, "youssef")
    stolen = client.cookies.get("sanad_console")
    token = csrf_of(client.get(console + "/conversations", timeout=10).text)
    assert client.post(console + "/logout", data={"csrf": token}, timeout=10).url.endswith("/login")
    replay = requests.get(
        console + "/conversations", cookies={"sanad_console": stolen}, allow_redirects=False, timeout=10
    )
    assert replay.status_code == 303  # the old cookie is worthless now


def test_a_forged_cookie_is_ignored(console: str) -> None:
    client = signed_in(console, "youssef")
    value = client.cookies.get("sanad_console")
    forged = value.split(".")[0] + ".AAAA"
    answer = requests.get(console + "/conversations", cookies={"sanad_console": forged}, allow_redirects=False)
    assert answer.status_code == 303


def test_sign_in_never_redirects_to_another_site(console: str) -> None:
    client = requests.Session()
    token = csrf_of(client.get(console + "/login?next=//evil.example/x", timeout=10).text)
    answer = client.post(
        console + "/login",
        data={"username": "amina", "password": PASSWORD, "csrf": token, "next": "//evil.example/x"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/conversations"


def test_unknown_pages_and_bad_input_get_clear_answers(console: str) -> None:
    client = signed_in(console, "amina")
    assert client.get(console + "/conversations/nope", timeout=10).status_code == 404
    assert client.get(console + "/analytics/nope.csv", timeout=10).status_code == 404
    odd = client.get(console + "/conversations?page=abc&from=hier&q=%00%25_'--", timeout=10)
    assert odd.status_code == 200
    token = csrf_of(odd.text)
    assert client.post(console + "/requests/999", data={"status": "done", "csrf": token}).status_code == 404
    assert client.post(console + "/requests/1", data={"status": "bogus", "csrf": token}).status_code == 422
