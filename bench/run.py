"""Benchmark Sanad against stock Rasa 3.6 on this machine: training, memory, latency, accuracy.

    .venv/bin/python bench/run.py                       # full run (stock training takes 10-25 min)
    .venv/bin/python bench/run.py --skip-train-stock M.tar.gz --skip-train-sanad S.tar.gz \\
        --requests-1 20 --requests-20 40                # quick run while developing

Flow, everything in one temp folder (``models/`` and ``var/`` are never touched):

1. Train both models with a cold Rasa cache, timing the wall clock and reading the
   training process's own peak RSS from ``os.wait4``. Sanad = config.yml + bot/domain +
   nlu_data + bot/rules. Stock = bench/stock/config.yml (Rasa's default pipeline and
   policies) on the same nlu_data, with a domain and rules generated here: one text
   response and one rule per intent, one text slot per entity.
2. Score both on tests/nlu/test_nlu.yml with bot.evaluation, each at its own
   FallbackClassifier threshold.
3. Serve Sanad as tests/model/conftest.py does (action server + Rasa with the SQL
   tracker store, temp SQLite files, free ports) and stock with ``rasa run`` alone
   (in-memory tracker store, no action server). For each: warm up, read the servers'
   RSS, then send test-set messages over the REST webhook at concurrency 1 and 20.
4. Split Sanad's time: the action server alone (realistic webhook calls), Rasa's
   JSON-schema check of each action response, the SQL tracker store alone (retrieve +
   save of the benchmark's own conversations), and NLU parsing alone for both models
   (in this process, via rasa.core.agent).
5. Write bench/results/benchmark.json and benchmark.md, and print the table.

Nothing here asserts on timing: the numbers are reported, not judged. Everything
listens on 127.0.0.1 only, and every loop is bounded by a request count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp
import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repo's packages, and the Sanad model's custom component

from rasa.core.actions.action import RemoteAction  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.core.tracker_store import TrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402

from bot import runner  # noqa: E402
from bot.catalog.loader import load_catalog  # noqa: E402
from bot.evaluation import TEST_SET, configured_threshold, predict, score  # noqa: E402
from bot.settings import environment  # noqa: E402

RESULTS = ROOT / "bench" / "results"
STOCK_CONFIG = ROOT / "bench" / "stock" / "config.yml"
SANAD_DOMAIN = ROOT / "bot" / "domain"
NLU_DATA = ROOT / "nlu_data"

WARMUP_REQUESTS = 20
#: A worker starts a new conversation (sender id) every this many messages: founders
#: send a handful of messages, not hundreds, and tracker size drives the SQL store's cost.
CONVERSATION_LENGTH = 10
#: Intent -> the custom action Sanad's rules run for it; used to time the action server alone.
ACTION_SAMPLES = {
    "list_programs": "action_list_programs",
    "program_details": "action_answer",
    "ask_financing": "action_answer",
    "about_technopark": "action_answer",
}
ACTION_REQUESTS_EACH = 25
TRACKER_SAMPLES = 40
NLU_SAMPLES = 100
STARTUP_TIMEOUT = 300
STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stdout, stamped with the time since the run began and the 1-min load average.

    The load shows whether something else was competing for the CPU during a measurement.
    """
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"[{minutes:3d}:{seconds:02d} load {load}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentiles(milliseconds: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/mean of a latency sample, rounded for the report (None when every request failed)."""
    if len(milliseconds) < 2:
        value = round(milliseconds[0], 1) if milliseconds else None
        return {"p50_ms": value, "p95_ms": value, "mean_ms": value, "n": len(milliseconds)}
    cuts = statistics.quantiles(milliseconds, n=100)
    return {
        "p50_ms": round(statistics.median(milliseconds), 1),
        "p95_ms": round(cuts[94], 1),
        "mean_ms": round(statistics.fmean(milliseconds), 1),
        "n": len(milliseconds),
    }


