"""Train the Rasa model only when its inputs changed.

The model's file name carries a hash of everything training reads (config,
domain, rules, NLU data, the custom NLU component, pinned requirements), so
"is the model stale?" is "does ``models/sanad-<hash>.tar.gz`` exist?" — exact,
and immune to clocks and checkouts that reset file times.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.settings import MODELS_DIR, REPO_ROOT

CONFIG = REPO_ROOT / "config.yml"
DOMAIN = REPO_ROOT / "bot" / "domain"
TRAINING_DATA = (REPO_ROOT / "nlu_data", REPO_ROOT / "bot" / "rules")
#: Code that shapes the trained model besides the data.
MODEL_CODE = tuple(
    REPO_ROOT / "bot" / f"{name}.py"
    for name in ("nlu_component", "language_detector", "language", "text_normalizer", "normalization")
)
PIN_FILE = REPO_ROOT / "requirements.txt"


def training_inputs() -> list[Path]:
    files = [CONFIG, PIN_FILE, *MODEL_CODE]
    for folder in (DOMAIN, *TRAINING_DATA):
        files += sorted(folder.rglob("*.yml"))
    return files


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    return MODELS_DIR / f"sanad-{fingerprint()}.tar.gz"


def train(force: bool = False) -> Path:
    """The current model, trained first if missing. Older Sanad models are removed."""
    target = model_path()
    if target.exists() and not force:
        return target
    MODELS_DIR.mkdir(exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        str(CONFIG),
        "--domain",
        str(DOMAIN),
        "--data",
        *map(str, TRAINING_DATA),
        "--out",
        str(MODELS_DIR),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    for old in MODELS_DIR.glob("sanad-*.tar.gz"):
        if old != target:
            old.unlink()
    return target
