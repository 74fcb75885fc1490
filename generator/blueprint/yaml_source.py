"""Read one reviewed YAML file into plain data plus the line and column of every node.

The reader is deliberately strict, because a blueprint is a contract and surprises in it
end up in production: it refuses files over :data:`MAX_BYTES`, bytes that are not UTF-8,
tab characters in indentation, more than one document, anchors and aliases (which can
expand into a billion-laughs bomb and hide what a value really is), merge keys and
duplicate keys. Scalars follow YAML 1.2's core schema, so ``yes`` and ``no`` stay strings.

Every failure raises :class:`~generator.errors.UserError` with the file and the position.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from generator.errors import Diagnostic, UserError

MAX_BYTES = 1024 * 1024
"""Largest accepted file: a reviewed file is a page of YAML, not a data set."""

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass(frozen=True)
class SourceDocument:
    """A parsed YAML document: its data and where each part of it was written.

    ``positions`` maps a field path (``("spec", "retrieval", "concurrency")``) to the 1-based
    line and column of its value; ``key_positions`` to the position of the key itself.
    """

    file: str
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_) -> Position | None:
        """Position of the value at ``path``, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return None

    def key_position(self, path: Path_) -> Position | None:
        """Position of the key that introduces ``path`` (falls back to the value's)."""
        return self.key_positions.get(path) or self.position(path)


