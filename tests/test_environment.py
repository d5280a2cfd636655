"""The two install paths (requirements.lock for pip, environment.yml for conda) must agree."""

from __future__ import annotations

import re

import yaml

from conftest import PROJECT_ROOT


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", " ")):
            name, _, version = line.partition("==")
            pins[normalise(name)] = version.split()[0]
    return pins


def environment_pins() -> dict[str, str]:
    spec = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for entry in spec["dependencies"]:
        if isinstance(entry, dict):
            for pip_line in entry["pip"]:
                if "==" in pip_line:
                    name, _, version = pip_line.partition("==")
                    pins[normalise(name)] = version
        else:
            name, _, version = entry.partition("=")
            if name not in {"python", "pip"}:
                pins[normalise(name)] = version
    return pins


def direct_dependencies() -> set[str]:
    lines = (PROJECT_ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    return {normalise(line.strip()) for line in lines if line.strip() and not line.startswith("#")}


def test_every_direct_dependency_is_pinned_in_both():
    lock, env = lock_pins(), environment_pins()
    assert sorted(direct_dependencies() - lock.keys()) == []
    assert sorted(direct_dependencies() - env.keys()) == []


def test_environment_and_lock_agree_on_every_version():
    lock = lock_pins()
    disagreements = {name: (version, lock.get(name)) for name, version in environment_pins().items()
                     if lock.get(name) != version}
    assert disagreements == {}


def test_required_packages_are_there():
    assert {"jupyterlab", "pandas", "matplotlib", "snownlp", "statsmodels"} <= direct_dependencies()


def test_pyproject_names_every_runtime_dependency():
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {normalise(d) for d in project["dependencies"]}
    declared |= {normalise(d) for extra in project["optional-dependencies"].values() for d in extra}
    assert sorted(direct_dependencies() - declared) == []


def test_every_locked_pin_carries_a_sha256_hash():
    # hash-checking mode: pip installs only the very files the committed outputs were made with
    entries = re.split(r"\n(?=\S)", (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    unhashed = [e.split()[0] for e in entries if e and not e.startswith("#") and "--hash=sha256:" not in e]
    assert unhashed == []
    assert "--require-hashes" in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
