"""python-hcl2 read from several threads at once, as `trellis check --jobs N` reads it.

python-hcl2 8.x keeps one mutable serialization context per rule class, so two threads
serializing at once corrupt each other's values: ``encrypt = true`` came back as the
string ``"true"`` while another thread was inside an interpolation, and a CI run reported
every encrypted backend as unencrypted. These tests interleave threads as tightly as the
interpreter allows (a 1 µs switch interval) over texts of both shapes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import hcl_reader
from generator.check.sources import SourceFiles

BACKEND = (
    'terraform {{\n  backend "s3" {{\n    bucket       = "state-{n}"\n'
    "    encrypt      = true\n    use_lockfile = true\n  }}\n}}\n"
)
INTERPOLATIONS = "locals {{\n{lines}}}\n"


def _interpolations(n: int) -> str:
    lines = "".join(f'  x{i} = "${{var.a}}-{n}-{i}-${{lower("X")}}"\n' for i in range(30))
    return INTERPOLATIONS.format(lines=lines)


@pytest.fixture
def tight_switching() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _on_threads(count: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as err:  # reported below, in the test's thread
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.usefixtures("tight_switching")
def test_serialize_on_threads_keeps_literals() -> None:
    """`true` stays True in one thread while others serialize interpolations."""
    backend = hcl_reader.parses(BACKEND.format(n=0))
    noisy = hcl_reader.parses(_interpolations(0))
    wrong: list[Any] = []

    def work(index: int) -> None:
        for _ in range(60 if index == 0 else 10):
            if index == 0:
                block = hcl_reader.serialize(backend)["terraform"][0]["backend"][0]['"s3"']
                if block["encrypt"] is not True or block["use_lockfile"] is not True:
                    wrong.append(block)
            else:
                hcl_reader.serialize(noisy)

    _on_threads(3, work)
    assert wrong == []


@pytest.mark.usefixtures("tight_switching")
def test_check_analyses_on_threads_see_every_backend_encrypted(tmp_path: Path) -> None:
    """The run's shared parse (what hcl_parse, provider_schema and account_readiness read),
    asked for by four threads in different orders, finds every backend encrypted."""
    files = []
    for n in range(12):
        for name, text in ((f"b{n}.tf", BACKEND.format(n=n)), (f"i{n}.tf", _interpolations(n))):
            path = tmp_path / "build" / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files.append(path)
    sources = SourceFiles()

    def work(index: int) -> None:
        order = files if index % 2 == 0 else list(reversed(files))
        for path in order[index::2] + order[:index:2]:
            sources.result(path, "hcl_parse", tmp_path / "cache")

    _on_threads(4, work)
    backends = [
        sources.result(path, "hcl_parse", tmp_path / "cache")["backend"]
        for path in files
        if path.name.startswith("b")
    ]
    assert len(backends) == 12
    assert all(b["encrypt"] is True and b["use_lockfile"] is True for b in backends), backends
