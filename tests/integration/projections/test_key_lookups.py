"""Decoding an event reads its person's key: the key store answers from memory what it has
read once — a shredded key too (it never comes back) — but not a key not created yet."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from sqlalchemy import create_engine, event

from interfaces.bootstrap import Container
from interfaces.keystore import SqlKeyStore, metadata


def test_a_shredded_key_is_read_once_and_a_missing_one_every_time(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'keys.sqlite'}")
    metadata.create_all(engine)
    selects: list[str] = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda *a: selects.append(a[2]) if "SELECT" in a[2] else None,
    )
    shredded, missing = uuid4(), uuid4()
    SqlKeyStore(engine).create(shredded)
    SqlKeyStore(engine).destroy(shredded)
    reader = SqlKeyStore(engine)  # another process: nothing cached
    selects.clear()

    assert [reader.get(shredded) for _ in range(3)] == [None, None, None]
    assert len(selects) == 1
    assert [reader.get(missing) for _ in range(2)] == [None, None]
    assert len(selects) == 3
    SqlKeyStore(engine).create(missing)  # created elsewhere since: found
    assert reader.get(missing) is not None
    engine.dispose()


def test_the_keys_of_a_batch_are_read_with_one_query(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'keys.sqlite'}")
    metadata.create_all(engine)
    writer = SqlKeyStore(engine)
    live, shredded, unknown = uuid4(), uuid4(), uuid4()
    created = writer.create(live)
    writer.create(shredded)
    writer.destroy(shredded)
    selects: list[str] = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda *a: selects.append(a[2]) if "SELECT" in a[2] else None,
    )
    reader = SqlKeyStore(engine)

    reader.preload([live, shredded, unknown])

    assert len(selects) == 1
    assert (reader.get(live), reader.get(shredded)) == (created, None)
    assert len(selects) == 1
    assert reader.get(unknown) is None and len(selects) == 2  # not known: asked again
    engine.dispose()


def test_new_subjects_get_their_keys_in_one_statement_and_keep_stored_ones(
    container: Container,
) -> None:
    engine = container.engine
    writer = SqlKeyStore(engine)
    kept, shredded = uuid4(), uuid4()
    stored = writer.create(kept)
    writer.create(shredded)
    writer.destroy(shredded)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    batch = SqlKeyStore(engine)  # another process: it knows none of them
    new = [uuid4() for _ in range(5)]

    batch.create_many([*new, kept, shredded])

    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    assert batch.get(kept) == stored  # a stored key is never replaced
    assert batch.get(shredded) is None  # nor a destroyed one brought back
    reader = SqlKeyStore(engine)
    assert [reader.get(s) for s in new] == [batch.get(s) for s in new]
    assert all(reader.get(s) is not None for s in new)
    statements.clear()
    batch.create_many(new)  # all cached: nothing to do
    assert statements == []


def test_the_cache_is_bounded_and_an_evicted_key_is_read_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'keys.sqlite'}")
    metadata.create_all(engine)
    store = SqlKeyStore(engine, cache_size=2)
    first, second, third = uuid4(), uuid4(), uuid4()
    keys = [store.create(s) for s in (first, second, third)]
    store.destroy(second)
    store.create_many([uuid4()])  # pushes `first` and then `third` out of memory

    assert store.get(first) == keys[0]
    assert store.get(second) is None  # destroyed stays destroyed
    assert store.get(third) == keys[2]
    engine.dispose()


def test_the_runner_remembers_that_a_committed_events_subject_has_no_key(tmp_path: Path) -> None:
    """A key is committed with or before the first event sealed with it: a subject of a
    committed event with no key row never gets one, and is not asked for at every event."""
    engine = create_engine(f"sqlite:///{tmp_path / 'keys.sqlite'}")
    metadata.create_all(engine)
    keyless = uuid4()
    selects: list[str] = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda *a: selects.append(a[2]) if "SELECT" in a[2] else None,
    )
    writer, runner = SqlKeyStore(engine), SqlKeyStore(engine)

    writer.preload([keyless])  # a writer's preload: not final
    runner.preload([keyless], final=True)
    selects.clear()

    assert [runner.get(keyless) for _ in range(3)] == [None, None, None]
    assert selects == []
    assert writer.get(keyless) is None and len(selects) == 1  # not remembered there
    engine.dispose()
