"""`make soak`: settlements under faults. A private PostgreSQL cluster (initdb on a loopback
port, as the `postgres` user when run as root — the shared server is never touched), `yibao
serve` on it, and many concurrent settlements that retry with the same request id until they
are acknowledged, while the server is killed (-9) at random moments and the cluster restarted.

At the end it prints requests, kills, restarts, acknowledged, lost (acknowledged but not in the
log; must be 0), duplicated (settled more than once per request id; must be 0), whether the
views equal a rebuild and whether the chain verifies; it exits non-zero unless all hold.

    python -m tests.soak --requests 3000 --kills 4 --restarts 1
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_BIN = (
    sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    if Path("/usr/lib/postgresql").exists()
    else None
)
HOSPITAL = "H31010100001"
SECRET = "soak-only-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a temporary directory on a loopback port."""

    def __init__(self, root: Path) -> None:
        assert PG_BIN is not None, "PostgreSQL binaries not found under /usr/lib/postgresql"
        self.data = root / "pgdata"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            root.parent.chmod(0o711)  # the cluster's owner must reach its directory
            shutil.chown(root, user=self.user)
        self._as_owner(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/soak"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._as_owner(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-w",
                "-l",
                str(self.data / "log"),
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as c:
            c.execute("CREATE DATABASE soak")

    def _as_owner(self, command: list[str]) -> None:
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command[-1]} failed: {done.stderr[-2000:]}")


