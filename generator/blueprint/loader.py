"""The load stage: ``blueprints/*.yaml`` and ``environments/*.yaml`` → validated models.

:func:`load_repository` reads every file, validates each against its model and then the
rules that span files (unique names, environment file names, references between
blueprints), and raises one :class:`UserError` carrying every diagnostic found in every
file. It is the only stage that reads the user's files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.blueprint.kinds.common import StrictModel
from generator.blueprint.kinds.envelope import API_VERSION, SPEC_MODELS, Envelope, Metadata
from generator.blueprint.kinds.environment import Environment
from generator.blueprint.reviewed_yaml import read_document, validate_document
from generator.blueprint.validation import suggest
from generator.blueprint.yaml_source import SourceDocument
from generator.errors import Diagnostic, UserError

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Blueprint:
    """One validated blueprint and the document it came from."""

    document: SourceDocument
    kind: str
    metadata: Metadata
    spec: StrictModel
    raw_spec: dict[str, Any]

    @property
    def name(self) -> str:
        """``metadata.name``."""
        return self.metadata.name

    @property
    def file(self) -> str:
        """Path of the blueprint file relative to the repository root."""
        return self.document.file


@dataclass(frozen=True)
class EnvironmentFile:
    """One validated environment and the document it came from."""

    document: SourceDocument
    environment: Environment

    @property
    def name(self) -> str:
        """The environment's name (``dev``, ``stg``, ``prd``...)."""
        return self.environment.name


@dataclass(frozen=True)
class Repository:
    """Everything the user wrote, validated; the input of the resolve stage."""

    root: Path
    blueprints: tuple[Blueprint, ...]
    environments: tuple[EnvironmentFile, ...]
    declared_names: frozenset[str] = frozenset()
    """Every ``metadata.name`` written, including blueprints that failed to validate (and
    the file name of a blueprint whose YAML could not be read)."""

    def blueprint(self, name: str) -> Blueprint | None:
        """The blueprint called ``name``, if any."""
        return next((b for b in self.blueprints if b.name == name), None)


