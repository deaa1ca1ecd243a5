"""The website widget in a real browser (Playwright driving Debian's headless Chromium), against the
real widget server, Rasa server and action server.

Screenshots are saved under var/artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import sqlite3
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import runner
from bot.catalog.loader import DATA_DIR, load_catalog
from tests.model.conftest import SCREENSHOTS, Sanad, free_port

playwright = pytest.importorskip("playwright.sync_api")

GREETING = "Bonjour, je suis Sanad"
OPEN = "Ouvrir le chat avec Sanad"
SLOW = 90_000  # ms: a first answer can wait for Rasa under load


@pytest.fixture
def page(browser: Any, sanad: Sanad) -> Iterator[Any]:
    """A fresh visitor (empty localStorage) on the demo page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(sanad.web_url + "/")
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def log_text(page: Any) -> str:
    return page.locator("[role=log]").inner_text()


def wait_for_text(page: Any, text: str, timeout: int = SLOW) -> None:
    try:
        page.locator("[role=log]").get_by_text(text, exact=False).last.wait_for(timeout=timeout)
    except playwright.TimeoutError:
        shot = SCREENSHOTS / f"failed-{uuid.uuid4().hex[:8]}.png"
        page.screenshot(path=shot)
        status = page.locator(".status").inner_text()
        raise AssertionError(
            f"{text!r} never appeared; status: {status!r}; screenshot: {shot}\nlog: {log_text(page)[-800:]}"
        ) from None


def send(page: Any, text: str) -> None:
    page.get_by_label("Votre message").fill(text)
    page.get_by_label("Votre message").press("Enter")


def open_widget(page: Any) -> None:
    page.get_by_role("button", name=OPEN).click()
    wait_for_text(page, GREETING)


def test_a_founder_asks_about_programs_and_follows_a_button(page: Any) -> None:
    open_widget(page)
    assert page.get_by_role("button", name="Programmes").is_visible()  # quick replies of the greeting
    send(page, "quels sont les programmes d'accélération ?")
    wait_for_text(page, "Plug and Play")
    page.get_by_role("button", name="Détails").first.click()
    wait_for_text(page, "Durée : 3 mois")
    assert "Source :" in log_text(page)
    page.screenshot(path=SCREENSHOTS / "widget-conversation.png")


def test_the_greeting_comes_before_the_first_exchange(page: Any) -> None:
    """A founder who types before the greeting arrives still reads it first, then the question, then the answer."""
    page.get_by_role("button", name=OPEN).click()
    send(page, "Combien de temps dure le programme Plug and Play ?")
    wait_for_text(page, "dure 3 mois")
    bubbles = page.locator("[role=log] .msg").all_inner_texts()
    greeting = next(i for i, b in enumerate(bubbles) if GREETING in b)
    question = next(i for i, b in enumerate(bubbles) if "Combien de temps dure" in b)
    answer = next(i for i, b in enumerate(bubbles) if "dure 3 mois" in b)
    assert greeting < question < answer, bubbles


def test_the_conversation_survives_a_reload_and_navigation(page: Any, sanad: Sanad) -> None:
    open_widget(page)
    send(page, "Le programme Plug and Play dure combien de temps ?")
    wait_for_text(page, "» dure 3 mois.")  # the answer first
    page.get_by_role("button", name="Plus de détails").last.click()  # then the card
    wait_for_text(page, "Durée : 3 mois")
    page.reload()
    wait_for_text(page, "Durée : 3 mois", timeout=20_000)  # history read back, card still there
    send(page, "Et ça se passe où ?")
    wait_for_text(page, "Lieu de « Programme d'accélération")  # same conversation: Sanad remembers the program
    page.goto(sanad.web_url + "/programmes")
    wait_for_text(page, "Lieu de « Programme d'accélération", timeout=20_000)
    assert log_text(page).count("Bonjour, je suis Sanad") == 1
    page.get_by_role("button", name="Nouvelle conversation").click()
    page.locator("[role=log]").get_by_text("Lieu de « Programme").wait_for(state="detached")
    wait_for_text(page, GREETING)


