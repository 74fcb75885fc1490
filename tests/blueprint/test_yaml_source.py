"""The strict YAML reader: every way a file can fail to be one plain document."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.blueprint.yaml_source import MAX_BYTES, read_yaml
from generator.errors import Diagnostic, UserError
from tests.blueprint.repo import errors_of, example_repository

FILE = "blueprints/x.yaml"

BILLION_LAUGHS = b"""\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

# name, bytes, (line, column) or None, code, words in the message
FAILURES = [
    ("duplicate key", b"a: 1\nb: 2\na: 3\n", (3, 1), "yaml.duplicate-key", "duplicate key 'a'"),
    (
        "duplicate nested key",
        b"spec:\n  retry:\n    max_attempts: 1\n    max_attempts: 2\n",
        (4, 5),
        "yaml.duplicate-key",
        "(first defined at line 3)",
    ),
    ("tab indentation", b"spec:\n\tretry: {}\n", (2, 1), "yaml.tab", "tab character"),
    ("tab after spaces", b"spec:\n  \tretry: {}\n", (2, 3), "yaml.tab", "indents with spaces"),
    ("bad indentation", b"spec:\n  a: 1\n b: 2\n", (3, 2), "yaml.syntax", "expected key"),
    ("over-indented key", b"spec:\n  a: 1\n    b: 2\n", (3, 6), "yaml.syntax", "not allowed"),
    ("unclosed flow list", b"a: [1, 2\n", (2, 1), "yaml.syntax", "did not find expected"),
    ("unclosed quote", b"a: 'abc\n", (2, 1), "yaml.syntax", "end of stream"),
    ("empty file", b"", None, "yaml.empty", "file is empty"),
    ("only whitespace", b"  \n\n", None, "yaml.empty", "file is empty"),
    ("comments only", b"# a blueprint\n# to come\n", None, "yaml.empty", "file is empty"),
    ("document marker only", b"---\n", None, "yaml.empty", "file is empty"),
    ("non-UTF-8 byte", b"a: 1\nb: caf\xe9\n", (2, 7), "yaml.encoding", "0xe9 is not valid UTF-8"),
    ("UTF-16", "a: 1\n".encode("utf-16"), (1, 1), "yaml.encoding", "not valid UTF-8"),
    (
        "two documents",
        b"a: 1\n---\nb: 2\n",
        (2, 1),
        "yaml.multiple-documents",
        "more than one YAML document",
    ),
    ("alias bomb", BILLION_LAUGHS, (1, 4), "yaml.alias", "anchors and aliases"),
    ("alias to a scalar", b"a: &x 1\nb: *x\n", (1, 4), "yaml.alias", "anchors and aliases"),
    ("merge key", b"a: {x: 1}\nb:\n  <<: {x: 2}\n", (3, 3), "yaml.merge", "merge keys (<<)"),
    ("binary tag", b"a: !!binary aGVsbG8=\n", (1, 4), "yaml.tag", "tag:yaml.org,2002:binary"),
    ("local tag", b"a: !Ref orders\n", (1, 4), "yaml.tag", "'!Ref'"),
    ("python tag", b"a: !!python/name:os.system\n", (1, 4), "yaml.tag", "unsupported YAML tag"),
    ("set tag", b"a: !!set {x, y}\n", (1, 4), "yaml.tag", "tag:yaml.org,2002:set"),
    ("tag on a list", b"a: !Ordered [1, 2]\n", (1, 4), "yaml.tag", "'!Ordered'"),
    ("complex key", b"? [a, b]\n: 1\n", (1, 3), "yaml.key", "a key must be a plain string"),
]


@pytest.mark.parametrize(
    ("raw", "where", "code", "words"),
    [pytest.param(*f[1:], id=f[0]) for f in FAILURES],
)
def test_refused(raw: bytes, where: tuple[int, int] | None, code: str, words: str) -> None:
    """Each malformed file is refused with one located diagnostic and a fix."""
    with pytest.raises(UserError) as caught:
        read_yaml(FILE, raw)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == FILE
    assert diagnostic.code == code
    assert words in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (where or (None, None))
    assert diagnostic.hint or code == "yaml.key"


def test_file_over_the_size_limit_is_refused_before_parsing() -> None:
    """A 20 MB file is refused by its size; its content is never parsed."""
    raw = b"a: [" + b"1, " * (20 * 1024 * 1024 // 3) + b"]\n"
    with pytest.raises(UserError) as caught:
        read_yaml(FILE, raw)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "yaml.too-large"
    assert f"the limit is {MAX_BYTES:,} bytes" in diagnostic.message


def test_loader_refuses_a_large_file_by_its_size_on_disk(tmp_path: Path) -> None:
    """The loader checks the size on disk: a sparse 20 MB file is refused without reading."""
    repo = example_repository(tmp_path)
    with (repo / "blueprints/huge.yaml").open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    errors: list[Diagnostic] = errors_of(repo)
    assert [(e.file, e.code) for e in errors] == [("blueprints/huge.yaml", "yaml.too-large")]
    assert "20,971,520 bytes" in errors[0].message


def test_yaml_1_2_scalars() -> None:
    """YAML 1.2 core schema: yes/no/on stay strings, dates stay strings, numbers are numbers."""
    document = read_yaml(
        FILE,
        b"a: yes\nb: no\nc: on\nd: 2024-01-01\ne: 010\nf: 1.5\ng: true\nh: null\ni: 0x1F\n",
    )
    assert document.data == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": "2024-01-01",
        "e": 10,
        "f": 1.5,
        "g": True,
        "h": None,
        "i": 31,
    }


def test_positions_of_values_and_keys() -> None:
    """Every value and key is located by 1-based line and column."""
    document = read_yaml(FILE, b"# c\nspec:\n  retry:\n    max_attempts: 5\n  list: [a, b]\n")
    assert document.positions[("spec", "retry", "max_attempts")] == (4, 19)
    assert document.key_positions[("spec", "retry", "max_attempts")] == (4, 5)
    assert document.positions[("spec", "list", 1)] == (5, 13)
    assert document.position(("spec", "retry", "missing")) == (4, 5)


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    """A UTF-8 byte order mark and Windows line endings read like plain text."""
    document = read_yaml(FILE, b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: 2\r\n")
    assert document.data == {"a": 1, "b": {"c": 2}}
    assert document.positions[("b", "c")] == (3, 6)


def test_document_end_marker_is_accepted() -> None:
    """A single document closed with '...' is one document."""
    assert read_yaml(FILE, b"---\na: 1\n...\n").data == {"a": 1}


def test_a_document_that_is_not_a_mapping(tmp_path: Path) -> None:
    """A blueprint that is a list or a scalar says it must be a mapping."""
    repo = example_repository(tmp_path)
    (repo / "blueprints/list.yaml").write_text("- a\n- b\n")
    errors = errors_of(repo)
    assert [(e.location(), e.message) for e in errors] == [
        ("blueprints/list.yaml:1:1", "a blueprint must be a mapping")
    ]


def test_reading_many_files_keeps_nothing_behind() -> None:
    """The shared YAML constructor's node cache is emptied after every file."""
    from generator.blueprint import yaml_source

    for _ in range(3):
        read_yaml(FILE, b"a: 1\nb: [x, y]\nc: {d: true}\n")
    assert yaml_source._YAML.constructor.constructed_objects == {}
