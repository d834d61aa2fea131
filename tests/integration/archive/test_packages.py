"""Retention packages from the CLI: BagIt-valid, self-verifying, and any change is caught."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bagit
import pytest
from typer.testing import CliRunner

from interfaces.archive_package.verify import verify_package
from interfaces.bootstrap import Container
from interfaces.cli import app
from tests.conftest import Clock
from tests.contract.scenario import PUBLIC_HOSPITAL, History, record_history

runner = CliRunner()


@pytest.fixture
def history(container: Container, clock: Clock) -> History:
    return record_history(container.region, clock)


def yibao(container: Container, *args: str) -> tuple[int, str]:
    settings = container.settings
    env = {
        "YIBAO_DATABASE_URL": settings.resolved_database_url(),
        "YIBAO_DATA_DIR": str(settings.data_dir),
        "YIBAO_ID_SECRET": settings.id_secret.get_secret_value(),
    }
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def export(container: Container, out: Path, *more: str) -> Path:
    code, output = yibao(
        container,
        "archive",
        "export",
        "--since",
        "2026-03-01",
        "--until",
        "2026-04-30",
        "--out",
        str(out),
        *more,
    )
    assert code == 0, output
    return out


def canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def cell(value: object) -> str:
    """A catalogue value as `csv.writer` writes it (None empty, booleans True/False)."""
    return "" if value is None else str(value)


def both_fail(container: Container, bag: Path) -> None:
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    code, output = yibao(container, "archive", "verify", str(bag))
    assert code == 1 and "INVALID" in output


def test_an_exported_package_is_a_valid_bag_whose_chain_ends_at_the_trail_head(
    container: Container, history: History, tmp_path: Path
) -> None:
    bag_dir = export(container, tmp_path / "bag")
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # full validation: every checksum recomputed
    assert bag.version_info == (1, 0) and set(bag.algorithms) == {"sha256"}
    assert (bag_dir / "tagmanifest-sha256.txt").exists()
    for key in ("Source-Organization", "Bagging-Date", "Payload-Oxum", "Period-Covered"):
        assert bag.info[key]
    position, head = str(bag.info["Audit-Chain-Head"]).split()
    assert (
        bag.info["Position-Range"] == f"1-{position}" and int(position) == container.region.head()
    )
    assert head == container.views.verify_chain(None, None).head_hash
    lines = (bag_dir / "data" / "events.jsonl").read_bytes().splitlines()
    assert len(lines) == container.region.head()
    assert all(canonical(json.loads(line)) == line.decode() for line in lines)
    catalogue_json = (bag_dir / "data" / "catalogue.json").read_text()
    catalogue = json.loads(catalogue_json)
    assert catalogue_json == "[\n" + ",\n".join(canonical(r) for r in catalogue) + "\n]\n"
    assert any(r["held"] for r in catalogue) and any(not r["held"] for r in catalogue)
    columns = (bag_dir / "data" / "catalogue.csv").read_text().split("\n", 1)[0].split(",")
    as_csv = io.StringIO(newline="")
    writer = csv.writer(as_csv, lineterminator="\n")
    writer.writerows([columns, *([cell(r[c]) for c in columns] for r in catalogue)])
    assert (bag_dir / "data" / "catalogue.csv").read_text() == as_csv.getvalue()
    assert "payment_detail" in (bag_dir / "data" / "summary.txt").read_text()
    code, output = yibao(container, "archive", "verify", str(bag_dir))
    assert code == 0 and "valid" in output


def test_a_package_of_one_class_or_some_aggregates_holds_only_those(
    container: Container, history: History, tmp_path: Path
) -> None:
    bag_dir = export(
        container,
        tmp_path / "bag",
        "--class",
        "payment_detail",
        "--aggregate",
        str(history.first_claim),
    )
    assert verify_package(bag_dir).ok
    events = [json.loads(x) for x in (bag_dir / "data" / "events.jsonl").read_text().splitlines()]
    assert {e["aggregate_id"] for e in events} == {str(history.first_claim)}
    assert {e["event_type"] for e in events} == {"Settlement.Settled"}


@pytest.mark.parametrize("change", ["payload byte", "manifest line", "chain head"])
def test_one_changed_byte_line_or_head_fails_both_validations(
    container: Container, history: History, tmp_path: Path, change: str
) -> None:
    bag = export(container, tmp_path / "bag")
    if change == "payload byte":
        events = bag / "data" / "events.jsonl"
        raw = bytearray(events.read_bytes())
        at = raw.index(PUBLIC_HOSPITAL.encode()) if PUBLIC_HOSPITAL.encode() in raw else 100
        raw[at + 1] ^= 0x01
        events.write_bytes(bytes(raw))
    elif change == "manifest line":
        manifest = bag / "manifest-sha256.txt"
        first, *rest = manifest.read_text().splitlines()
        _digest, name = first.split(maxsplit=1)
        manifest.write_text("\n".join([("0" * 64) + "  " + name, *rest]) + "\n")
    else:
        info = bag / "bag-info.txt"
        text = info.read_text()
        head = text.split("Audit-Chain-Head: ")[1].split()[1]
        info.write_text(text.replace(head, "f" * 64))
    both_fail(container, bag)
