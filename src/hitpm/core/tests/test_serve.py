"""`hitpm serve`, as `make demo` runs it: migrates a fresh data directory and answers HTTP from
gunicorn (not Django's development server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_migrates_and_answers_from_gunicorn(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HITPM_SECRET_KEY")}
    env["HITPM_DATA_DIR"] = str(tmp_path)
    hitpm = Path(sys.executable).parent / "hitpm"
    server = subprocess.Popen(
        [str(hitpm), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as answer:
                    body = answer.read().decode()
                    server_header = answer.headers.get("Server", "")
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "hitpm serve did not answer in 90 s"
                time.sleep(0.5)
        assert "Sign in" in body
        assert "gunicorn" in server_header
        assert (tmp_path / "hitpm.sqlite3").exists()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert f"http://127.0.0.1:{port}" in output
