"""Staff accounts, password checks with lockout, server-side sessions and their CSRF tokens.

Passwords are hashed with argon2id. After ``MAX_FAILURES`` wrong passwords in a
row an account is locked for ``LOCKOUT``; the answer to a wrong password, an
unknown user, a disabled or a locked account is the same, and takes as long
(an unknown user still costs one argon2 verification), so the login form tells
an attacker nothing. A session is a random token: the browser keeps it in a
signed cookie, the database keeps its SHA-256 and a CSRF token, so logging out
or disabling an account ends the session everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.console.models import ROLES, StaffSession, StaffUser
from bot.database import utcnow

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
MIN_PASSWORD = 10
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")

_hasher = PasswordHasher()
#: What an unknown username is checked against, so it costs the same time as a real one.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why, for staff."""


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as the pages need it."""

    id: int
    username: str
    role: str
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 80 or not set(name) <= USERNAME_CHARS:
        raise AccountError("Identifiant invalide : lettres, chiffres, « . _ - @ », 80 caractères au plus.")
    return name


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins.")
    if len(password) > 1024:
        raise AccountError("Mot de passe trop long : 1 024 caractères au plus.")


def create_user(session: Session, username: str, password: str, role: str) -> StaffUser:
    name = normalize_username(username)
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu : {role} (rôles : {', '.join(ROLES)}).")
    check_password_policy(password)
    if session.scalar(select(StaffUser.id).where(StaffUser.username == name)) is not None:
        raise AccountError(f"Le compte {name} existe déjà.")
    user = StaffUser(username=name, password_hash=_hasher.hash(password), role=role, active=True, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str) -> None:
    check_password_policy(password)
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """The account if ``password`` is right and the account may sign in; otherwise None, counting the failure."""
    try:
        name = normalize_username(username)
    except AccountError:
        name = ""
    user = session.scalar(select(StaffUser).where(StaffUser.username == name)) if name else None
    now = utcnow()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password[:1024])
        correct = user is not None
    except (VerificationError, InvalidHashError):
        correct = False
    if user is None:
        return None
    if user.locked_until is not None and user.locked_until > now:
        return None
    if not correct or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def open_session(session: Session, user: StaffUser) -> str:
    """A new session for ``user``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def resolve_session(session: Session, token: str) -> Staff | None:
    """Who holds ``token``, if the session is live and the account still active."""
    row = session.get(StaffSession, _token_hash(token))
    if row is None:
        return None
    user = session.get(StaffUser, row.user_id)
    if row.expires_at <= utcnow() or user is None or not user.active:
        session.delete(row)
        return None
    return Staff(id=user.id, username=user.username, role=user.role, csrf_token=row.csrf_token)


def close_session(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())
