"""The README is short and does not drift from the files: its two commands, the make targets and
paths it names exist, and every link resolves to a file in the checkout (issue 16)."""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
LINKS = re.findall(r"\]\(([^)\s]+)\)", README)


def test_readme_opens_with_the_two_commands():
    opening = README[:1500]
    assert re.search(r"^make all\b", opening, re.M) and re.search(r"^make test\b", opening, re.M)


def test_readme_is_short():
    assert len(README.encode("utf-8")) < 6000, "details belong in docs/, the README says where to go"


def test_every_make_target_named_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, flags=re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)`", README)) | set(re.findall(r"^make ([a-z][a-z-]*)", README, re.M))
    assert {"all", "test"} <= named and named <= targets, named - targets


def test_every_path_named_exists():
    named = set(re.findall(r"`((?:notebooks|data|figures|src|tests|benchmarks|docs|\.ci)/[^`*\s]*)`", README))
    generated = ("docs/_build",)  # written by `make docs`
    missing = sorted(p for p in named if not p.startswith(generated) and not (PROJECT_ROOT / p.rstrip("/")).exists())
    assert missing == []


def test_every_link_resolves_and_the_answer_links_the_ledger():
    assert "data/processed/claims_ledger.md" in LINKS
    for page in ("own-case", "schemas", "methods", "reproducibility", "benchmarks"):
        assert f"docs/{page}.md" in LINKS, page
    local = [link.split("#")[0] for link in LINKS if "://" not in link]
    assert [link for link in local if not (PROJECT_ROOT / link).is_file()] == []


def test_ci_runs_exactly_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)