# --- training -------------------------------------------------------------------------


def timed_run(command: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """Wall seconds, CPU seconds and peak RSS of one child process.

    ``os.wait4`` gives that child's own rusage; RUSAGE_CHILDREN would be the maximum
    over every child this script ever waited for, so a second, smaller training
    would report the first one's peak.
    """
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),  # the same whatever else shares the cores
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB
    }


def training_env(cache: Path) -> dict[str, str]:
    """Sanad's environment with a fresh Rasa cache, so training is timed as on a clean clone."""
    env = environment()
    env["RASA_CACHE_DIRECTORY"] = str(cache)
    return env


def write_stock_project(folder: Path) -> tuple[Path, Path]:
    """A stock domain and rules for Sanad's NLU data: a text reply and a rule per intent.

    Entities become text slots filled from the entity, not influencing the dialogue.
    """
    data = load_data(str(NLU_DATA))
    intents, entities = sorted(data.intents), sorted(data.entities)
    domain = {
        "version": "3.1",
        "intents": intents,
        "entities": entities,
        "slots": {
            entity: {
                "type": "text",
                "influence_conversation": False,
                "mappings": [{"type": "from_entity", "entity": entity}],
            }
            for entity in entities
        },
        "responses": {f"utter_{intent}": [{"text": f"Réponse pour {intent}."}] for intent in intents},
    }
    rules = {
        "version": "3.1",
        "rules": [
            {"rule": f"answer {intent}", "steps": [{"intent": intent}, {"action": f"utter_{intent}"}]}
            for intent in intents
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    domain_path, rules_path = folder / "domain.yml", folder / "rules.yml"
    domain_path.write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False))
    rules_path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False))
    return domain_path, rules_path


def train(name: str, config: Path, domain: Path, data: Sequence[Path], work: Path) -> tuple[Path, dict[str, float]]:
    """Train one model into ``work``; return its path with the time and memory it took."""
    command = [sys.executable, "-m", "rasa", "train", "--config", str(config), "--domain", str(domain)]
    command += ["--data", *map(str, data), "--out", str(work), "--fixed-model-name", name]
    say(f"training {name} ...")
    cost = timed_run(command, training_env(work / f"cache-{name}"), work / f"train-{name}.log")
    say(f"{name} trained: {cost['seconds']} s, peak {cost['peak_rss_mb']} MB")
    return work / f"{name}.tar.gz", cost


# --- accuracy ---------------------------------------------------------------------------


def accuracy(model: Path, threshold: float, out: Path) -> dict[str, Any]:
    say(f"scoring {model.name} on {TEST_SET.name} ...")
    return score(predict(model, out), threshold)


# --- serving ----------------------------------------------------------------------------


def test_messages() -> list[str]:
    """The held-out messages as a founder types them (load_data strips entity markup).

    The file is grouped by intent; a fixed shuffle gives every phase, however short,
    the same mix of small talk and catalog questions, in the same order on both sides.
    """
    messages = [message.get("text") for message in load_data(str(TEST_SET)).training_examples]
    random.Random(0).shuffle(messages)
    return messages


def rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` plus all its descendants, in MB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    total_kb = 0
    for member in tree:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return round(total_kb / 1024, 1)


async def _conversation(
    session: aiohttp.ClientSession, url: str, sender: str, messages: Sequence[str], offset: int, count: int
) -> tuple[list[float], int]:
    """One worker: ``count`` messages in turn, a new conversation every CONVERSATION_LENGTH."""
    latencies: list[float] = []
    errors = 0
    for index in range(count):
        body = {
            "sender": f"{sender}-c{index // CONVERSATION_LENGTH}",
            "message": messages[(offset + index) % len(messages)],
        }
        started = time.perf_counter()
        try:
            async with session.post(url, json=body) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        if ok:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors += 1
    return latencies, errors


async def _load(url: str, label: str, messages: Sequence[str], concurrency: int, total: int) -> dict[str, Any]:
    per_worker = max(total // concurrency, 1)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                _conversation(session, url, f"{label}-w{worker}", messages, worker * per_worker, per_worker)
                for worker in range(concurrency)
            )
        )
        seconds = time.perf_counter() - started
    latencies = [ms for worker_latencies, _ in results for ms in worker_latencies]
    errors = sum(worker_errors for _, worker_errors in results)
    return {
        **percentiles(latencies),
        "concurrency": concurrency,
        "errors": errors,
        "seconds": round(seconds, 1),
        "throughput_rps": round(len(latencies) / seconds, 2),
    }


def load_test(url: str, label: str, messages: Sequence[str], requests_1: int, requests_20: int) -> dict[str, Any]:
    """Sequential then 20-way REST traffic; each phase gets fresh sender ids."""
    say(f"{label}: {requests_1} requests at concurrency 1 ...")
    single = asyncio.run(_load(url, f"{label}-c1", messages, 1, requests_1))
    say(f"{label}: {requests_20} requests at concurrency 20 ...")
    twenty = asyncio.run(_load(url, f"{label}-c20", messages, 20, requests_20))
    return {"concurrency_1": single, "concurrency_20": twenty}


def warm_up(url: str, messages: Sequence[str]) -> None:
    asyncio.run(_load(url, "warmup", messages[-WARMUP_REQUESTS:], 1, WARMUP_REQUESTS))


def serve_sanad(model: Path, work: Path, messages: Sequence[str], requests_1: int, requests_20: int) -> dict[str, Any]:
    """Sanad as tests/model/conftest.py starts it, loaded with traffic, then timed piece by piece."""
    folder = work / "serve-sanad"
    folder.mkdir()
    catalog_url = f"sqlite:///{folder / 'catalog.db'}"
    tracker_db = folder / "tracker.db"
    env = environment(
        {
            **os.environ,
            "SANAD_DATABASE_URL": catalog_url,
            "SANAD_TRACKER_URL": f"sqlite:///{tracker_db}",
            "SANAD_RASA_PORT": str(free_port()),
            "SANAD_ACTIONS_PORT": str(free_port()),
        }
    )
    env["SANAD_ACTIONS_URL"] = f"http://127.0.0.1:{env['SANAD_ACTIONS_PORT']}/webhook"
    load_catalog(url=catalog_url)
    services = runner.services(model, env, log_dir=folder / "logs")
    say("starting Sanad (action server + Rasa) ...")
    started = time.perf_counter()
    runner.start_all(services, env, timeout=STARTUP_TIMEOUT)
    startup = round(time.perf_counter() - started, 1)
    actions, rasa = services
    assert actions.process is not None and rasa.process is not None  # start_all started both
    url = f"http://127.0.0.1:{env['SANAD_RASA_PORT']}/webhooks/rest/webhook"
    try:
        warm_up(url, messages)
        memory = {"rasa_rss_mb": rss_mb(rasa.process.pid), "actions_rss_mb": rss_mb(actions.process.pid)}
        load = load_test(url, "sanad", messages, requests_1, requests_20)
        memory_after = {"rasa_rss_mb": rss_mb(rasa.process.pid), "actions_rss_mb": rss_mb(actions.process.pid)}
        domain = Domain.load(str(SANAD_DOMAIN))
        say("timing the action server and the tracker store alone ...")
        action_server = time_action_server(env["SANAD_ACTIONS_URL"], domain)
        calls = action_server_calls_per_message(tracker_db, domain)
        tracker_store = asyncio.run(time_tracker_store(env["SANAD_TRACKER_URL"], domain, tracker_db))
    finally:
        runner.stop_all(services)
    memory["total_rss_mb"] = round(memory["rasa_rss_mb"] + memory["actions_rss_mb"], 1)
    memory_after["total_rss_mb"] = round(memory_after["rasa_rss_mb"] + memory_after["actions_rss_mb"], 1)
    return {
        "startup_seconds": startup,
        "memory_after_warmup": memory,
        "memory_after_load": memory_after,
        **load,
        "action_server": {**action_server, "calls_per_message": calls},
        "tracker_store": tracker_store,
    }


def serve_stock(model: Path, work: Path, messages: Sequence[str], requests_1: int, requests_20: int) -> dict[str, Any]:
    """``rasa run`` with nothing but the model: in-memory tracker store, no action server."""
    port = free_port()
    command = [sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(port)]
    command += ["--interface", "127.0.0.1"]
    server = runner.Service(
        "stock Rasa server", command, f"http://127.0.0.1:{port}/webhooks/rest/", work / "serve-stock" / "rasa.log"
    )
    say("starting stock Rasa ...")
    started = time.perf_counter()
    runner.start_all([server], environment(), timeout=STARTUP_TIMEOUT)
    startup = round(time.perf_counter() - started, 1)
    assert server.process is not None  # start_all started it
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        warm_up(url, messages)
        memory = {"rasa_rss_mb": rss_mb(server.process.pid)}
        load = load_test(url, "stock", messages, requests_1, requests_20)
        memory_after = {"rasa_rss_mb": rss_mb(server.process.pid)}
    finally:
        runner.stop_all([server])
    return {"startup_seconds": startup, "memory_after_warmup": memory, "memory_after_load": memory_after, **load}


# --- where Sanad's time goes --------------------------------------------------------------


def action_request(action: str, sender: str, example: Any, domain: Domain, domain_dict: dict[str, Any]) -> bytes:
    """The JSON Rasa posts to the action server right after a founder's message.

    The message's intent and entities are the test set's gold annotations, so the
    action does the same catalog queries as in a real conversation.
    """
    intent = {"name": example.get("intent"), "confidence": 1.0}
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(example.get("text"), intent=intent, entities=example.get("entities") or []),
    ]
    tracker = DialogueStateTracker.from_events(sender, events, slots=domain.slots)
    body = {
        "next_action": action,
        "sender_id": sender,
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "domain": domain_dict,  # sent unless the endpoint enables selective domain; Sanad's does not
        "version": version("rasa"),
    }
    return json.dumps(body).encode()


def time_action_server(webhook: str, domain: Domain) -> dict[str, Any]:
    """Sequential webhook calls for a few catalog actions, timed from this process.

    Each response is also checked the way Rasa's RemoteAction checks it
    (``jsonschema.validate`` against its response schema), timed separately: that
    check is Rasa's own per-call cost, on top of the action server's.
    """
    examples = load_data(str(TEST_SET)).training_examples
    domain_dict = domain.as_dict()
    schema = RemoteAction.action_response_format_spec()
    by_action: dict[str, dict[str, float | None]] = {}
    everything: list[float] = []
    checks: list[float] = []
    for intent, action in ACTION_SAMPLES.items():
        samples = [e for e in examples if e.get("intent") == intent]
        latencies: list[float] = []
        for index in range(ACTION_REQUESTS_EACH + 3):  # the first 3 warm the action's code path
            body = action_request(action, f"bench-action-{index}", samples[index % len(samples)], domain, domain_dict)
            request = urllib.request.Request(webhook, body, {"Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                result = json.load(response)
            answered = time.perf_counter()
            jsonschema.validate(result, schema)
            if index >= 3:
                latencies.append((answered - started) * 1000)
                checks.append((time.perf_counter() - answered) * 1000)
        by_action[action] = percentiles(latencies)
        everything += latencies
    return {"all": percentiles(everything), "by_action": by_action, "rasa_response_check": percentiles(checks)}


def action_server_calls_per_message(tracker_db: Path, domain: Domain) -> float:
    """Estimated action-server calls per user message in the load test, from the tracker store.

    Each custom action run is one call; each run (or rejected run) of a form that has a
    ``validate_<form>`` action counts as one validation call. Checked once against a
    count of Rasa's RemoteAction runs over 150 messages: 0.81 estimated, 0.83 actual.
    """
    custom = set(domain.user_actions) - set(domain.responses)  # the rest are responses Rasa renders itself
    validated_forms = {form for form in domain.form_names if f"validate_{form}" in custom}
    with sqlite3.connect(tracker_db) as connection:
        users = connection.execute("SELECT count(*) FROM events WHERE type_name = 'user'").fetchone()[0]
        runs = connection.execute(
            "SELECT type_name, action_name FROM events WHERE type_name IN ('action', 'action_execution_rejected')"
        ).fetchall()
    calls = sum((kind == "action" and name in custom) or name in validated_forms for kind, name in runs)
    return round(calls / max(users, 1), 3)


async def time_tracker_store(url: str, domain: Domain, tracker_db: Path) -> dict[str, Any]:
    """One turn's tracker-store work (retrieve, then save one turn's events) on the load test's DB.

    A separate process with no concurrent traffic: a lower bound of what the server pays.
    """
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute(
            "SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE 'sanad-c20-%' ORDER BY sender_id LIMIT ?",
            (TRACKER_SAMPLES,),
        )
        senders = [row[0] for row in rows]
    store = TrackerStore.create(EndpointConfig(type="SQL", url=url), domain)
    retrieve: list[float] = []
    save: list[float] = []
    for sender in senders:
        started = time.perf_counter()
        tracker = await store.retrieve(sender)
        retrieved = time.perf_counter()
        if tracker is None:
            continue
        retrieve.append((retrieved - started) * 1000)
        last_turn = max(i for i, event in enumerate(tracker.events) if isinstance(event, UserUttered))
        for event in list(tracker.events)[last_turn:]:
            tracker.update(Event.from_parameters(event.as_dict()), domain)
        started = time.perf_counter()
        await store.save(tracker)
        save.append((time.perf_counter() - started) * 1000)
    both = [r + s for r, s in zip(retrieve, save, strict=True)]
    return {"retrieve": percentiles(retrieve), "save": percentiles(save), "retrieve_plus_save": percentiles(both)}


def time_nlu(model: Path, messages: Sequence[str]) -> dict[str, float]:
    """NLU parse alone (no dialogue, no HTTP), loaded in this process, sequential."""
    say(f"timing NLU parsing of {model.name} in-process ...")
    agent = Agent.load(str(model))

    async def parse_all() -> list[float]:
        latencies: list[float] = []
        for index, text in enumerate(messages[: NLU_SAMPLES + 5]):
            started = time.perf_counter()
            await agent.parse_message(text)
            if index >= 5:  # the first few parses build TensorFlow's graphs
                latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    return percentiles(asyncio.run(parse_all()))


# --- report -----------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?"),
        "memory_gb": round(int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))) / 1024**2, 1),
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in ("rasa", "rasa-sdk", "tensorflow", "spacy", "aiohttp")},
    }


def rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(metric, Sanad, stock) for the Markdown table."""
    sanad, stock = results["sanad"], results["stock"]

    def both(path: str, show: Any = str) -> tuple[str, str]:
        """The value at ``path`` (dot-separated keys) on each side, formatted by ``show``."""

        def at(side: dict[str, Any]) -> str:
            value: Any = side
            for key in path.split("."):
                value = value.get(key, "reused") if isinstance(value, dict) else value
            return str(show(value))

        return at(sanad), at(stock)

    s_mem, k_mem = sanad["serving"]["memory_after_warmup"], stock["serving"]["memory_after_warmup"]
    actions = sanad["serving"]["action_server"]
    store = sanad["serving"]["tracker_store"]["retrieve_plus_save"]
    return [
        ("training time (s)", *both("training.seconds")),
        ("training peak RSS (MB)", *both("training.peak_rss_mb")),
        ("server startup until healthy (s)", *both("serving.startup_seconds")),
        ("Rasa server RSS after warm-up (MB)", str(s_mem["rasa_rss_mb"]), str(k_mem["rasa_rss_mb"])),
        ("action server RSS after warm-up (MB)", str(s_mem["actions_rss_mb"]), "none"),
        ("total server RSS after warm-up (MB)", str(s_mem["total_rss_mb"]), str(k_mem["rasa_rss_mb"])),
        ("latency p50 / p95, 1 conversation (ms)", *both("serving.concurrency_1", _p50_p95)),
        ("latency p50 / p95, 20 conversations (ms)", *both("serving.concurrency_20", _p50_p95)),
        ("throughput, 20 conversations (req/s)", *both("serving.concurrency_20.throughput_rps")),
        ("failed requests, 1 conversation", *both("serving.concurrency_1.errors")),
        ("failed requests, 20 conversations", *both("serving.concurrency_20.errors")),
        ("held-out intent accuracy", *both("accuracy.accuracy")),
        ("held-out intent macro-F1", *both("accuracy.macro_f1")),
        ("out-of-scope messages answered", *both("accuracy.out_of_scope_answered_rate")),
        ("fallback threshold", *both("accuracy.fallback_threshold")),
        ("NLU parse alone p50 / p95 (ms, in-process)", *both("nlu_parse", _p50_p95)),
        ("action server alone p50 / p95 (ms per call)", _p50_p95(actions["all"]), "none"),
        ("Rasa's schema check of one action response p50 (ms)", str(actions["rasa_response_check"]["p50_ms"]), "none"),
        ("action-server calls per message (estimate)", str(actions["calls_per_message"]), "0"),
        ("SQL tracker store retrieve + save p50 (ms)", str(store["p50_ms"]), "in-memory"),
    ]


def _p50_p95(stats: dict[str, Any]) -> str:
    return f"{stats['p50_ms']} / {stats['p95_ms']}"


def sanad_time_split(sanad: dict[str, Any]) -> dict[str, float | None]:
    """A rough split of Sanad's median request at concurrency 1 (medians do not add up exactly)."""
    serving = sanad["serving"]
    actions = serving["action_server"]
    calls = actions["calls_per_message"]
    split = {
        "request_p50": serving["concurrency_1"]["p50_ms"],
        "nlu_parse_p50": sanad["nlu_parse"]["p50_ms"],
        "action_server_p50_times_calls": round(actions["all"]["p50_ms"] * calls, 1),
        "rasa_response_check_p50_times_calls": round(actions["rasa_response_check"]["p50_ms"] * calls, 1),
        "tracker_store_p50": serving["tracker_store"]["retrieve_plus_save"]["p50_ms"],
    }
    parts = [value for key, value in split.items() if key != "request_p50"]
    known = None not in split.values()  # None: every request of a sample failed
    split["rest"] = round(split["request_p50"] - sum(parts), 1) if known else None
    return split


def markdown(results: dict[str, Any]) -> str:
    machine, split = results["machine"], results["sanad_time_split_ms"]
    lines = [
        f"Benchmark of {machine['date']} on {machine['nproc']} × {machine['cpu_model']}, "
        f"{machine['memory_gb']} GB, Rasa {machine['versions']['rasa']} (bench/run.py, {results['run_seconds']} s; "
        f"1-min load average {machine['load_average_at_start'][0]} at start, "
        f"{machine['load_average_at_end'][0]} at end).",
        "",
        "| metric | Sanad | stock Rasa |",
        "|---|---|---|",
        *(f"| {metric} | {sanad} | {stock} |" for metric, sanad, stock in rows(results)),
        "",
        f"Load: {results['requests']['concurrency_1']} requests at concurrency 1, "
        f"{results['requests']['concurrency_20']} at 20, test-set messages, a new conversation every "
        f"{CONVERSATION_LENGTH} messages per worker. Stock = bench/stock/config.yml (Rasa's defaults, language fr) "
        "on nlu_data with one response and one rule per intent; in-memory tracker store, no action server.",
        "",
        f"Sanad's median request at concurrency 1, roughly (medians × calls per message; they do not add up "
        f"exactly): {split['request_p50']} ms ≈ NLU parse {split['nlu_parse_p50']} + action server "
        f"{split['action_server_p50_times_calls']} + Rasa's schema check of action responses "
        f"{split['rasa_response_check_p50_times_calls']} + SQL tracker store {split['tracker_store_p50']} "
        f"+ the rest (policies, HTTP, Rasa's own work) {split['rest']}.",
    ]
    return "\n".join(lines) + "\n"


# --- main -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skip-train-sanad", type=Path, metavar="PATH", help="reuse this Sanad model tarball")
    parser.add_argument("--skip-train-stock", type=Path, metavar="PATH", help="reuse this stock model tarball")
    parser.add_argument("--requests-1", type=int, default=150, metavar="N", help="requests at concurrency 1")
    parser.add_argument("--requests-20", type=int, default=600, metavar="N", help="requests at concurrency 20")
    args = parser.parse_args()
    for model in (args.skip_train_sanad, args.skip_train_stock):
        if model is not None and not model.is_file():
            parser.error(f"{model} is not a file (rasa would silently use the newest model in models/ instead)")
    return args


def main() -> None:
    args = parse_args()
    os.environ.update(environment())  # telemetry off for the in-process Rasa too
    configure_structlog(logging.WARNING)  # the in-process Agent would log every parse at debug level
    logging.getLogger("rasa").setLevel(logging.WARNING)
    machine = machine_info()
    messages = test_messages()
    sanad_threshold = configured_threshold()  # read now: config.yml is what the Sanad model is trained from
    with tempfile.TemporaryDirectory(prefix="sanad-bench-") as folder:
        work = Path(folder)
        sides: dict[str, dict[str, Any]] = {"sanad": {}, "stock": {}}

        sanad_model, stock_model = args.skip_train_sanad, args.skip_train_stock
        if sanad_model is None:
            data = [NLU_DATA, ROOT / "bot" / "rules"]
            sanad_model, sides["sanad"]["training"] = train("sanad", ROOT / "config.yml", SANAD_DOMAIN, data, work)
        else:
            sanad_model, sides["sanad"]["training"] = sanad_model.resolve(), {"reused": str(sanad_model)}
        if stock_model is None:
            domain, rules = write_stock_project(work / "stock-project")
            stock_model, sides["stock"]["training"] = train("stock", STOCK_CONFIG, domain, [NLU_DATA, rules], work)
        else:
            stock_model, sides["stock"]["training"] = stock_model.resolve(), {"reused": str(stock_model)}

        sides["sanad"]["accuracy"] = accuracy(sanad_model, sanad_threshold, work / "eval-sanad")
        sides["stock"]["accuracy"] = accuracy(stock_model, configured_threshold(STOCK_CONFIG), work / "eval-stock")
        sides["sanad"]["serving"] = serve_sanad(sanad_model, work, messages, args.requests_1, args.requests_20)
        sides["stock"]["serving"] = serve_stock(stock_model, work, messages, args.requests_1, args.requests_20)
        sides["sanad"]["nlu_parse"] = time_nlu(sanad_model, messages)
        sides["stock"]["nlu_parse"] = time_nlu(stock_model, messages)

    machine["load_average_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    results = {
        "machine": machine,
        "run_seconds": round(time.monotonic() - STARTED),
        "requests": {"warmup": WARMUP_REQUESTS, "concurrency_1": args.requests_1, "concurrency_20": args.requests_20},
        **sides,
        "sanad_time_split_ms": sanad_time_split(sides["sanad"]),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "benchmark.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = markdown(results)
    (RESULTS / "benchmark.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