def _yaml(*, pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.version = (1, 2)
    return yaml


_YAML = _yaml(pure=False)
"""The C (libyaml) composer: fast, but it follows YAML 1.1 in places."""
_YAML_PURE = _yaml(pure=True)
"""The pure-Python YAML 1.2 composer, asked only when the C one refuses a document."""


def _compose(text: str) -> Node | None:
    """Compose with the C parser; if it refuses, ask the YAML 1.2 parser before failing.

    libyaml rejects some valid YAML 1.2, e.g. ``{url: https://x}`` (a colon inside a
    plain scalar in a flow mapping); the pure parser accepts it. When both refuse, the
    libyaml error is reported: its messages say more ("did not find expected key").
    """
    try:
        return _YAML.compose(text)  # type: ignore[no-any-return]
    except MarkedYAMLError as libyaml_error:
        try:
            return _YAML_PURE.compose(text)  # type: ignore[no-any-return]
        except MarkedYAMLError:
            raise libyaml_error from None  # libyaml's wording is the clearer of the two


def _error(
    file: str,
    line: int | None,
    column: int | None,
    message: str,
    code: str,
    hint: str | None = None,
) -> UserError:
    return UserError(
        [
            Diagnostic(
                file=file, line=line, column=column, path="", message=message, code=code, hint=hint
            )
        ]
    )


def check_size(file: str, size: int) -> None:
    """Raise :class:`UserError` when a file of ``size`` bytes is over :data:`MAX_BYTES`.

    The loader calls this with the size on disk before reading, so an oversized file is
    refused without being read or parsed.
    """
    if size > MAX_BYTES:
        raise _error(
            file,
            None,
            None,
            f"file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
            "yaml.too-large",
            hint="a reviewed file is a page of YAML, not a data set: "
            "split it, or remove pasted data",
        )


def _empty(file: str) -> UserError:
    return _error(
        file,
        None,
        None,
        "file is empty",
        "yaml.empty",
        hint="write the document or remove the file "
        "(`trellis init KIND NAME` writes a blueprint skeleton)",
    )


def _check_text(file: str, raw: bytes) -> str:
    check_size(file, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            file,
            line,
            column,
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "yaml.encoding",
            hint="save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _empty(file)
    for number, text_line in enumerate(text.splitlines(), start=1):
        indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
        if "\t" in indent:
            raise _error(
                file,
                number,
                indent.index("\t") + 1,
                "tab character in indentation; YAML indents with spaces only",
                "yaml.tab",
                hint="replace the tab with spaces",
            )
    return text


def read_yaml(file: str, raw: bytes) -> SourceDocument:
    """Parse ``raw`` (the bytes of ``file``) into a :class:`SourceDocument`.

    ``file`` is only used in messages. Raises :class:`UserError` for every way the text can
    fail to be one plain, safe YAML document.
    """
    text = _check_text(file, raw)
    try:
        node = _compose(text)
    except ReaderError as exc:
        offset = int(exc.position)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise _error(
            file,
            line,
            column,
            f"character U+{ord(text[offset]):04X} is not allowed in a YAML file",
            "yaml.character",
            hint='write it as an escape inside a double-quoted string, e.g. "\\u007f"',
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "expected a single document" in str(exc):
            problem = "more than one YAML document; a file holds exactly one"
            return_code = "yaml.multiple-documents"
            hint = "keep one document per file (one blueprint each) and remove the `---` separator"
        else:
            return_code = "yaml.syntax"
            indentation = (
                "expected <block end>",
                "did not find expected key",
                "mapping values are not allowed",
                "could not find expected ':'",
            )
            hint = (
                "check the indentation of this line and the one before it"
                if any(text in problem for text in indentation)
                else "fix the YAML at this position; quote the value if it is text"
            )
        raise _error(
            file,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            problem,
            return_code,
            hint,
        ) from None
    if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
        # Nothing at all, or a lone '---' (which composes to an empty plain scalar).
        raise _empty(file)
    document = SourceDocument(file=file, data=None)
    try:
        data = _convert(node, (), document, set())
    finally:
        # The shared constructor caches every node it builds (as construct_document
        # would clear at the end); without this, each file read stays in memory.
        _YAML.constructor.constructed_objects.clear()
    return SourceDocument(
        file=file, data=data, positions=document.positions, key_positions=document.key_positions
    )


def _pos(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: Node, path: Path_, doc: SourceDocument, seen: set[int]) -> Any:
    line, column = _pos(node)
    if getattr(node, "anchor", None) or id(node) in seen:
        raise _error(
            doc.file,
            line,
            column,
            "anchors and aliases (&name, *name) are not allowed",
            "yaml.alias",
            hint="write the value out in full where it is used",
        )
    seen.add(id(node))
    doc.positions[path] = (line, column)
    if isinstance(node, MappingNode | SequenceNode) and node.tag not in _COLLECTION_TAGS:
        raise _error(
            doc.file,
            line,
            column,
            f"unsupported YAML tag {node.tag!r}",
            "yaml.tag",
            hint="remove the tag; trellis reads plain mappings and lists",
        )
    if isinstance(node, ScalarNode):
        return _scalar(node, doc.file)
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, index), doc, seen) for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_column = _pos(key_node)
            if not isinstance(key_node, ScalarNode):
                raise _error(
                    doc.file, key_line, key_column, "a key must be a plain string", "yaml.key"
                )
            key = key_node.value
            if key == "<<":
                raise _error(
                    doc.file,
                    key_line,
                    key_column,
                    "merge keys (<<) are not allowed",
                    "yaml.merge",
                    hint="write the merged fields out in full",
                )
            if key in result:
                first = doc.key_positions[(*path, key)]
                raise _error(
                    doc.file,
                    key_line,
                    key_column,
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    "yaml.duplicate-key",
                    hint="keep one of the two definitions",
                )
            doc.key_positions[(*path, key)] = (key_line, key_column)
            result[key] = _convert(value_node, (*path, key), doc, seen)
        return result
    raise _error(doc.file, line, column, "unsupported YAML node", "yaml.node")  # pragma: no cover


def _scalar(node: ScalarNode, file: str) -> Any:
    if node.tag == _TIMESTAMP_TAG and not node.style:
        # YAML 1.1 leftovers: a date-looking plain scalar is a string. The C composer marks
        # a plain scalar's style as "" and the pure one as None: both mean plain.
        return node.value
    if node.tag not in _CORE_TAGS:
        line, column = _pos(node)
        raise _error(
            file,
            line,
            column,
            f"unsupported YAML tag {node.tag!r}",
            "yaml.tag",
            hint="remove the tag; trellis reads plain strings, numbers and booleans",
        )
    try:
        return _YAML.constructor.construct_object(node, deep=True)
    except MarkedYAMLError as exc:  # e.g. an invalid timestamp-looking value
        line, column = _pos(node)
        raise _error(file, line, column, str(exc.problem or exc), "yaml.scalar") from None


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)


def has_path(data: Any, path: Path_) -> bool:
    """Whether ``path`` exists inside plain data (a present ``null`` counts)."""
    for part in path:
        in_mapping = isinstance(data, Mapping) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return False
        data = data[part]
    return True
