"""An institution's total budget (总额预算) of DOMAIN.md §4b, from issue to confirmed clearing.

One budget per agreement, year and scheme: issued with its basis, adjusted with a reason,
prepaid month by month, cleared once the year has closed. The arithmetic lives in
`domain.budget_rules`; the money moves on the fund account, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.agreement import InstitutionAgreement
from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.budget_rules import (
    Clearing,
    clear_year,
    monthly_prepayment,
    require_within_agreement,
)
from domain.clawback import RECOVERY_METHODS
from domain.errors import (
    AgreementNotActive,
    AlreadyConfirmed,
    AlreadyPrepaid,
    ClearingNotConfirmed,
    ClearingNotProposed,
    RecoveryExceedsOutstanding,
    ValidationFailed,
    YearNotClosed,
)
from domain.fund import require_amount
from domain.money import ZERO, fen
from domain.policy import Policy
from domain.values import require_period, require_scheme


def budget_id(agreement_id: UUID, year: int, scheme: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"yibao:budget:{agreement_id}:{year}:{scheme}")


class Budget(YibaoAggregate):
    """One institution's budget for one year and scheme."""

    @staticmethod
    def create_id(agreement_id: UUID, year: int, scheme: str) -> UUID:
        return budget_id(agreement_id, year, scheme)

    @classmethod
    def issue(
        cls,
        agreement: InstitutionAgreement,
        *,
        year: int,
        scheme: str,
        amount: Decimal,
        basis: str,
        others: Sequence[Decimal] = (),
    ) -> Budget:
        """`others`: the agreement's budgets of the year for its other schemes."""
        require_scheme(scheme)
        require_amount(amount)
        if not basis.strip():
            raise ValidationFailed("basis", "the basis of the budget is required")
        _require_agreement_covers(agreement, year)
        require_within_agreement(amount, others, agreement.annual_budget_in(year))
        return cls(
            agreement_id=agreement.id,
            institution_code=agreement.institution_code,
            region_code=agreement.region_code,
            year=year,
            scheme=scheme,
            amount=amount,
            basis=basis.strip(),
        )

    @event("Issued")
    def __init__(
        self,
        agreement_id: UUID,
        institution_code: str,
        region_code: str,
        year: int,
        scheme: str,
        amount: Decimal,
        basis: str,
    ) -> None:
        """The agency issued the institution's budget for a year and scheme, on a basis."""
        self.agreement_id = agreement_id
        self.institution_code = institution_code
        self.region_code = region_code
        self.year = year
        self.scheme = scheme
        self.amount = amount
        self.basis = basis
        self.prepayments: dict[str, Decimal] = {}
        self.proposal: Clearing | None = None
        self.proposed_as_of: int | None = None
        self.confirmed = False
        self.owed_back = ZERO
        self.recovered = ZERO
        self.corrections: list[Decimal] = []  # the clearing's corrected "fund pays" figures

    # --- queries -------------------------------------------------------------------------

    @property
    def prepaid(self) -> Decimal:
        return sum(self.prepayments.values(), ZERO)

    @property
    def fund_pays(self) -> Decimal | None:
        """The clearing's "fund pays" figure in force: the last correction's, else the
        proposal's (None before a proposal)."""
        if self.corrections:
            return self.corrections[-1]
        return self.proposal.fund_pays if self.proposal else None

    @property
    def outstanding(self) -> Decimal:
        """What the institution still owes the fund after a negative clearing."""
        return self.owed_back - self.recovered

    # --- commands ------------------------------------------------------------------------

    def adjust(
        self, amount: Decimal, others: Sequence[Decimal] = (), annual_budget: Decimal | None = None
    ) -> None:
        """Set a new yearly figure (动态调整); earlier prepayments stay as they were. The
        agreement's other budgets of the year (`others`) and this one stay within its
        `annual_budget`."""
        require_reason("a budget adjustment")
        require_amount(amount)
        self._require_not_confirmed()
        if annual_budget is not None:
            require_within_agreement(amount, others, annual_budget)
        if amount == self.amount:
            raise ValidationFailed("amount", f"{amount} is already the budget in force")
        self._adjusted(amount=amount)

    @event("Adjusted")
    def _adjusted(self, amount: Decimal) -> None:
        """The agency raised or lowered the budget, with a reason."""
        self.amount = amount
        self._withdraw_proposal()

    def prepay(self, month: str, policy: Policy) -> Decimal:
        """Prepay one month (按月预付) from the budget in force now; a month at most once."""
        require_period(month, "month")
        if int(month[:4]) != self.year:
            raise ValidationFailed("month", f"must be a month of {self.year}")
        self._require_not_confirmed()
        if month in self.prepayments:
            raise AlreadyPrepaid(f"{month} was prepaid {self.prepayments[month]}")
        amount = monthly_prepayment(self.amount, policy)
        self._month_prepaid(month=month, amount=amount, policy_version=policy.version)
        return amount

    @event("MonthPrepaid")
    def _month_prepaid(self, month: str, amount: Decimal, policy_version: str) -> None:
        """The agency prepaid the institution one month of its budget."""
        self.prepayments[month] = amount
        self._withdraw_proposal()

    def propose_clearing(
        self, actual: Decimal, *, as_of_position: int, policy: Policy, today: date
    ) -> Clearing:
        """Propose the year-end clearing (年终清算) from the year's actual fund pay `actual`."""
        self._require_not_confirmed()
        if today <= date(self.year, 12, 31):
            raise YearNotClosed(f"{self.year} closes on 31 December")
        if actual < ZERO or fen(actual) != actual:
            raise ValidationFailed("actual", "must be a non-negative amount with 2 decimals")
        if as_of_position < 0:
            raise ValidationFailed("as_of_position", "must not be negative")
        clearing = clear_year(self.amount, actual, self.prepaid, policy)
        self._clearing_proposed(
            clearing=clearing, as_of_position=as_of_position, policy_version=policy.version
        )
        return clearing

    @event("ClearingProposed")
    def _clearing_proposed(
        self, clearing: Clearing, as_of_position: int, policy_version: str
    ) -> None:
        """The agency proposed the year's clearing from the actual fund pay as of a position."""
        self.proposal = clearing
        self.proposed_as_of = as_of_position

    def confirm_clearing(self) -> Decimal:
        """Confirm the proposal; it is final. Returns the clearing amount (< 0: owed back)."""
        require_reason("a clearing confirmation")
        self._require_not_confirmed()
        if self.proposal is None:
            raise ClearingNotProposed()
        amount = self.proposal.clearing_amount
        self._clearing_confirmed(clearing_amount=amount)
        if amount < ZERO:
            self._owed_back(amount=-amount)
        return amount

    @event("ClearingConfirmed")
    def _clearing_confirmed(self, clearing_amount: Decimal) -> None:
        """The agency confirmed the proposed clearing (negotiated and published); it is final."""
        self.confirmed = True

    @event("OwedBack")
    def _owed_back(self, amount: Decimal) -> None:
        """The confirmed clearing left the institution owing this amount back to the fund."""
        self.owed_back += amount

    def correct_clearing(self, fund_pays: Decimal) -> tuple[Decimal, Decimal]:
        """Correct the confirmed clearing (a new record pointing at it, §4b): its "fund
        pays" figure becomes `fund_pays`. Less → the difference is owed back. More → it first
        nets what the institution still owes back (an offset), the rest is paid out. Returns
        (offset, to pay out)."""
        require_reason("a clearing correction")
        previous = self.fund_pays
        if not self.confirmed or previous is None:
            raise ClearingNotConfirmed(f"the {self.year} clearing is not confirmed")
        if fund_pays < ZERO or fen(fund_pays) != fund_pays:
            raise ValidationFailed("fund_pays", "must be a non-negative amount with 2 decimals")
        if fund_pays == previous:
            raise ValidationFailed("fund_pays", f"{fund_pays} is already the clearing's figure")
        self._clearing_corrected(
            fund_pays=fund_pays, corrects=previous, correction_no=len(self.corrections) + 1
        )
        change = fund_pays - previous
        if change < ZERO:
            self._owed_back(amount=-change)
            return ZERO, ZERO
        offset = min(change, self.outstanding)
        if offset > ZERO:
            self._recovery_recorded(amount=offset, method="offset")
        return offset, change - offset

    @event("ClearingCorrected")
    def _clearing_corrected(
        self, fund_pays: Decimal, corrects: Decimal, correction_no: int
    ) -> None:
        """The agency corrected the confirmed clearing's "fund pays" figure (`corrects` is the
        figure it replaces; the clearing itself stays as confirmed)."""
        self.corrections.append(fund_pays)

    def record_recovery(self, amount: Decimal, method: str) -> None:
        """Book money the institution returned against its clearing (offset or payment)."""
        require_amount(amount)
        if method not in RECOVERY_METHODS:
            raise ValidationFailed("method", "must be offset or payment")
        if amount > self.outstanding:
            raise RecoveryExceedsOutstanding(f"{self.outstanding} is outstanding")
        self._recovery_recorded(amount=amount, method=method)

    @event("RecoveryRecorded")
    def _recovery_recorded(self, amount: Decimal, method: str) -> None:
        """The agency recorded money recovered from the institution against the clearing."""
        self.recovered += amount

    def _withdraw_proposal(self) -> None:
        # A proposal made on other figures (B or P) no longer stands; the agency proposes again.
        self.proposal = None
        self.proposed_as_of = None

    def _require_not_confirmed(self) -> None:
        if self.confirmed:
            raise AlreadyConfirmed(f"the {self.year} clearing is confirmed and final")


def _require_agreement_covers(agreement: InstitutionAgreement, year: int) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    if not any(t.start <= last and (t.until is None or t.until > first) for t in agreement.terms):
        raise ValidationFailed("year", f"the agreement has no term in {year}")
    ends = agreement.ends_on()
    if ends is not None and ends <= first:
        raise AgreementNotActive(f"the agreement ended on {ends.isoformat()}")
