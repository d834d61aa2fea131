"""Random sequences of commands — claims, reversals, contributions, disbursements, account
credits, for two people in two schemes — keep the books: a fund's balance is never negative and
is what came in less what went out; every settlement's money adds up; a person's accumulators
and account are the sum of the events that moved them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from application.personal_data import InMemoryKeyStore
from application.policy_files import load_policy_book
from application.region import Region
from domain.errors import AlreadyCredited, InsufficientFunds
from domain.money import ZERO
from domain.settlement_rules import SettlementResult
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, sign

SCHEMES = ("resident", "employee")
money = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n) / 100)


@dataclass
class Person:
    person_id: UUID
    credited: Decimal = ZERO
    live: dict[UUID, SettlementResult] = field(default_factory=dict)


class CommandSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.region = Region(
            {"PERSISTENCE_MODULE": "eventsourcing.popo"},
            keys=InMemoryKeyStore(),
            policies=load_policy_book(),
            id_secret=b"state-machine",
            region_code="310000",
            clock=Clock(datetime(2026, 6, 30, 2, tzinfo=UTC)),
        )
        self.agreement = sign(self.region)
        self.people = {s: Person(enroll(self.region, date(1961, 1, 5), scheme=s)) for s in SCHEMES}
        self.funds = {
            s: self.region.open_fund(
                agency(), scheme=s, layer="basic", region_code="310000", name=s
            ).fund_id
            for s in SCHEMES
        }
        self.fund_model = dict.fromkeys(SCHEMES, ZERO)
        self.serial = 0

    def teardown(self) -> None:
        self.region.close()

    def _next(self) -> str:
        self.serial += 1
        return f"R{self.serial}"

    @rule(scheme=st.sampled_from(SCHEMES), amount=money, inpatient=st.booleans())
    def settle(self, scheme: str, amount: Decimal, inpatient: bool) -> None:
        person = self.people[scheme]
        visit = "inpatient" if inpatient else "outpatient"
        request = claim(
            person.person_id, f"{amount:.2f}", request_id=self._next(), visit_type=visit
        )
        record = self.region.settle(institution(), request)
        if record.status == "settled":
            assert record.result is not None
            person.live[record.settlement_id] = record.result

    @precondition(lambda self: any(p.live for p in self.people.values()))
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        person = data.draw(st.sampled_from([p for p in self.people.values() if p.live]))
        settlement = data.draw(st.sampled_from(sorted(person.live)))
        self.region.reverse_settlement(institution(), settlement, reason="撤销")
        del person.live[settlement]

    @rule(scheme=st.sampled_from(SCHEMES), amount=money)
    def contribute(self, scheme: str, amount: Decimal) -> None:
        self.region.receive_contribution(
            agency(self._next()),
            self.funds[scheme],
            amount=amount,
            period="2026-05",
            source="employer",
        )
        self.fund_model[scheme] += amount

    @rule(scheme=st.sampled_from(SCHEMES), amount=money)
    def disburse(self, scheme: str, amount: Decimal) -> None:
        try:
            self.region.disburse(
                agency(self._next()),
                self.funds[scheme],
                agreement_id=self.agreement,
                period="2026-05",
                amount=amount,
            )
        except InsufficientFunds:
            assert amount > self.fund_model[scheme]
            return
        self.fund_model[scheme] -= amount

    @rule(amount=money, month=st.integers(min_value=1, max_value=6))
    def credit_account(self, amount: Decimal, month: int) -> None:
        person = self.people["employee"]
        try:
            self.region.credit_account(
                agency(), person.person_id, amount=amount, period=f"2026-{month:02d}"
            )
        except AlreadyCredited:  # that month was credited already
            return
        person.credited += amount

    @invariant()
    def funds_are_never_negative_and_hold_what_came_in_less_what_went_out(self) -> None:
        for scheme, fund in self.funds.items():
            balance = self.region.fund_balance(fund)
            assert balance >= ZERO
            assert balance == self.fund_model[scheme]

    @invariant()
    def each_settlement_adds_up(self) -> None:
        for person in self.people.values():
            for r in person.live.values():
                assert r.total == r.out_of_scope + r.self_pay_first + r.eligible
                assert r.fund_pay == r.basic_fund_pay + r.major_fund_pay
                assert r.total == r.fund_pay + r.account_pay + r.cash_pay
                assert min(r.fund_pay, r.account_pay, r.cash_pay, r.deductible) >= ZERO

    @invariant()
    def accumulators_are_the_sum_of_their_events(self) -> None:
        for person in self.people.values():
            summary = self.region.person(person.person_id, 2026)
            live = person.live.values()
            assert summary.fund_paid_basic == sum((r.basic_fund_pay for r in live), ZERO)
            assert summary.fund_paid_major == sum((r.major_fund_pay for r in live), ZERO)
            assert summary.outpatient_deductible_used == sum(
                (r.outpatient_deductible_consumed for r in live), ZERO
            )
            assert summary.account_balance == person.credited - sum(
                (r.account_pay for r in live), ZERO
            )
            assert summary.account_balance >= ZERO


CommandSequences.TestCase.settings = settings(
    max_examples=40, stateful_step_count=15, deadline=None
)
TestCommandSequences = CommandSequences.TestCase
