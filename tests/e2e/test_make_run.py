"""What `make run` does on a fresh clone: migrate, load the demo, serve, and print tokens with a
curl line that settles a claim for a demo person."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

YIBAO = str(Path(sys.executable).with_name("yibao"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_printed_curl_line_settles_a_claim_for_a_demo_person(tmp_path: Path) -> None:
    env = {**os.environ, "YIBAO_DATA_DIR": str(tmp_path)}
    env.pop("YIBAO_DATABASE_URL", None)
    subprocess.run([YIBAO, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([YIBAO, "demo", "--load-only"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [YIBAO, "serve", "--host", "127.0.0.1", "--port", str(port), "--print-tokens"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = [server.stdout.readline() for _ in range(7)]
        wait_until_serving(port)
        curl = printed[3].strip()
        answer = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, check=True)
        console = re.search(r"console: (http://\S+)", printed[6])
        assert console, printed
        signed_in = {
            role: console_accepts(console.group(1), printed[line].split()[-1])
            for role, line in (("auditor", 4), ("archivist", 5))
        }
    finally:
        server.terminate()
        server.wait(10)

    assert re.match(r"agency token: +yb_", printed[0])
    assert re.match(r"institution token: +yb_\S+ +\(H31010100001\)", printed[1])
    assert '"status":"settled"' in answer.stdout.replace(" ", "")
    assert '"fund_pay":"' in answer.stdout.replace(" ", "")
    assert re.match(r"auditor token: +yb_", printed[4])
    assert re.match(r"archivist token: +yb_", printed[5])
    assert signed_in == {"auditor": "auditor", "archivist": "archivist"}


def console_accepts(root: str, token: str) -> str:
    """Open the printed address like a browser, sign in with the token; the role shown."""
    with httpx.Client(base_url=root, follow_redirects=True, timeout=10) as browser:
        form = browser.get("/")
        nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
        assert nonce, form.text
        page = browser.post("/console/login", data={"token": token, "nonce": nonce.group(1)})
        role = re.search(r"<strong data-role>([a-z]+)</strong>", page.text)
        return role.group(1) if role else page.text[:200]


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the service did not start")