def test_html_in_a_message_is_shown_as_text_never_run(page: Any, sanad: Sanad, tmp_path: Path) -> None:
    # From a founder...
    open_widget(page)
    attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    send(page, attack)
    page.locator(".founder", has_text="<img src=x").wait_for()
    # ...and from the catalog (a program whose name carries markup, as a careless edit could).
    data = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, data)
    programs = yaml.safe_load((data / "programs.yml").read_text())
    hostile = dict(programs[0], id="programme-balise", aliases=["Programme Balise"])
    hostile["name"] = {
        "fr": 'Programme <img src=x onerror="window.__xss=3"> Balise [lien](javascript:window.__xss=4)',
        "en": "Tag program",
    }
    (data / "programs.yml").write_text(yaml.safe_dump([*programs, hostile], allow_unicode=True))
    load_catalog(data, url=sanad.catalog_url)
    try:
        send(page, "quels sont les programmes ?")
        wait_for_text(page, 'Programme <img src=x onerror="window.__xss=3"> Balise')
    finally:
        load_catalog(url=sanad.catalog_url)
    assert page.evaluate("window.__xss") is None
    assert page.locator("[role=log] img, [role=log] script").count() == 0
    assert page.locator("[role=log] a[href^=javascript]").count() == 0


def focused(page: Any) -> str:
    """What has the keyboard focus, inside the widget's shadow DOM if it is there."""
    return page.evaluate(
        """() => {
            const inner = document.activeElement && document.activeElement.shadowRoot
                ? document.activeElement.shadowRoot.activeElement : document.activeElement;
            return inner ? (inner.getAttribute('aria-label') || inner.id || inner.textContent || inner.tagName) : '';
        }"""
    )


def test_a_conversation_with_the_keyboard_only(page: Any) -> None:
    page.get_by_role("button", name=OPEN).wait_for()  # the widget's script is deferred
    for _ in range(15):
        page.keyboard.press("Tab")
        if focused(page) == OPEN:
            break
    assert focused(page) == OPEN
    page.keyboard.press("Enter")
    wait_for_text(page, GREETING)
    assert focused(page) == "sanad-input"
    for _ in range(40):  # from the message box back into the greeting's suggested replies
        page.keyboard.press("Shift+Tab")
        if focused(page) == "Programmes":
            break
    assert focused(page) == "Programmes"
    page.keyboard.press("Enter")
    wait_for_text(page, "Plug and Play")
    assert focused(page) == "sanad-input"  # focus comes back to the message box, not lost with the button
    page.keyboard.type("parle-moi de Plug and Play")
    page.keyboard.press("Enter")
    wait_for_text(page, "Durée : 3 mois")
    page.keyboard.press("Escape")
    assert focused(page) == OPEN
    assert page.get_by_role("button", name=OPEN).get_attribute("aria-expanded") == "false"


ACCESSIBILITY = """() => {
    const root = document.querySelector('#sanad-widget').shadowRoot;
    const name = (el) => (el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby')
        && root.getElementById(el.getAttribute('aria-labelledby')).textContent) || el.textContent || '').trim();
    const label = (input) => { const l = root.querySelector(`label[for="${input.id}"]`); return l ? l.textContent.trim() : ''; };
    const rgb = (css) => css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (el) => { const s = getComputedStyle(el); const a = lum(rgb(s.color)), b = lum(rgb(s.backgroundColor));
                           return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
    const panel = root.querySelector('aside');
    return {
        launcher: { name: name(root.querySelector('.launcher')), expanded: root.querySelector('.launcher').getAttribute('aria-expanded'),
                    background: getComputedStyle(root.querySelector('.launcher')).backgroundColor },
        landmark: { tag: panel.tagName, name: name(panel) },
        log: { role: root.querySelector('.log').getAttribute('role'), live: root.querySelector('.log').getAttribute('aria-live'),
               name: name(root.querySelector('.log')) },
        status: root.querySelector('.status').getAttribute('role'),
        inputLabel: label(root.querySelector('textarea')),
        unnamedButtons: [...root.querySelectorAll('button')].filter((b) => !name(b)).length,
        contrast: Object.fromEntries(['.sanad', '.founder', 'header', 'form button', '.quick button']
            .map((selector) => [selector, ratio(root.querySelector(selector))])),
    };
}"""


def test_roles_labels_contrast_and_style_isolation(page: Any) -> None:
    open_widget(page)
    send(page, "bonjour")
    page.locator(".founder").first.wait_for()
    wait_for_text(page, GREETING)
    report = page.evaluate(ACCESSIBILITY)
    assert report["launcher"]["name"] == OPEN and report["launcher"]["expanded"] == "true"
    assert report["landmark"] == {"tag": "ASIDE", "name": "Sanad · Technopark"}  # a complementary landmark
    assert report["log"] == {"role": "log", "live": "polite", "name": "Conversation avec Sanad"}
    assert report["status"] == "status"
    assert report["inputLabel"] == "Votre message"
    assert report["unnamedButtons"] == 0
    assert all(value >= 4.5 for value in report["contrast"].values()), report["contrast"]  # WCAG AA
    # The host page's `button { background: hotpink !important }` does not reach the widget.
    assert report["launcher"]["background"] == "rgb(11, 92, 171)"


