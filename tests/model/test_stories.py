"""`rasa test` end-to-end stories (tests/stories): every founder flow in French and English,
the main ones in Arabic and Darija (both scripts).

The stories carry the users' words, so this checks NLU and dialogue together:
each message must get the expected intent and each turn the expected actions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.settings import REPO_ROOT, environment
from tests.model.conftest import REPORTS

STORIES = REPO_ROOT / "tests" / "stories"


def test_stories(model: Path) -> None:
    out = REPORTS / "stories"
    command = [sys.executable, "-m", "rasa", "test", "core", "--stories", str(STORIES), "--model", str(model)]
    command += ["--out", str(out), "--fail-on-prediction-errors", "--no-plot"]
    result = subprocess.run(command, cwd=REPO_ROOT, env=environment(), capture_output=True, text=True)
    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
