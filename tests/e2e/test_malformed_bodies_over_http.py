"""Bodies that are not strict JSON, or too big to read: 422 naming `body`, or 413 before the
body is read whole — whoever sends them. And the smaller edges: 405 says what is allowed, an id
that cannot exist is a 404 before any waiting."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import httpx

from tests.e2e.conftest import Api
from tests.e2e.scenario import head

MIB = 1024 * 1024


def post_raw(api: Api, path: str, content: bytes, role: str | None = "agency") -> httpx.Response:
    headers = {**api.headers(role), "Content-Type": "application/json"}
    response: httpx.Response = api.client.post(path, content=content, headers=headers)
    return response


def test_bodies_that_are_not_strict_json_are_422_naming_body(api: Api) -> None:
    before = head(api)
    bodies = {
        "invalid UTF-8": b'{"national_id": "\xff\xfe"}',
        "UTF-16": '{"national_id": "1"}'.encode("utf-16"),
        "a 5,000-digit integer": b'{"national_id": ' + b"9" * 5000 + b"}",
        "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
        "nested 33 deep": b'{"national_id": ' + b"[" * 33 + b"]" * 33 + b"}",
        "NaN": b'{"national_id": NaN}',
        "not JSON": b"national_id=310101196101050014",
    }

    answers = {what: post_raw(api, "/v1/persons/lookup", body) for what, body in bodies.items()}

    assert {
        w: (a.status_code, a.json()["code"], a.json()["field"]) for w, a in answers.items()
    } == {w: (422, "VALIDATION_ERROR", "body") for w in bodies}
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers.values())
    assert head(api) == before


def test_nesting_up_to_32_levels_is_read_as_usual(api: Api) -> None:
    nested = b'{"national_id": "1", "scheme": ' + b"[" * 31 + b"]" * 31 + b"}"

    answer = post_raw(api, "/v1/persons/lookup", nested)

    assert (answer.status_code, answer.json()["field"]) == (422, "scheme")


def test_a_body_over_one_mebibyte_is_413_even_without_a_token(api: Api) -> None:
    big = b'{"national_id": "' + b"1" * MIB + b'"}'

    with_token = post_raw(api, "/v1/persons/lookup", big)
    without_token = post_raw(api, "/v1/persons/lookup", big, role=None)

    assert [(a.status_code, a.json()["code"]) for a in (with_token, without_token)] == [
        (413, "PAYLOAD_TOO_LARGE")
    ] * 2


def raw_exchange(api: Api, head_lines: list[str], chunks: list[bytes]) -> tuple[bytes, float]:
    """Send a request by hand (so it can lie about its length or stream without end); the
    status line of the answer and how long it took to come."""
    base = urlsplit(str(api.client.base_url))
    started = time.monotonic()
    with socket.create_connection((base.hostname, base.port), timeout=10) as conn:
        conn.sendall(("\r\n".join(head_lines) + "\r\n\r\n").encode())
        try:
            for chunk in chunks:
                conn.sendall(chunk)
        except OSError:  # the server answered and closed while we were still sending
            pass
        answer = conn.recv(4096)
    return answer.split(b"\r\n", 1)[0], time.monotonic() - started


def test_a_declared_length_over_the_limit_is_refused_before_the_body_arrives(api: Api) -> None:
    status, _ = raw_exchange(
        api,
        [
            "POST /v1/settlements HTTP/1.1",
            "Host: test",
            "Content-Type: application/json",
            f"Content-Length: {200 * MIB}",
        ],
        [b'{"request_id": "'],
    )

    assert status == b"HTTP/1.1 413 Request Entity Too Large"


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(api: Api) -> None:
    chunk = b"1" * 65536
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)

    status, _ = raw_exchange(
        api,
        [
            "POST /v1/persons/lookup HTTP/1.1",
            "Host: test",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
        ],
        [b'8\r\n{"a": "1\r\n', *[framed] * 32],
    )

    assert status == b"HTTP/1.1 413 Request Entity Too Large"


def test_a_405_names_the_methods_the_path_allows(api: Api) -> None:
    answer = api.client.delete("/v1/persons", headers=api.headers("agency"))
    on_item = api.client.post("/v1/audit/verify", headers=api.headers("auditor"))

    assert (answer.status_code, answer.json()["code"]) == (405, "METHOD_NOT_ALLOWED")
    assert answer.headers["allow"] == "POST"
    assert (on_item.status_code, on_item.headers["allow"]) == (405, "GET")


def test_an_id_that_cannot_exist_is_404_whatever_min_position_asks(api: Api) -> None:
    answers = [
        api.get("/v1/settlements/null", min_position=position)
        for position in (0, head(api), 10**12)
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "NOT_FOUND")] * 3