def test_english_switch_and_arabic_right_to_left(page: Any) -> None:
    open_widget(page)
    page.get_by_role("button", name="English").click()
    wait_for_text(page, "Hello, I'm Sanad")
    assert page.get_by_label("Your message").is_visible()  # the widget's own words switched too
    page.get_by_label("Your message").fill("ما هي البرامج التي تقدمونها؟")
    page.get_by_label("Your message").press("Enter")
    bubble = page.locator(".founder", has_text="تقدمونها")
    bubble.wait_for()
    assert bubble.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    # Sanad answers in Arabic; a reply that starts with a Latin program name still reads right to left.
    wait_for_text(page, "إليكم")
    reply = page.locator(".sanad", has_text="Plug and Play").last
    assert reply.evaluate("(el) => getComputedStyle(el).direction") == "rtl"


def test_the_widget_in_arabic_and_in_darija(page: Any) -> None:
    open_widget(page)
    page.get_by_role("button", name="العربية").click()
    wait_for_text(page, "أنا سند")
    panel = page.locator("aside")
    assert panel.get_attribute("dir") == "rtl" and panel.get_attribute("lang") == "ar"
    page.get_by_label("رسالتكم").fill("واش كاين شي تمويل ف كازا؟")
    page.get_by_label("رسالتكم").press("Enter")
    wait_for_text(page, "حول التمويل")
    founder = page.locator(".founder").last.bounding_box()
    sanad = page.locator(".sanad").last.bounding_box()
    assert founder["x"] < sanad["x"]  # mirrored: the founder's bubbles on the left, Sanad's on the right
    page.screenshot(path=SCREENSHOTS / "widget-arabic.png")

    page.get_by_role("button", name="Darija").click()
    wait_for_text(page, "Salam! Ana Sanad")
    assert panel.get_attribute("dir") == "ltr"
    page.get_by_label("L'message dyalek").fill("bghit n3ref chno homa les programmes li kaynin")
    page.get_by_label("L'message dyalek").press("Enter")
    wait_for_text(page, "Plug and Play")
    wait_for_text(page, "Hahoma les programmes")


def test_on_a_360_pixel_phone_the_panel_fits_the_screen(browser: Any, sanad: Sanad) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(sanad.web_url + "/")
        open_widget(page)
        send(page, "quels sont les programmes d'accélération ?")
        wait_for_text(page, "Plug and Play")
        box = page.locator("aside").bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 640
        assert page.get_by_label("Votre message").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        page.screenshot(path=SCREENSHOTS / "widget-360x640.png")
    finally:
        context.close()


