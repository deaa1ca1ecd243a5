"""``python -m bot staff ...`` (accounts) and ``python -m bot console ...`` (schema, index, NLU export).

staff create NAME --role admin|reviewer   password asked twice (or one line on stdin with --password-stdin)
staff password NAME                        set a new password (ends the account's sessions)
staff disable NAME | staff enable NAME
staff list
console migrate                            bring the console's tables to the latest schema (Alembic)
console index                              copy new conversations from the tracker store into the index
console export-nlu [--output FILE]         write reviewed examples to nlu_data/reviewed.yml, then validate it
"""

from __future__ import annotations

import argparse
import getpass
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import auth, db, indexer, nlu_export
from bot.console.models import ROLES, StaffUser
from bot.settings import REPO_ROOT


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if first != getpass.getpass("Encore une fois : "):
        raise auth.AccountError("Les deux mots de passe diffèrent.")
    return first


def _user(session: Session, name: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == auth.normalize_username(name)))
    if user is None:
        raise auth.AccountError(f"Pas de compte {name}.")
    return user


def cmd_staff(args: argparse.Namespace) -> int:
    try:
        with db.session_scope() as session:
            if args.action == "create":
                user = auth.create_user(session, args.name, _password(args), args.role)
                print(f"compte créé : {user.username} ({user.role})")
            elif args.action == "password":
                auth.set_password(session, _user(session, args.name), _password(args))
                print("mot de passe changé ; ses sessions sont fermées")
            elif args.action in ("disable", "enable"):
                user = _user(session, args.name)
                user.active = args.action == "enable"
                if not user.active:
                    auth.end_sessions(session, user.id)
                print(f"{user.username} : {'actif' if user.active else 'désactivé'}")
            else:
                for user in session.scalars(select(StaffUser).order_by(StaffUser.username)):
                    print(f"{user.username}\t{user.role}\t{'actif' if user.active else 'désactivé'}")
    except auth.AccountError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def validate_nlu(nlu_dir: Path) -> subprocess.CompletedProcess[str]:
    """``rasa data validate`` on the domain, the rules and ``nlu_dir``: what training will read."""
    command = [sys.executable, "-m", "rasa", "data", "validate", "--domain", "bot/domain"]
    command += ["--data", str(nlu_dir), "bot/rules"]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)


def cmd_console(args: argparse.Namespace) -> int:
    if args.action == "migrate":
        db.upgrade()
        print("console schema up to date")
    elif args.action == "index":
        print(f"{indexer.sync()} tracker events indexed")
    else:
        output = Path(args.output).resolve()
        with db.session_scope() as session:
            result = nlu_export.export(session, output=output, nlu_dir=output.parent)
            output.write_text(result.yaml_text, encoding="utf-8")
        print(f"{output}: {result.added} new example(s)")
        for reason in result.skipped:
            print(f"  skipped {reason}")
        check = validate_nlu(output.parent)
        if check.returncode != 0:
            print(f"rasa data validate failed:\n{check.stdout[-3000:]}{check.stderr[-3000:]}", file=sys.stderr)
            return 1
        print("rasa data validate: OK. Retrain with `make train` (or `make run`).")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``staff`` and ``console`` commands to ``python -m bot``."""
    staff = commands.add_parser("staff", help="staff accounts of the console")
    staff.add_argument("action", choices=["create", "password", "disable", "enable", "list"])
    staff.add_argument("name", nargs="?", default="")
    staff.add_argument("--role", choices=ROLES, default="reviewer")
    staff.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    staff.set_defaults(func=cmd_staff)
    console = commands.add_parser("console", help="the console's schema, index and NLU export")
    console.add_argument("action", choices=["migrate", "index", "export-nlu"])
    console.add_argument("--output", default=str(nlu_export.EXPORT_FILE))
    console.set_defaults(func=cmd_console)