@dataclass
class Tally:
    requests: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)  # request id → settlement id
    kills: int = 0
    restarts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    """`yibao serve` as a child process that the soak may kill and start again."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("yibao")), "serve", "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 300  # a loaded machine starts it slowly
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("yibao serve did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


def settings_of(env: dict[str, str]) -> Any:
    from pydantic import SecretStr

    from interfaces.settings import Settings

    return Settings(
        database_url=env["YIBAO_DATABASE_URL"],
        data_dir=Path(env["YIBAO_DATA_DIR"]),
        id_secret=SecretStr(env["YIBAO_ID_SECRET"]),
    )


def yibao(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("yibao")), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def prepare(env: dict[str, str], persons: int) -> tuple[str, list[str]]:
    """Migrate, load an agreement, funds and persons in process; an institution token."""
    from datetime import date
    from decimal import Decimal

    from application.context import AGENCY, Actor, Context
    from interfaces.bootstrap import build
    from tests.support import national_id  # the tests' valid IDs

    yibao(env, "db", "upgrade")
    settings = settings_of(env)
    container = build(settings)
    region = container.region
    ctx = Context(Actor("soak", AGENCY), request_id="soak-setup")
    try:
        region.sign_agreement(
            ctx,
            institution_code=HOSPITAL,
            institution_name="压力医院",
            level=1,
            ownership="public",
            term_start=date(2026, 1, 1),
            term_end=date(2026, 12, 31),
            annual_budget=Decimal("100000000.00"),
        )
        people = [
            str(
                region.enroll(
                    ctx,
                    national_id=national_id(date(1970, 1, 1 + n % 28), n + 1),
                    name="压测",
                    birth_date=date(1970, 1, 1 + n % 28),
                    scheme="resident",
                    region_code="310000",
                    enrolled_on=date(2025, 1, 2),
                ).person_id
            )
            for n in range(persons)
        ]
    finally:
        container.close()
    token = yibao(env, "token", "issue", "--role", "institution", "--institution", HOSPITAL).strip()
    return token, people


def claim(request_id: str, person: str, amount: str) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "institution_code": HOSPITAL,
        "person_id": person,
        "visit_id": f"V-{request_id}",
        "visit_type": "outpatient",
        "service_date": "2026-01-15",
        "diagnosis_code": "J06.900",
        "items": [
            {
                "code": "D1",
                "name": "诊疗费",
                "category": "A",
                "quantity": 1,
                "unit_price": amount,
                "amount": amount,
            }
        ],
    }


def settle_until_acknowledged(
    server: Server, token: str, body: dict[str, Any], tally: Tally, deadline: float
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        with tally.lock:
            tally.requests += 1
        try:
            answer = httpx.post(
                f"{server.base_url}/v1/settlements", json=body, headers=headers, timeout=10
            )
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        if answer.status_code in (200, 201):
            with tally.lock:
                tally.acknowledged[body["request_id"]] = answer.json()["settlement_id"]
            return
        if answer.status_code not in (500, 502, 503, 504):
            raise RuntimeError(f"unexpected answer {answer.status_code}: {answer.text}")
        time.sleep(0.1)


def chaos(
    server: Server,
    cluster: PrivateCluster,
    tally: Tally,
    kills: int,
    restarts: int,
    done: threading.Event,
    total: int,
) -> None:
    """Each kill and restart at a random point of the run, measured in acknowledgements (10 %
    to 80 % of them), so every one lands before the run ends, however fast the machine."""
    moments = sorted(["kill"] * kills + ["restart"] * restarts, key=lambda _: random.random())
    points = sorted(int(total * random.uniform(0.1, 0.8)) for _ in moments)
    for what, point in zip(moments, points, strict=True):
        while len(tally.acknowledged) < point:
            if done.wait(0.01):
                return
        if what == "kill":
            server.kill()
            tally.kills += 1
            server.start()
        else:
            cluster.stop("fast")
            time.sleep(random.uniform(0.5, 2.0))
            cluster.start()
            tally.restarts += 1


def verify(env: dict[str, str], tally: Tally) -> dict[str, Any]:
    """Lost, duplicated, views equal to a rebuild (after catching up), the chain verifies."""
    from uuid import UUID

    from interfaces.bootstrap import build
    from projections.catalog import NAMES
    from projections.runtime import Runner
    from tests.contract.scenario import rebuilt_snapshot, runner_for, snapshot

    settings = settings_of(env)
    container = build(settings)
    try:
        region = container.region
        lost = sum(1 for s in tally.acknowledged.values() if not _exists(region, UUID(s)))
        settled: list[UUID] = []
        position = 0
        while page := region.recorder.select_notifications(position + 1, 1000):
            settled += [n.originator_id for n in page if n.topic.endswith("Settlement.Settled")]
            position = page[-1].id
        duplicated = len(settled) - len(set(settled))
        unexplained = len(set(settled)) - len(set(tally.acknowledged.values()))
        runner: Runner = runner_for(container)
        runner.catch_up()
        followed = {name: snapshot(container.engine, name) for name in NAMES}
        rebuilt = {name: rebuilt_snapshot(container, name) for name in NAMES}
        chain = container.views.verify_chain(None, None)
    finally:
        container.close()
    verified = bool(chain.ok) and chain.trail_lag == 0
    return {
        "lost": lost,
        "duplicated": duplicated,
        "unacknowledged_settled": unexplained,
        "views_equal_rebuild": followed == rebuilt,
        "chain_verifies": verified,
    }


def _exists(region: Any, settlement_id: Any) -> bool:
    try:
        region.settlement(settlement_id)
    except Exception:  # NotFound: the acknowledged settlement is not in the log
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--restarts", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--persons", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=900)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yibao-soak-") as tmp:
        root = Path(tmp)
        (root / "pg").mkdir()
        cluster = PrivateCluster(root / "pg")
        cluster.start()
        try:
            cluster.create_database()
            env = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
            env |= {
                "YIBAO_DATABASE_URL": cluster.url,
                "YIBAO_DATA_DIR": str(root),
                "YIBAO_ID_SECRET": SECRET,
            }
            token, people = prepare(env, options.persons)
            server = Server(env, root / "serve.log")
            server.start()
            tally = Tally()
            done = threading.Event()
            disorder = threading.Thread(
                target=chaos,
                args=(
                    server,
                    cluster,
                    tally,
                    options.kills,
                    options.restarts,
                    done,
                    options.requests,
                ),
            )
            disorder.start()
            deadline = time.monotonic() + options.seconds
            bodies = [
                claim(f"SOAK-{n:06d}", people[n % len(people)], f"{10 + n % 90}.00")
                for n in range(options.requests)
            ]
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(options.concurrency) as pool:
                list(
                    pool.map(
                        lambda b: settle_until_acknowledged(server, token, b, tally, deadline),
                        bodies,
                    )
                )
            done.set()
            disorder.join()
            server.stop()
            outcome = verify(env, tally)
        finally:
            cluster.stop("fast")
    print(f"requests      {tally.requests}")
    print(f"kills         {tally.kills}")
    print(f"restarts      {tally.restarts}")
    print(f"acknowledged  {len(tally.acknowledged)} of {options.requests}")
    print(f"lost          {outcome['lost']}")
    print(f"duplicated    {outcome['duplicated']}")
    print(f"settled, never acknowledged {outcome['unacknowledged_settled']}")
    print(f"views         {'equal a rebuild' if outcome['views_equal_rebuild'] else 'DIFFER'}")
    print(f"chain         {'verifies' if outcome['chain_verifies'] else 'BROKEN'}")
    good = outcome["lost"] == 0 and outcome["duplicated"] == 0 and outcome["chain_verifies"]
    good = good and outcome["views_equal_rebuild"]
    good = good and len(tally.acknowledged) == options.requests
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
