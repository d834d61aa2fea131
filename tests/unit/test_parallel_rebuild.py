"""How a parallel rebuild splits the projections among its processes, and that what a worker
raises reaches the parent intact."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from interfaces.parallel_rebuild import default_workers, groups_of, portable
from interfaces.settings import Settings
from projections.catalog import build_projections
from projections.rebuild import EvidenceDiffers
from projections.runtime import EventFailed, ProjectionFailed

PROJECTIONS = build_projections("310000")


@given(st.integers(min_value=1, max_value=12))
def test_every_projection_is_rebuilt_by_exactly_one_worker(workers: int) -> None:
    groups = groups_of(PROJECTIONS, workers)
    named = [name for group in groups for name in group]
    assert sorted(named) == sorted(p.name for p in PROJECTIONS)
    assert 1 <= len(groups) <= workers
    assert all(groups)


def test_two_workers_get_about_the_same_cost() -> None:
    cost = {p.name: p.cost for p in PROJECTIONS}
    first, second = (sum(cost[n] for n in group) for group in groups_of(PROJECTIONS, 2))
    # The busier process takes at most 60 % of the work (its share decides the wall time).
    assert max(first, second) <= 0.6 * (first + second)


def test_failures_cross_a_process_boundary_with_their_fields() -> None:
    failed = ProjectionFailed("persons", 41, EventFailed(41, ValueError("no such scheme")))
    again = pickle.loads(pickle.dumps(failed))
    assert (again.projection, again.position, str(again)) == ("persons", 41, str(failed))

    refused = pickle.loads(pickle.dumps(EvidenceDiffers("audit_trail", 7)))
    assert (refused.projection, refused.position) == ("audit_trail", 7)
    assert "position 7" in str(refused)


def test_sqlite_rebuilds_in_one_process_and_postgresql_in_up_to_two(tmp_path: Path) -> None:
    sqlite = Settings(database_url=f"sqlite:///{tmp_path / 'y.sqlite'}", data_dir=tmp_path)
    postgres = Settings(database_url="postgresql://postgres@127.0.0.1:5432/x", data_dir=tmp_path)
    assert default_workers(sqlite) == 1
    assert default_workers(postgres) == min(2, os.cpu_count() or 1)


class Unpicklable(Exception):
    def __init__(self, detail: str, extra: object) -> None:
        super().__init__(detail)
        self.extra = extra

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("cannot pickle")


def test_a_failure_that_does_not_pickle_reaches_the_parent_described() -> None:
    plain = ProjectionFailed("persons", 41, EventFailed(41, ValueError("no such scheme")))
    assert portable(plain) is plain  # it pickles: handed over as it is

    odd = ProjectionFailed("balances", 7, EventFailed(7, Unpicklable("bad row", object())))
    handed = pickle.loads(pickle.dumps(portable(odd)))
    assert (handed.projection, handed.position) == ("balances", 7)
    assert "Unpicklable: bad row" in str(handed)
