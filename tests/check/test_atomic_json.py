"""Cache files written by concurrent checks: always whole, never a shared temporary name."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from generator.check.atomic_json import write_json_atomically
from generator.check.checkov_cache import ResultCache
from generator.check.context import StackRef


def test_concurrent_writers_of_one_entry_leave_it_whole(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    stack = StackRef("dev", "payments", tmp_path / "build" / "dev" / "payments")
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for round_ in range(200):
                results = {"failed": [{"writer": writer, "round": round_}] * 50}
                cache.store(stack, f"digest-{writer}", results)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.load_latest(stack) is not None
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    write_json_atomically(target, {"kept": True})
    with pytest.raises(TypeError):
        write_json_atomically(target, {"not json": object()})
    assert json.loads(target.read_text(encoding="utf-8")) == {"kept": True}
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]