@pytest.fixture
def other_site(sanad: Sanad, tmp_path: Path) -> Iterator[str]:
    """A page of another website (its own origin) that embeds the widget with one script tag."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Incubateur partenaire</title></head>'
        "<body><h1>Incubateur partenaire</h1>"
        f'<script src="{sanad.web_url}/widget.js" data-server="{sanad.web_url}" defer></script></body></html>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as site:
        threading.Thread(target=site.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{site.server_address[1]}/index.html"
        site.shutdown()


def test_a_message_typed_while_sanad_is_down_is_sent_when_it_is_back(page: Any, sanad: Sanad, other_site: str) -> None:
    page.goto(other_site)
    open_widget(page)
    server = next(s for s in sanad.services if s.name == "web widget")
    server.stop()
    try:
        send(page, "parle-moi de Plug and Play")
        page.locator(".status").get_by_text("Connexion au serveur perdue").wait_for(timeout=30_000)
        page.screenshot(path=SCREENSHOTS / "widget-offline.png")
        page.reload()  # still down: what the founder typed is kept in the browser, shown, and waits
        page.locator(".founder.pending", has_text="parle-moi de Plug and Play").wait_for(timeout=30_000)
        page.locator(".status").get_by_text("Connexion au serveur perdue").wait_for(timeout=30_000)
    finally:
        runner.start_all([server], sanad.env, timeout=60)
    wait_for_text(page, "Durée : 3 mois")
    assert page.locator(".status").inner_text() == ""
    assert log_text(page).count("parle-moi de Plug and Play") == 1


# -- The widget's API, as any client (or attacker) can call it ---------------------------------------


def post(
    sanad: Sanad, session: str, body: Any, headers: dict[str, str] | None = None, base: str | None = None
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{base or sanad.web_url}/api/sessions/{session}/messages",
        json.dumps(body).encode() if not isinstance(body, bytes) else body,
        {"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def founder_messages(sanad: Sanad, session: str) -> list[str]:
    with sqlite3.connect(sanad.tracker_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id", (f"web-{session}",)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_api_refuses_bad_input_clearly_and_answers_a_resend_once(sanad: Sanad) -> None:
    session = uuid.uuid4().hex
    assert post(sanad, "x", {"client_id": uuid.uuid4().hex, "text": "hi"})[0] == 400
    assert post(sanad, session, b"\xff\xfe not json") == (400, {"error": "not_json"})
    assert post(sanad, session, {"client_id": "short", "text": "hi"}) == (400, {"error": "bad_client_id"})
    assert post(sanad, session, {"client_id": uuid.uuid4().hex, "text": "   "}) == (400, {"error": "empty"})
    assert post(sanad, session, {"client_id": uuid.uuid4().hex, "text": "a" * 2001}) == (400, {"error": "too_long"})
    forged = {"client_id": uuid.uuid4().hex, "payload": '/request_advisor{"name": "x"}', "title": "x"}
    assert post(sanad, session, forged) == (400, {"error": "unknown_button"})

    assert post(sanad, session, {"client_id": uuid.uuid4().hex, "text": "\ud800 broken"}) == (
        400,
        {"error": "bad_characters"},
    )
    assert post(sanad, session, {"client_id": uuid.uuid4().hex, "text": "/ /request_advisor{}"})[1]["founder"][
        "text"
    ] == (
        "request_advisor{}"  # however it is disguised, typed intent syntax reaches Rasa as plain text
    )
    message = {"client_id": uuid.uuid4().hex, "text": "/greet"}
    status, first = post(sanad, session, message)
    assert status == 200 and first["founder"]["text"] == "greet"
    status, again = post(sanad, session, message)  # the widget resends after a lost response
    assert status == 200 and again["replies"] == first["replies"]
    assert founder_messages(sanad, session) == ["request_advisor{}", "greet"]  # Rasa was asked once for each

    emoji = {"client_id": uuid.uuid4().hex, "text": "🚀🇲🇦 مرحبا programmes ?"}
    assert post(sanad, session, emoji)[0] == 200


def test_api_keeps_the_message_when_rasa_is_down(sanad: Sanad, tmp_path: Path) -> None:
    env = {**sanad.env, "SANAD_WEB_PORT": str(free_port()), "SANAD_RASA_PORT": str(free_port())}  # no Rasa there
    server = runner.web_widget(env, tmp_path)
    runner.start_all([server], env, timeout=60)
    try:
        session = uuid.uuid4().hex
        request = urllib.request.Request(
            f"http://127.0.0.1:{env['SANAD_WEB_PORT']}/api/sessions/{session}/messages",
            json.dumps({"client_id": uuid.uuid4().hex, "text": "bonjour"}).encode(),
            {"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 503 and json.load(refused.value) == {"error": "unavailable"}
        with urllib.request.urlopen(
            f"http://127.0.0.1:{env['SANAD_WEB_PORT']}/api/sessions/{session}/messages", timeout=30
        ) as response:
            [kept] = json.load(response)["messages"]
        assert kept["text"] == "bonjour" and kept["status"] == "pending"
    finally:
        server.stop()


def test_only_allowed_sites_may_post(sanad: Sanad, tmp_path: Path) -> None:
    env = {**sanad.env, "SANAD_WEB_PORT": str(free_port()), "SANAD_WEB_ALLOWED_ORIGINS": "https://www.technopark.ma"}
    server = runner.web_widget(env, tmp_path)
    runner.start_all([server], env, timeout=60)
    try:
        base = f"http://127.0.0.1:{env['SANAD_WEB_PORT']}"
        message = {"client_id": uuid.uuid4().hex, "text": "bonjour"}
        evil = post(sanad, uuid.uuid4().hex, message, {"Origin": "https://evil.example"}, base)
        assert evil == (403, {"error": "origin_not_allowed"})
        plain = post(sanad, uuid.uuid4().hex, message, {"Content-Type": "text/plain"}, base)  # no CORS preflight
        assert plain == (415, {"error": "json_expected"})
        status, answer = post(sanad, uuid.uuid4().hex, message, {"Origin": "https://www.technopark.ma"}, base)
        assert status == 200 and answer["replies"]
    finally:
        server.stop()


def test_the_widget_script_is_served_for_other_sites(sanad: Sanad) -> None:
    request = urllib.request.Request(
        f"{sanad.web_url}/api/sessions/{uuid.uuid4().hex}/messages", method="OPTIONS",
        headers={"Origin": "https://www.technopark.ma", "Access-Control-Request-Method": "POST"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    with urllib.request.urlopen(f"{sanad.web_url}/widget.js", timeout=10) as response:
        script = response.read().decode()
    assert response.headers["Content-Type"].startswith("application/javascript")
    assert "innerHTML" not in re.sub(r"launcher\.innerHTML = '<svg[^']*';", "", script)  # the icon is the only one
