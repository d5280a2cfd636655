"""Every path the suite uses, built from one place.

Inputs (``data/raw``) always come from the project checkout. Outputs (``data/processed``,
``figures``) go under the *output root*, which is the checkout unless ``BRANDREP_OUTPUT_ROOT``
is set: ``brandrep run`` stages a run there and ``brandrep verify --rerun`` reruns the whole
suite into a temporary directory that way, so notebooks never hard-code ``../data``.
"""

from __future__ import annotations

import os
from pathlib import Path

OUTPUT_ROOT_ENV = "BRANDREP_OUTPUT_ROOT"
PROJECT_ROOT_ENV = "BRANDREP_PROJECT_ROOT"


def _find_project_root() -> Path:
    if os.environ.get(PROJECT_ROOT_ENV):
        return Path(os.environ[PROJECT_ROOT_ENV]).resolve()
    # An editable install (what `make` does) keeps the package inside the checkout.
    candidate = Path(__file__).resolve().parents[2]
    if (candidate / "data" / "raw").is_dir():
        return candidate
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "data" / "raw").is_dir() and (parent / "notebooks").is_dir():
            return parent
    raise RuntimeError(
        "cannot find the brandrep checkout (a folder with data/raw and notebooks); "
        f"set {PROJECT_ROOT_ENV} to it"
    )


PROJECT_ROOT = _find_project_root()
RAW_DIR = PROJECT_ROOT / "data" / "raw"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
MANIFEST_PATH = PROJECT_ROOT / "outputs.sha256"
# The folders whose every file is a suite output, checked by `brandrep verify`.
OUTPUT_DIRS = ("data/processed", "figures")


def output_root() -> Path:
    """Root under which this run writes its outputs (the checkout unless staged elsewhere)."""
    value = os.environ.get(OUTPUT_ROOT_ENV)
    return Path(value).resolve() if value else PROJECT_ROOT


def processed_dir() -> Path:
    path = output_root() / "data" / "processed"
    path.mkdir(parents=True, exist_ok=True)
    return path


def figures_dir() -> Path:
    path = output_root() / "figures"
    path.mkdir(parents=True, exist_ok=True)
    return path
