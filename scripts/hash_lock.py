"""Add sha256 hashes to requirements.lock, so every machine installs the very same files.

Why not pip-tools or uv: the lock's pins are already resolved; what was missing is a check that
the files pip installs are the ones the outputs were made with. This script downloads, for each
pin, the file pip picks on the machine it runs on (CPython 3.11, x86-64 Linux: the platform whose
outputs the project guarantees) and records its sha256. `pip install -r requirements.lock` then
runs in hash-checking mode and refuses any other file.

Usage (after changing a pin): python scripts/hash_lock.py
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)")


def pins(text: str) -> list[str]:
    return [m.group(0) for line in text.splitlines() if (m := PIN.match(line.strip()))]


def main() -> int:
    wanted = pins(LOCK.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "pins.txt"
        spec.write_text("\n".join(wanted) + "\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "-r", str(spec), "-d", folder], check=True)
        files: dict[str, list[Path]] = {}
        for path in Path(folder).iterdir():
            if path.name == "pins.txt":
                continue
            name = (parse_wheel_filename(path.name)[0] if path.suffix == ".whl"
                    else parse_sdist_filename(path.name)[0])
            files.setdefault(canonicalize_name(name), []).append(path)
        lines = ["# Pinned with sha256 hashes of the CPython 3.11 x86-64 Linux files: scripts/hash_lock.py"]
        for pin in wanted:
            digests = sorted(hashlib.sha256(p.read_bytes()).hexdigest()
                             for p in files[canonicalize_name(PIN.match(pin).group(1))])
            lines.append(pin + "".join(f" \\\n    --hash=sha256:{d}" for d in digests))
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"hashed {len(wanted)} pins into {LOCK}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
