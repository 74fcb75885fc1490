r"""How the review's Markdown is laid out under a character cap.

A document is a list of :class:`Section`\ s; :func:`fit` keeps them in document order
and, when the whole does not fit in ``max_chars``, gives room by ``keep`` (0 first, never
cut while it fits), cutting the items of the others from the end and saying how many were
left out and where the full review is. The cap is hard: if even the sections that are
never cut exceed it, a warning says so and they are cut too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def code(text: str) -> str:
    """``text`` as an inline code span that survives backticks and table pipes."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def plural(count: int, word: str) -> str:
    """``1 check``, ``2 checks``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass
class Section:
    """A part of the document: ``head`` and ``tail`` wrap ``items``, which may be cut.

    ``keep`` orders what is given room first when the cap bites: 0 is never cut while it
    fits (summary, blocking, IAM); higher numbers are cut before lower ones.
    """

    head: str
    items: list[str]
    tail: str = ""
    keep: int = 9


def _where(artifact: str | None, full_file: str | None) -> str:
    places = []
    if full_file:
        places.append(f"the file {code(full_file)}")
    if artifact:
        places.append(f"the artifact {code(artifact)}")
    if not places:
        return "the JSON review (`trellis review --format json`)"
    return " of ".join(places)


def _note(artifact: str | None, left_out: int, full_file: str | None = None) -> str:
    return (
        f"\n---\n**Cut to fit:** {plural(left_out, 'item')} left out. "
        f"The full review is in {_where(artifact, full_file)}.\n"
    )


def _overflow(max_chars: int, artifact: str | None, full_file: str | None) -> str:
    return (
        f"> **⚠️ The blocking and IAM sections alone exceed {max_chars:,} characters**, so "
        f"even they are cut here. Read them complete in {_where(artifact, full_file)}.\n\n"
    )


def _fill(section: Section, room: int | None) -> tuple[str, int]:
    """The section with as many items as fit in ``room`` (None: all), and how many did not."""
    full = section.head + "".join(section.items) + section.tail
    if room is None or len(full) <= room:
        return full, 0
    frame = len(section.head) + len(section.tail) + len(_MORE.format(n=10**9))
    if frame > room:
        return "", max(len(section.items), 1)
    kept: list[str] = []
    size = frame
    for item in section.items:
        if size + len(item) > room:
            break
        kept.append(item)
        size += len(item)
    left = len(section.items) - len(kept)
    if not kept:
        return "", max(len(section.items), 1)
    return section.head + "".join(kept) + section.tail + _MORE.format(n=left), left


_MORE = "_… {n} more not shown here: see the full review._\n\n"


def fit(
    sections: Sequence[Section], max_chars: int, artifact: str | None, full_file: str | None
) -> str:
    """Sections by ``keep`` (lower first) while they fit, in document order."""
    whole = [s.head + "".join(s.items) + s.tail for s in sections]
    if not max_chars or sum(map(len, whole)) <= max_chars:
        return "".join(whole)
    must = sum(len(t) for t, s in zip(whole, sections, strict=True) if s.keep == 0)
    overflow = must + len(_note(artifact, 10**9, full_file)) > max_chars
    warning = _overflow(max_chars, artifact, full_file) if overflow else ""
    room = max_chars - len(_note(artifact, 10**9, full_file)) - len(warning)
    texts: list[str] = [""] * len(sections)
    left_out = 0
    for index in sorted(range(len(sections)), key=lambda i: (sections[i].keep, i)):
        text, left = _fill(sections[index], max(room, 0))
        texts[index] = text
        room -= len(text)
        left_out += left
    if warning:  # below the summary, above what blocks
        texts[0] += warning
    text = "".join(texts) + _note(artifact, max(left_out, 1), full_file)
    if len(text) > max_chars:  # a cap shorter than the summary and the notes
        note = _note(artifact, max(left_out, 1), full_file)
        text = text[: max(max_chars - len(note), 0)]
        text = text[: text.rfind("\n") + 1] + note
    return text[:max_chars]