def _yaml_files(folder: Path) -> list[Path]:
    """Every entry named ``*.yaml``/``*.yml`` but directories: a dangling symlink or an
    unreadable file is reported by :func:`_read`, never skipped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.is_dir())


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _validate(
    model: type[BaseModel],
    data: Any,
    document: SourceDocument,
    prefix: tuple[str, ...],
    errors: list[Diagnostic],
) -> Any:
    try:
        return validate_document(document, model, data=data, prefix=prefix)
    except UserError as exc:
        errors.extend(exc.diagnostics)
        return None


def load_blueprint(document: SourceDocument, errors: list[Diagnostic]) -> Blueprint | None:
    """Validate one parsed blueprint document; append problems to ``errors``."""
    data = document.data
    if not isinstance(data, dict):
        errors.append(
            Diagnostic(
                file=document.file,
                line=1,
                column=1,
                path="",
                message="a blueprint must be a mapping",
                code="schema.document",
                hint="start with apiVersion: trellis/v1",
            )
        )
        return None
    if data.get("apiVersion") not in (None, API_VERSION) and isinstance(
        data.get("apiVersion"), str
    ):
        line, column = document.position(("apiVersion",)) or (None, None)
        errors.append(
            Diagnostic(
                file=document.file,
                line=line,
                column=column,
                path="apiVersion",
                message=f"unsupported apiVersion {data['apiVersion']!r}",
                code="schema.api-version",
                value=repr(data["apiVersion"]),
                allowed=API_VERSION,
                hint=f"write apiVersion: {API_VERSION}",
            )
        )
        return None
    envelope: Envelope | None = _validate(Envelope, data, document, (), errors)
    if envelope is None:
        # Still validate the spec when the kind is known, so one run shows every error.
        kind = data.get("kind")
        if isinstance(kind, str) and kind in SPEC_MODELS and isinstance(data.get("spec"), dict):
            _validate(SPEC_MODELS[kind], data["spec"], document, ("spec",), errors)
        return None
    spec = _validate(SPEC_MODELS[envelope.kind], envelope.spec, document, ("spec",), errors)
    if spec is None:
        return None
    return Blueprint(
        document=document,
        kind=envelope.kind,
        metadata=envelope.metadata,
        spec=spec,
        raw_spec=envelope.spec,
    )


def load_environment(document: SourceDocument, errors: list[Diagnostic]) -> EnvironmentFile | None:
    """Validate one parsed environment document; append problems to ``errors``."""
    environment = _validate(Environment, document.data, document, (), errors)
    if environment is None:
        return None
    return EnvironmentFile(document=document, environment=environment)


def _read(root: Path, path: Path, errors: list[Diagnostic]) -> SourceDocument | None:
    try:
        return read_document(path, _relative(root, path))
    except UserError as exc:
        errors.extend(exc.diagnostics)
        return None


def load_repository(root: Path, envs: Sequence[str] = ()) -> Repository:
    """Load and validate every blueprint and environment under ``root``.

    ``envs`` limits the environments to those names (all when empty); naming one that
    does not exist is an error. Raises :class:`UserError` with every diagnostic found.
    """
    errors: list[Diagnostic] = []
    repository = collect_repository(root, envs, errors)
    if errors:
        raise UserError(errors)
    return repository


def collect_repository(root: Path, envs: Sequence[str], errors: list[Diagnostic]) -> Repository:
    """Like :func:`load_repository`, but appends problems to ``errors`` and returns what
    did load, so later stages can still report their own problems in the same run."""
    root = root.resolve()
    blueprint_paths = _yaml_files(root / "blueprints")
    environment_paths = _yaml_files(root / "environments")
    if not blueprint_paths:
        errors.append(
            Diagnostic(
                file="blueprints/",
                line=None,
                column=None,
                path="",
                message=f"no blueprints found under {root / 'blueprints'}",
                code="repo.no-blueprints",
                hint="run `trellis init IngestionPipeline my-pipeline`",
            )
        )
    if not environment_paths:
        errors.append(
            Diagnostic(
                file="environments/",
                line=None,
                column=None,
                path="",
                message=f"no environments found under {root / 'environments'}",
                code="repo.no-environments",
                hint="add environments/dev.yaml (see the README)",
            )
        )
    blueprints = []
    declared: set[str] = set()
    declared_auth_flows: set[str] = set()
    for path in blueprint_paths:
        document = _read(root, path, errors)
        if document is None:
            # Unreadable YAML: its name is unknown, but files are named after their
            # blueprint, so overrides naming the stem are not reported as unknown too.
            declared.add(path.stem)
        elif isinstance(document.data, dict):
            metadata = document.data.get("metadata")
            if isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
                declared.add(metadata["name"])
                if document.data.get("kind") == "AuthFlow":
                    declared_auth_flows.add(metadata["name"])
        blueprint = load_blueprint(document, errors) if document else None
        if blueprint:
            blueprints.append(blueprint)
    environments = []
    for path in environment_paths:
        document = _read(root, path, errors)
        if document is None:
            continue
        loaded = load_environment(document, errors)
        if loaded is not None:
            environments.append(loaded)
            _check_file_name(path, document, loaded.environment, errors)
    _check_unique_names(blueprints, errors)
    _check_references(blueprints, declared_auth_flows, errors)
    selected = _select_environments(environments, envs, errors)
    return Repository(
        root=root,
        blueprints=tuple(blueprints),
        environments=tuple(selected),
        declared_names=frozenset(declared),
    )


def _check_file_name(
    path: Path, document: SourceDocument, environment: Environment, errors: list[Diagnostic]
) -> None:
    if path.stem != environment.name:
        line, column = document.position(("name",)) or (None, None)
        errors.append(
            Diagnostic(
                file=document.file,
                line=line,
                column=column,
                path="name",
                message=f"environment {environment.name!r} is in a file named {path.name!r}",
                code="repo.environment-file",
                value=repr(environment.name),
                allowed=f"{environment.name}.yaml",
                hint=f"rename the file to "
                f"environments/{environment.name}{path.suffix} or set name: {path.stem}",
            )
        )


def _check_unique_names(blueprints: Sequence[Blueprint], errors: list[Diagnostic]) -> None:
    seen: dict[str, Blueprint] = {}
    for blueprint in blueprints:
        first = seen.setdefault(blueprint.name, blueprint)
        if first is not blueprint:
            line, column = blueprint.document.position(("metadata", "name")) or (None, None)
            errors.append(
                Diagnostic(
                    file=blueprint.file,
                    line=line,
                    column=column,
                    path="metadata.name",
                    message=f"blueprint name {blueprint.name!r} is already used by {first.file}",
                    code="repo.duplicate-name",
                    value=repr(blueprint.name),
                    allowed="a name unique across blueprints/",
                    hint="rename one of them",
                )
            )


def _check_references(
    blueprints: Sequence[Blueprint], declared_auth_flows: set[str], errors: list[Diagnostic]
) -> None:
    """A StaticSite's ``auth_flow`` must name an AuthFlow blueprint.

    A reference to an AuthFlow that is written but failed to validate is not reported:
    that file's own errors say what to fix, and blaming the site as well would mislead.
    Neither is one from a site that declares ``external_parameters`` (an AuthFlow deployed
    elsewhere): resolve then requires its API-domain parameter to be among them.
    """
    auth_flows = sorted(b.name for b in blueprints if b.kind == "AuthFlow")
    for blueprint in blueprints:
        reference = getattr(blueprint.spec, "auth_flow", None)
        if reference in declared_auth_flows or getattr(blueprint.spec, "external_parameters", None):
            continue
        if blueprint.kind == "StaticSite" and reference and reference not in auth_flows:
            line, column = blueprint.document.position(("spec", "auth_flow")) or (None, None)
            close = suggest(reference, auth_flows)
            errors.append(
                Diagnostic(
                    file=blueprint.file,
                    line=line,
                    column=column,
                    path="spec.auth_flow",
                    message=f"no AuthFlow blueprint is named {reference!r}",
                    code="repo.reference",
                    value=repr(reference),
                    allowed=", ".join(auth_flows) or "(no AuthFlow blueprints exist)",
                    hint=f"did you mean {close!r}?"
                    if close
                    else "add the AuthFlow blueprint, or, when it is deployed elsewhere, list "
                    "its /trellis/<env>/<name>/api-domain parameter under "
                    "spec.external_parameters",
                )
            )


def _select_environments(
    environments: list[EnvironmentFile], envs: Sequence[str], errors: list[Diagnostic]
) -> list[EnvironmentFile]:
    names = [e.name for e in environments]
    for wanted in envs:
        if wanted not in names:
            close = suggest(wanted, names)
            errors.append(
                Diagnostic(
                    file=f"environments/{wanted}.yaml",
                    line=None,
                    column=None,
                    path="",
                    message=f"--env {wanted}: no such environment",
                    code="cli.env",
                    value=repr(wanted),
                    allowed=", ".join(names),
                    hint=f"did you mean {close!r}?" if close else None,
                )
            )
    if not envs:
        return environments
    return [e for e in environments if e.name in envs]
