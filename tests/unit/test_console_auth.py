"""Staff accounts: argon2 hashes, lockout, sessions that end, and the schema that Alembic builds and keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from bot.console import auth, db
from bot.console.models import Base, StaffSession, StaffUser
from bot.console.pii import contains_pii, mask
from bot.database import get_engine, utcnow

PASSWORD = "un-mot-de-passe-solide"


def test_passwords_are_stored_as_argon2id_hashes(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        user = auth.create_user(session, "Amina", PASSWORD, "admin")
        assert user.username == "amina"
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("amina", "court", "admin", "trop court"),
        ("a b", PASSWORD, "admin", "Identifiant invalide"),
        ("", PASSWORD, "admin", "Identifiant invalide"),
        ("amina", PASSWORD, "superuser", "Rôle inconnu"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(
    database_url: str, username: str, password: str, role: str, message: str
) -> None:
    with db.session_scope(database_url) as session, pytest.raises(auth.AccountError, match=message):
        auth.create_user(session, username, password, role)


def test_a_username_is_taken_once(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        auth.create_user(session, "amina", PASSWORD, "admin")
        with pytest.raises(auth.AccountError, match="existe déjà"):
            auth.create_user(session, "AMINA", PASSWORD, "reviewer")


def test_lockout_after_repeated_failures_then_unlock_when_it_expires(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        auth.create_user(session, "youssef", PASSWORD, "reviewer")
    for _ in range(auth.MAX_FAILURES):
        with db.session_scope(database_url) as session:
            assert auth.authenticate(session, "youssef", "mauvais") is None
    with db.session_scope(database_url) as session:
        assert auth.authenticate(session, "youssef", PASSWORD) is None  # locked
        user = session.scalar(select(StaffUser).where(StaffUser.username == "youssef"))
        assert user.locked_until > utcnow() + auth.LOCKOUT - dt.timedelta(minutes=1)
        user.locked_until = utcnow() - dt.timedelta(seconds=1)  # fifteen minutes later
    with db.session_scope(database_url) as session:
        assert auth.authenticate(session, "youssef", PASSWORD) is not None


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        user = auth.create_user(session, "salma", PASSWORD, "reviewer")
        token = auth.open_session(session, user)
    with db.session_scope(database_url) as session:
        assert auth.resolve_session(session, token).username == "salma"
        user = session.scalar(select(StaffUser).where(StaffUser.username == "salma"))
        user.active = False
    with db.session_scope(database_url) as session:
        assert auth.resolve_session(session, token) is None
        assert auth.authenticate(session, "salma", PASSWORD) is None


def test_sessions_expire_and_only_their_hash_is_stored(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        user = auth.create_user(session, "omar", PASSWORD, "admin")
        token = auth.open_session(session, user)
    with db.session_scope(database_url) as session:
        row = session.scalar(select(StaffSession))
        assert row.token_hash != token and token not in row.token_hash
        row.expires_at = utcnow() - dt.timedelta(seconds=1)
    with db.session_scope(database_url) as session:
        assert auth.resolve_session(session, token) is None


def test_a_new_password_ends_the_old_sessions(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        user = auth.create_user(session, "omar", PASSWORD, "admin")
        token = auth.open_session(session, user)
        auth.set_password(session, user, "un-autre-mot-de-passe")
    with db.session_scope(database_url) as session:
        assert auth.resolve_session(session, token) is None
        assert auth.authenticate(session, "omar", "un-autre-mot-de-passe") is not None


def test_migrations_build_exactly_the_models_and_rerun_as_no_ops(database_url: str) -> None:
    db.upgrade(database_url)
    db.upgrade(database_url)
    with get_engine(database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": db.VERSION_TABLE})
        differences = [d for d in compare_metadata(context, Base.metadata) if db.VERSION_TABLE not in str(d)]
    assert differences == []


def test_an_upgrade_keeps_the_data_of_the_previous_revision(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    db.upgrade(url, "0001")  # a console from before the review tables
    engine = get_engine(url)
    assert not inspect(engine).has_table("console_tags")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO console_users (username, password_hash, role, active, failed_logins, created_at) "
            "VALUES ('amina', 'x', 'admin', 1, 0, '2026-01-01 00:00:00')"
        )
    db.upgrade(url)
    assert inspect(engine).has_table("console_tags")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT username FROM console_users").scalar() == "amina"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("écrivez à salma.b@example.ma svp", "écrivez à s•••@example.ma svp"),
        ("mon numéro +212 6 12 34 56 78", "mon numéro +21• • •• •• •• 78"),
        ("0612345678", "0•••••••78"),
        ("en 2024 on a levé 500000 dh", "en 2024 on a levé 500000 dh"),
        ("رقمي 0612345678", "رقمي 0•••••••78"),
    ],
)
def test_contacts_are_masked(text: str, masked: str) -> None:
    assert mask(text) == masked
    assert contains_pii(text) == (text != masked)
