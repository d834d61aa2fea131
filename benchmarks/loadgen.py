"""The HTTP load generator, a process of its own: N keep-alive connections for a bounded time.

    python -m benchmarks.loadgen PLAN.json RESULT.json

The plan names the port, the connections, the duration, the fraction of exact retries and the
request templates (a token and a body whose request id is `__RID__`). Each connection sends
requests one after another with a fresh request id (or, now and then, the exact retry of one it
sent before) and times each; the result has every answer's (template, request id, status)
and the latencies. Raw asyncio HTTP/1.1, so the generator costs the machine little.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> tuple[int, bytes]:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


def _payload(host: str, template: dict[str, str], rid: str) -> bytes:
    body = template["body"].replace("__RID__", rid).encode()
    head = (
        f"POST /v1/settlements HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {template['token']}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _connection(n: int, plan: dict[str, Any], deadline: float, out: dict[str, list]) -> None:
    templates = plan["templates"]
    rng = random.Random(n)
    host = f"127.0.0.1:{plan['port']}"
    reader, writer = await asyncio.open_connection("127.0.0.1", plan["port"])
    sent: list[tuple[int, str]] = []
    k = 0
    try:
        while time.perf_counter() < deadline:
            if sent and rng.random() < plan["duplicates"]:
                index, rid = sent[rng.randrange(len(sent))]
            else:
                index, rid = rng.randrange(len(templates)), f"{plan['prefix']}{n:02d}-{k:07d}"
                k += 1
                sent.append((index, rid))
            started = time.perf_counter()
            try:
                status, body = await _request(reader, writer, _payload(host, templates[index], rid))
            except (ConnectionError, asyncio.IncompleteReadError):
                out["answers"].append([index, rid, 0])
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", plan["port"])
                continue
            out["latencies"].append(time.perf_counter() - started)
            out["answers"].append([index, rid, status])
            if status >= 300 and len(out["errors"]) < 5:
                out["errors"].append(body.decode(errors="replace")[:300])
    finally:
        writer.close()


async def _run(plan: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, list] = {"answers": [], "latencies": [], "errors": []}
    started = time.perf_counter()
    deadline = started + plan["duration"]
    await asyncio.gather(*(_connection(n, plan, deadline, out) for n in range(plan["connections"])))
    out["elapsed"] = time.perf_counter() - started  # type: ignore[assignment]
    return out


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    result = asyncio.run(_run(plan))
    Path(sys.argv[2]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
