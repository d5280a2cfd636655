"""The README must not drift from the files: every make target and path it names exists."""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    opening = README[:1500]
    assert "make all" in opening and "make test" in opening


def test_every_make_target_named_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, flags=re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)`", README))
    assert named and named <= targets, named - targets


def test_every_path_named_exists():
    named = set(re.findall(r"`((?:notebooks|data|figures|src|tests|benchmarks|\.ci)/[^`*\s]*)`", README))
    missing = sorted(p for p in named if not (PROJECT_ROOT / p.rstrip("/")).exists())
    assert missing == []


def test_ci_runs_exactly_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)
