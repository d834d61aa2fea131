"""What the read side promises the HTTP layer (`container.views`), on SQLite and PostgreSQL.

Every database here was made by `yibao db upgrade` (the conftest migrates it), so this suite
is also the contract check of a freshly migrated database.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.agreement import Institution
from interfaces.bootstrap import Container
from projections.catalog import PROJECTION_CLASSES
from projections.projection import tables_of
from projections.queries.ledgers import SettledFiguresRow
from projections.queries.read_models import BudgetUseRow, SuspensionRow
from projections.rebuild import rebuild
from projections.tracking import registered
from tests.conftest import Clock
from tests.contract.scenario import (
    PRIVATE_HOSPITAL,
    PUBLIC_HOSPITAL,
    History,
    projected_history,
    runner_for,
)


@pytest.fixture
def history(container: Container, clock: Clock) -> History:
    return projected_history(container, clock)


def money(text: str) -> Decimal:
    return Decimal(text)


def test_person_shows_the_years_accumulators_and_a_masked_id(
    container: Container, history: History
) -> None:
    views = container.views
    senior = views.person(history.senior, 2026)
    assert senior is not None
    assert senior.status == "enrolled"
    assert re.fullmatch(r"3101\*{10}[0-9]{3}[0-9X]", senior.masked_id)
    # 1 300 (300 deductible) + 400 reversed + 200 at 65 %: fund 650 + 130.
    assert (senior.outpatient_deductible_used, senior.fund_paid_basic) == (
        money("300.00"),
        money("780.00"),
    )
    assert senior.fund_paid == money("780.00")
    employee = views.person_balance(history.employee, 2026)
    assert employee is not None
    assert employee.account_credited == employee.account_paid == money("300.00")
    assert employee.account_balance == money("0.00")
    assert views.person(history.senior, 2025).fund_paid == money("0.00")  # type: ignore[union-attr]
    assert views.person(uuid4(), 2026) is None


def test_no_view_table_holds_a_name_or_a_national_id_in_clear(
    container: Container, history: History
) -> None:
    # A national ID standing alone (not a run of digits inside a hash or base64 text).
    clear_id = re.compile(r"(?<![0-9A-Za-z+/])[0-9]{17}[0-9X](?![0-9A-Za-z+/=])")

    def scan() -> int:
        """Every column of every live view table, JSON included; the cells read."""
        cells = 0
        with container.engine.connect() as connection:
            generations = {name: e.live.generation for name, e in registered(connection).items()}
            for projection in PROJECTION_CLASSES:
                for table in tables_of(projection, generations[projection.name]).values():
                    for row in connection.execute(select(table)):
                        for value in row:
                            text = json.dumps(value, default=str, ensure_ascii=False)
                            assert "测试" not in text, table.name
                            assert not clear_id.search(text), table.name
                            cells += 1
        return cells

    assert scan() > 0
    runner = runner_for(container)
    for projection in PROJECTION_CLASSES:
        rebuild(runner, projection.name)
    with container.engine.connect() as connection:
        assert {e.live.generation for e in registered(connection).values()} == {2}
    assert scan() > 0


def test_agreement_shows_suspensions_flags_status_and_budget_use(
    container: Container, history: History, clock: Clock
) -> None:
    views = container.views
    private = views.agreement(history.private_agreement)
    assert private is not None
    assert private.flags == ("repeated_suspension",)
    assert private.suspensions == (
        SuspensionRow(date(2026, 3, 5), date(2026, 3, 15), voluntary=False),
        SuspensionRow(date(2026, 5, 1), date(2026, 5, 10), voluntary=False),
    )
    assert (private.status, private.term_start, private.term_end) == (
        "in_force",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    clock.now = datetime(2026, 5, 2, 2, 0, tzinfo=UTC)
    assert views.agreement(history.private_agreement).status == "suspended"  # type: ignore[union-attr]
    public = views.agreement(history.public_agreement)
    assert public is not None
    # Net fund pay 1 040 − 260 reversed − 100 clawed back = 680 of an 800 budget.
    assert public.budget_use == BudgetUseRow(2026, money("680.00"), Decimal("0.8500"), ("80%",))
    assert public.flags == () and public.institution_code == PUBLIC_HOSPITAL
    assert views.agreement(uuid4()) is None


def test_settlement_read_model_follows_reversal_clawback_and_rejection(
    container: Container, history: History
) -> None:
    views = container.views
    clawed = views.settlement(history.first_claim)
    assert clawed is not None
    assert (clawed.status, clawed.fund_pay, clawed.ratio) == (
        "clawed_back",
        money("650.00"),
        Decimal("0.65"),
    )
    assert clawed.policy_version == "demo-2026" and clawed.reason_codes == ()
    assert views.settlement(history.reversed_claim).status == "reversed"  # type: ignore[union-attr]
    rejected = views.settlement(history.rejected_claim)
    assert rejected is not None
    assert (rejected.status, rejected.reason_codes, rejected.total) == (
        "rejected",
        ("AGREEMENT_SUSPENDED",),
        None,
    )
    assert views.settlement(uuid4()) is None


def test_fund_balance_as_of_a_date_counts_only_what_was_recorded_by_then(
    container: Container, history: History
) -> None:
    views = container.views
    now = views.fund_balance(history.resident_basic, None)
    assert now is not None
    # 10 000 contributed, 500 disbursed; the 100 clawed back + 150 penalty were recovered by
    # offset: withheld from what the fund owes the hospital, no cash in (DOMAIN.md §4).
    assert now.balance == money("9500.00")
    assert now.income["contribution"] == money("10000.00")
    assert now.income["recovery"] == money("0.00")
    assert now.income_total == money("10000.00")
    assert now.offsets == {"offset": money("250.00"), "clearing_offset": money("0.00")}
    assert now.outgo["settlement"] == money("500.00")
    assert now.balance == container.region.fund_balance(history.resident_basic)
    early = views.fund_balance(history.resident_basic, date(2026, 3, 3))
    assert early is not None and early.balance == money("10000.00")
    assert views.fund_balance(history.resident_basic, date(2026, 3, 1)).balance == 0  # type: ignore[union-attr]
    assert views.fund_balance(uuid4(), None) is None


def test_institution_balance_of_a_year(container: Container, history: History) -> None:
    year = container.views.institution_balance(PUBLIC_HOSPITAL, 2026)
    assert year.settled == SettledFiguresRow(
        count=3,
        total=money("1900.00"),
        fund_pay=money("1040.00"),
        account_pay=money("0.00"),
        cash_pay=money("860.00"),
    )
    assert (year.reversed.count, year.reversed.fund_pay) == (1, money("260.00"))
    assert (year.clawed_back, year.penalties, year.disbursed) == (
        money("100.00"),
        money("150.00"),
        money("500.00"),
    )
    # §4: obligation 1 040 − 260 reversed − 100 clawed back; − 500 disbursed; the 250
    # recovered by offset moves nothing; − 150 penalty → 30 owed by the fund.
    assert year.position.obligation == money("680.00")
    assert (year.owed_by_fund, year.owed_to_fund) == (money("30.00"), money("0.00"))
    assert (year.budget, year.budget_use_ratio, year.warnings) == (
        money("800.00"),
        Decimal("0.8500"),
        ("80%",),
    )
    assert year.by_scheme["resident"].fund_pay == money("680.00")
    nothing = container.views.institution_balance("H99999999999", 2026)
    assert nothing.settled.count == 0 and nothing.budget is None


def test_reconciliation_counts_reversals_negative_on_the_day_they_are_recorded(
    container: Container, history: History
) -> None:
    views = container.views

    def day(code: str, when: date) -> list[tuple[object, ...]]:
        rows = views.reconciliation(code, when)
        figures = ("count", "total", "fund_pay", "account_pay", "cash_pay")
        return [(r.scheme, *(getattr(r, f) for f in figures)) for r in rows]

    assert day(PUBLIC_HOSPITAL, date(2026, 3, 3)) == [
        ("resident", 1, money("400.00"), money("260.00"), money("0.00"), money("140.00"))
    ]
    assert day(PUBLIC_HOSPITAL, date(2026, 3, 4)) == [
        ("resident", -1, money("-400.00"), money("-260.00"), money("0.00"), money("-140.00"))
    ]
    assert day(PRIVATE_HOSPITAL, date(2026, 3, 2)) == [
        ("employee", 1, money("1500.00"), money("325.00"), money("300.00"), money("875.00"))
    ]
    assert day(PRIVATE_HOSPITAL, date(2026, 3, 3)) == []  # the rejected claim counts nowhere


def test_status_and_wait_for_report_every_projection_at_the_head(
    container: Container, history: History
) -> None:
    views = container.views
    head = container.region.head()
    status = views.projection_status()
    assert {s.name for s in status} == {p.name for p in PROJECTION_CLASSES}
    assert all((s.position, s.head, s.lag) == (head, head, 0) for s in status)
    assert all(s.last_progress_at is not None for s in status)
    assert views.wait_for(head)
    assert not views.wait_for(head + 1, timeout=0.05)


def test_audit_trail_lists_every_event_with_its_envelope_and_pages(
    container: Container, history: History
) -> None:
    views = container.views
    everything, cursor = views.audit_events(limit=1000)
    assert [e.position for e in everything] == list(range(1, container.region.head() + 1))
    assert cursor is None
    assert all(re.fullmatch(r"[0-9a-f]{64}", e.hash) for e in everything)
    assert all("测试" not in e.payload for e in everything)  # sealed in the payload
    (reversal,), _ = views.audit_events(event_type="Settlement.Reversed")
    assert (reversal.actor, reversal.role, reversal.request_id, reversal.reason) == (
        f"his-{PUBLIC_HOSPITAL}",
        "institution",
        "REQ-2-R",
        "收费项目录入错误",
    )
    senior, _ = views.audit_events(aggregate_id=history.senior)
    assert [e.version for e in senior] == list(range(1, len(senior) + 1))
    assert {e.aggregate_type for e in senior} == {"InsuredPerson"}
    first_page, cursor = views.audit_events(limit=5)
    second_page, _ = views.audit_events(after=cursor, limit=5)
    assert [e.position for e in first_page + second_page] == list(range(1, 11))
    march_4 = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)  # 4 March 00:00 in Shanghai
    april = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    window, _ = views.audit_events(since=march_4, until=april, limit=1000)
    assert window and all(e.recorded_at and march_4 <= e.recorded_at < april for e in window)
    assert views.verify_chain(None, None).ok


def test_archive_catalogue_numbers_records_without_gaps_and_files_monthly_volumes(
    container: Container, history: History
) -> None:
    views = container.views
    records, cursor = views.archive_records(limit=1000)
    assert cursor is None
    # Every event, and at March's close its monthly report and the audit-chain head.
    assert len(records) == container.region.head() + 2
    sequences: dict[str, list[int]] = {}
    for r in records:
        prefix, _, sequence = r.archive_number.rpartition("-")
        sequences.setdefault(prefix, []).append(int(sequence))
    assert all(seq == list(range(1, len(seq) + 1)) for seq in sequences.values())
    settle = next(r for r in records if r.event_type == "Settlement.Settled")
    assert re.fullmatch(r"R-310000-2026-D30-SETTLE-0000[0-9]{2}", settle.archive_number)
    assert (settle.formed_date, settle.due_date) == (date(2026, 3, 2), date(2057, 1, 1))
    enrolled = next(r for r in records if r.event_type == "InsuredPerson.Enrolled")
    assert (enrolled.record_class, enrolled.due_date) == (
        "person_registration",
        date(2127, 1, 1),
    )
    (report,), _ = views.archive_records(record_class="monthly_report")
    assert (report.archive_number, report.formed_date, report.due_date) == (
        "X-310000-2026-D10-MONTHLY-000001",
        date(2026, 3, 31),
        date(2037, 1, 1),
    )
    registers, _ = views.archive_records(record_class="archive_register")
    (chain_head,) = [r for r in registers if r.event_type is None]
    march_events = [r for r in records if r.event_type and r.formed_date.month == 3]
    last_of_march = max(r.position for r in march_events)
    (trail_row,), _ = views.audit_events(after=last_of_march - 1, limit=1)
    assert (chain_head.archive_number, chain_head.period, chain_head.due_date) == (
        "X-310000-2026-P-CHAIN-000001",
        "2026-03",
        None,
    )
    assert (chain_head.position, chain_head.digest) == (last_of_march, trail_row.hash)
    assert chain_head.volume_id == "2026-03-archive_register"
    due_soon, _ = views.archive_records(due_before=date(2040, 1, 1))
    assert [r.record_class for r in due_soon] == ["monthly_report"]
    page, cursor = views.archive_records(limit=4)
    assert cursor == page[-1].record_no
    volumes = views.archive_volumes(2026, None)
    assert {(v.month, v.sealed) for v in volumes} == {(3, True), (4, False)}
    assert sum(v.record_count for v in volumes) == len(records)
    assert views.archive_volumes(2026, 4) == [v for v in volumes if v.month == 4]


def test_a_record_is_held_exactly_when_an_active_hold_of_the_archive_office_covers_it(
    container: Container, history: History
) -> None:
    views, region = container.views, container.region
    records, _ = views.archive_records(limit=1000)
    facts = region.records_of([r.aggregate_id for r in records if r.aggregate_id])
    by_position = {
        (f.aggregate_id, n + 1): f
        for aggregate, listed in facts.items()
        for n, f in enumerate(listed)
    }
    active = [h.scope for h in region.holds() if h.active]
    versions: dict[UUID, int] = {}
    for r in records:
        if r.aggregate_id is None:
            assert r.held is False  # reports and chain heads: no hold names them here
            continue
        versions[r.aggregate_id] = versions.get(r.aggregate_id, 0) + 1
        record = by_position[(r.aggregate_id, versions[r.aggregate_id])]
        assert r.held == any(scope.covers(record) for scope in active), r.event_type
    held, _ = views.archive_records(held=True, limit=1000)
    assert {r.aggregate_id for r in held} >= {history.first_claim, history.public_agreement}
    register = Institution.create_id(PUBLIC_HOSPITAL)  # its first event names it as `code`
    assert {r.event_type for r in held if r.aggregate_id == register} >= {"Institution.Registered"}
    assert history.clawback in {
        r.aggregate_id for r in held
    }  # the clawback's own hold went, the institution's stays
    not_held, _ = views.archive_records(held=False, limit=1000)
    assert len(held) + len(not_held) == len(records)
    assert history.employee not in {r.aggregate_id for r in held}
