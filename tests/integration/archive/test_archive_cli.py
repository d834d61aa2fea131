"""`yibao archive hold|release|records|volumes|dispose|disposals` from the command line."""

from __future__ import annotations

from interfaces.bootstrap import Container
from tests.conftest import Clock
from tests.contract.scenario import record_history
from tests.integration.archive.test_packages import yibao


def test_an_archivist_holds_lists_and_releases_and_refusals_are_one_line(
    container: Container, clock: Clock
) -> None:
    claim = str(record_history(container.region, clock).employee_claim)
    hold = ("--reason", "专项稽核", "--legal-basis", "稽核封存", "--aggregate", claim)
    code, hold_id = yibao(container, "archive", "hold", *hold, "--archivist", "alice")
    assert code == 0, hold_id
    code, listed = yibao(container, "archive", "records", "--held", "--limit", "1000")
    assert code == 0 and claim in listed
    propose = ("dispose", "propose", "--opinion", "期满", "--aggregate", claim)
    code, output = yibao(container, "archive", *propose, "--archivist", "alice")
    # Formed in 2026 (the CLI's clock is the real one): not due until 2057.
    assert code == 1 and output.startswith("NOT_YET_DUE") and output.count("\n") == 1
    release = ("release", hold_id.strip(), "--reason", "结束", "--archivist", "bob")
    assert yibao(container, "archive", *release)[0] == 0
    code, listed = yibao(container, "archive", "records", "--held", "--limit", "1000")
    assert code == 0 and claim not in listed
    code, volumes = yibao(container, "archive", "volumes", "--year", "2026")
    assert code == 0 and "2026-03-payment_detail" in volumes
    code, register = yibao(container, "archive", "disposals")
    assert code == 0 and register.strip() == ""
    approve = ("dispose", "approve", hold_id.strip(), "--reason", "x")
    code, output = yibao(container, "archive", *approve)
    assert code == 1 and output.startswith("NOT_FOUND")
