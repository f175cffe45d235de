"""The gazetteer's cache file: built once, read by key, rebuilt when its recipe changes."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from newsweave._nameindex import NameIndex
from newsweave.story.conflicts import Gazetteer, _Place, _place_key

ROWS = [("paris", ("city", "1", "FR", "11")), ("paris", ("city", "2", "US", "TX")),
        ("paris", ("city", "1", "FR", "11")), ("france", ("country", "FR", "FR", ""))]  # fmt: skip


def test_built_once_then_read_from_the_file(tmp_path: Path) -> None:
    calls = []

    def rows():  # type: ignore[no-untyped-def]
        calls.append(1)
        return iter(ROWS)

    index = NameIndex("places", "v1", rows, folder=tmp_path)
    assert index.get("paris") == [("city", "1", "FR", "11"), ("city", "2", "US", "TX")]
    assert index.get("france") == [("country", "FR", "FR", "")]
    assert index.get("nowhere") == []
    assert calls == [1] and index.path.is_file()

    def fail():  # type: ignore[no-untyped-def]
        raise AssertionError("rebuilt")

    again = NameIndex("places", "v1", fail, folder=tmp_path)
    assert again.get("paris") == index.get("paris")
    # another recipe is another file
    other = NameIndex("places", "v2", lambda: iter(ROWS[3:]), folder=tmp_path)
    assert other.path != index.path and other.get("paris") == []
    assert not list(tmp_path.glob("*.tmp"))


def test_an_unwritable_cache_keeps_the_rows_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = NameIndex("places", "v1", lambda: iter(ROWS), folder=blocker / "sub")
    assert index.get("paris") == [("city", "1", "FR", "11"), ("city", "2", "US", "TX")]


@pytest.mark.slow
def test_the_gazetteer_reads_what_the_data_gives() -> None:
    expected: dict[str, set[_Place]] = defaultdict(set)
    for key, row in Gazetteer._rows():
        expected[key].add(_Place(*row))
    g = Gazetteer()
    for name in ["Paris", "U.S.", "the Hague", "Texas", "Houston", "Lake Placid", "Georgia"]:
        assert g.lookup([name]) == expected[_place_key(name)], name
    assert g.lookup(["Nowhereville Xq"]) == set()
    assert g.relation(["Houston"], ["Texas"]) == "contains"
    assert g.relation(["Paris"], ["France"]) in {"same", "contains"}
