"""`make lab` starts headless (as root too) and serves the notebooks on the project's kernel (issue 16)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_make_lab_headless_lists_the_brandrep_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    lab_args = f"--no-browser --port {port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={lab_args}"], cwd=PROJECT_ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        specs, deadline = None, time.monotonic() + 120
        while specs is None and time.monotonic() < deadline and server.poll() is None:
            try:
                specs = _get(f"{base}/api/kernelspecs?token={token}")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        assert specs is not None, (tmp_path / "lab.log").read_text(encoding="utf-8")[-3000:]
        assert "brandrep" in specs["kernelspecs"]
        notebook = _get(f"{base}/api/contents/03_claim_test.ipynb?token={token}")
        assert notebook["content"]["metadata"]["kernelspec"]["name"] == "brandrep"
        with pytest.raises(urllib.error.HTTPError):  # the token is required
            _get(f"{base}/api/kernelspecs")
    finally:
        try:
            urllib.request.urlopen(urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST"), timeout=5)
            server.wait(timeout=30)
        except Exception:
            os.killpg(server.pid, signal.SIGTERM)  # the make process group this test started
            server.wait(timeout=30)
        log.close()
