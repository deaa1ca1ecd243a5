"""Sanad's command line: ``python -m bot <command>``.

catalog load     validate bot/catalog/data/*.yml and upsert it into the database
catalog check    validate only
nlu generate     write nlu_data/catalog_lookups.yml from the catalog
train [--force]  train the Rasa model if its inputs changed
run              all of the above, then start the action server and Rasa, until Ctrl-C
chat             talk to a running Sanad from the terminal
staff ...        staff accounts of the console (create, password, disable, enable, list)
console ...      the console's schema, index and NLU export (see bot/console/cli.py)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

from bot import nlu_catalog, runner, training
from bot.catalog.loader import CatalogError, load_catalog, read_catalog
from bot.console import cli as console_cli
from bot.settings import environment


def cmd_catalog(args: argparse.Namespace) -> int:
    try:
        if args.action == "check":
            read_catalog()
            print("catalog OK")
        else:
            print(load_catalog())
    except CatalogError as error:
        print(f"catalog invalid, database unchanged:\n{error}", file=sys.stderr)
        return 2
    return 0


def cmd_nlu(args: argparse.Namespace) -> int:
    changed = nlu_catalog.write()
    print(f"{nlu_catalog.OUTPUT.name}: {'updated' if changed else 'up to date'}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    print(f"model: {training.train(force=args.force)}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    env = environment()
    if env["SANAD_TRACKER_URL"] == env["SANAD_DATABASE_URL"]:
        # Both hold an `events` table (Rasa's conversation events, the catalog's program events).
        print("SANAD_TRACKER_URL must name another database than SANAD_DATABASE_URL.", file=sys.stderr)
        return 2
    os.environ.update(env)
    status = cmd_catalog(argparse.Namespace(action="load"))
    if status:
        return status
    cmd_nlu(args)
    model = training.train()
    print(f"model: {model.name}")
    services = runner.services(model, env)
    try:
        runner.start_all(services, env, timeout=float(env["SANAD_STARTUP_TIMEOUT"]))
    except runner.StartupError as error:
        print(f"Sanad did not start: {error}", file=sys.stderr)
        return 1
    rest = f"http://{env['SANAD_HOST']}:{env['SANAD_RASA_PORT']}/webhooks/rest/webhook"
    telegram = (
        f"bridge running ({env['SANAD_TELEGRAM_MODE']}), log in var/logs/telegram.log"
        if env.get("TELEGRAM_BOT_TOKEN")
        else "skipped: set TELEGRAM_BOT_TOKEN to start it"
    )
    web = f"http://{env['SANAD_HOST']}:{env['SANAD_WEB_PORT']}"
    console = f"http://{env['SANAD_HOST']}:{env['SANAD_CONSOLE_PORT']}/ (staff sign in; first account:"
    console += " python -m bot staff create <name> --role admin)"
    print(
        f"Sanad is ready.\n  web widget:   {web}/ (demo page; embed {web}/widget.js on a site)\n"
        f"  REST webhook: {rest}\n  Telegram:     {telegram}\n  console:      {console}\n"
        "  chat here:    make chat   (Ctrl-C stops everything)"
    )
    return runner.watch(services)


def cmd_chat(args: argparse.Namespace) -> int:
    env = environment()
    url = f"http://{env['SANAD_HOST']}:{env['SANAD_RASA_PORT']}/webhooks/rest/webhook"
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Parlez à Sanad (Ctrl-D pour quitter). Boutons : tapez leur numéro.")
    buttons: list[dict[str, str]] = []
    while True:
        try:
            line = input("vous> ").strip()
        except EOFError:
            print()
            return 0
        if line.isdigit() and 0 < int(line) <= len(buttons):
            line = buttons[int(line) - 1]["payload"]
        body = json.dumps({"sender": sender, "message": line}).encode()
        request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                replies = json.load(response)
        except (urllib.error.URLError, OSError) as error:
            print(f"(Sanad ne répond pas à {url} : {error}. Lancez `make run`.)")
            continue
        buttons = []
        for reply in replies:
            print(f"sanad> {reply.get('text', '')}")
            for button in reply.get("buttons", []):
                buttons.append(button)
                print(f"   [{len(buttons)}] {button['title']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    catalog = commands.add_parser("catalog", help="load or check the program catalog")
    catalog.add_argument("action", choices=["load", "check"])
    catalog.set_defaults(func=cmd_catalog)
    nlu = commands.add_parser("nlu", help="generate NLU lookups and synonyms from the catalog")
    nlu.add_argument("action", choices=["generate"])
    nlu.set_defaults(func=cmd_nlu)
    train = commands.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=cmd_train)
    commands.add_parser("run", help="load, train if needed, start every service").set_defaults(func=cmd_run)
    commands.add_parser("chat", help="talk to a running Sanad").set_defaults(func=cmd_chat)
    console_cli.register(commands)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
