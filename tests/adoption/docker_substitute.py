"""``docker`` for the deploy workflow's images job, without a Docker engine.

The images job's ``run:`` steps execute unchanged; only the ``docker`` they call is this
script (first on ``PATH``), doing locally what the runner's Docker does:

* ``docker buildx create|version``: nothing to set up; prints what it stands for;
* ``docker login --username AWS --password-stdin <registry>``: checks the password came
  on stdin (``aws ecr get-login-password`` against moto) and accepts it;
* ``docker buildx build``: refuses a build the workflow should never ask for (no
  ``--provenance=false``, ``--sbom=false``, ``--network none``, ``rewrite-timestamp=true``,
  ``SOURCE_DATE_EPOCH`` or ``--platform``), then builds the context with buildah from
  Debian's packages (:mod:`tests.images.buildah`, ``--timestamp $SOURCE_DATE_EPOCH``,
  onto the stand-in base ``$DOCKER_SUBSTITUTE_BASE``) or, where buildah cannot run, with
  the Python assembly (:mod:`tests.images.oci`); with ``push=true`` it pushes the OCI
  image to ECR the way ``docker push`` ends up in ECR: every blob through
  InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload, then PutImage with the
  manifest and its digest, against ``$AWS_ENDPOINT_URL`` (moto). An ECR refusal (an
  immutable tag that exists) fails the command, as a refused push fails on a runner.

Each build is appended as one JSON line to ``$DOCKER_SUBSTITUTE_LOG`` for the test to read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from tests.images import buildah, oci

_REQUIRED = ("--provenance=false", "--sbom=false")
_FLAGS = {"--password-stdin", "--use", "--bootstrap", "--pull"}


def _fail(message: str) -> int:
    print(f"docker (trellis test substitute): {message}", file=sys.stderr)
    return 1


def _options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """``--name value`` and ``--name=value`` options, and the positional arguments."""
    options: dict[str, str] = {}
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _FLAGS:
            options[arg] = ""
        elif arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
            options[name] = value
        elif arg.startswith("--"):
            options[arg] = args[index + 1]
            index += 1
        else:
            positional.append(arg)
        index += 1
    return options, positional


def _output(value: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in value.split(","))


def _build(context: Path, platform: str, epoch: int, work: Path) -> tuple[Path, str]:
    """The context built onto the stand-in base into an OCI layout; the builder used."""
    base = Path(os.environ["DOCKER_SUBSTITUTE_BASE"])
    layout = work / "layout"
    if buildah.unavailable() is None:
        buildah.build(
            context, base, "base", layout, "image",
            platform=platform, work=work / "storage", timestamp=epoch,
        )  # fmt: skip
        return layout, "buildah"
    oci.assemble_image(context, base, "base", layout, "image", epoch)
    return layout, "python-assembly"


def _push(image: oci.Image, layout: Path, repository: str, tag: str) -> None:
    ecr: Any = boto3.client("ecr")
    blobs = [image.manifest["config"], *image.manifest["layers"]]
    for blob in blobs:
        data = (layout / "blobs" / "sha256" / blob["digest"].split(":", 1)[1]).read_bytes()
        upload = ecr.initiate_layer_upload(repositoryName=repository)
        ecr.upload_layer_part(
            repositoryName=repository, uploadId=upload["uploadId"],
            partFirstByte=0, partLastByte=len(data) - 1, layerPartBlob=data,
        )  # fmt: skip
        ecr.complete_layer_upload(
            repositoryName=repository, uploadId=upload["uploadId"], layerDigests=[blob["digest"]]
        )
    manifest = (layout / "blobs" / "sha256" / image.manifest_digest.split(":", 1)[1]).read_text()
    ecr.put_image(
        repositoryName=repository,
        imageManifest=manifest,
        imageManifestMediaType=image.manifest["mediaType"],
        imageTag=tag,
        imageDigest=image.manifest_digest,
    )


def _buildx_build(args: list[str]) -> int:
    options, positional = _options(args)
    missing = [flag for flag in _REQUIRED if flag.split("=")[0] not in options]
    missing += [] if options.get("--network") == "none" else ["--network none"]
    output = _output(options.get("--output", ""))
    if output.get("rewrite-timestamp") != "true":
        missing.append("--output ...,rewrite-timestamp=true")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        missing.append("SOURCE_DATE_EPOCH")
    if "--platform" not in options:
        missing.append("--platform")
    if missing or len(positional) != 1:
        return _fail(f"not a reproducible build: missing {missing} or context in {args}")
    builds = Path(os.environ["DOCKER_SUBSTITUTE_WORK"])
    work = builds / f"build-{len(list(builds.iterdir()))}"
    layout, builder = _build(Path(positional[0]), options["--platform"], int(epoch), work)
    image = oci.read_image(layout, "image")
    if f"{image.config['os']}/{image.config['architecture']}" != options["--platform"]:
        return _fail(f"built {image.config['architecture']}, asked for {options['--platform']}")
    record: dict[str, Any] = {
        "builder": builder,
        "context": positional[0],
        "platform": options["--platform"],
        "epoch": int(epoch),
        "manifest_digest": image.manifest_digest,
        "layer_digests": [digest for digest, _ in image.layers],
        "layout": str(layout),
    }
    if output.get("type") != "image":
        return _fail(f"the images job pushes type=image outputs, not {output}")
    if output.get("push") == "true":
        name, tag = output["name"].rsplit(":", 1)
        repository = name.split("/", 1)[1]
        try:
            _push(image, layout, repository, tag)
        except ClientError as exc:  # a refused push fails the command, as docker's does
            return _fail(f"push of {output['name']} refused: {exc}")
        record.update(pushed=output["name"])
    with Path(os.environ["DOCKER_SUBSTITUTE_LOG"]).open("a", encoding="utf-8") as log:
        log.write(json.dumps(record, sort_keys=True) + "\n")
    print(f"built {positional[0]} with {builder}: {image.manifest_digest}")
    return 0


def main(argv: list[str]) -> int:
    """Dispatch the docker subcommands the images job runs; anything else fails."""
    if argv[:2] == ["buildx", "create"]:
        print("trellis-images (buildah stands in for the docker-container driver)")
        return 0
    if argv[:2] == ["buildx", "version"]:
        print("buildx: trellis test substitute over buildah")
        return 0
    if argv[:1] == ["login"]:
        options, positional = _options(argv[1:])
        password = sys.stdin.read().strip()
        if options.get("--username") != "AWS" or "--password-stdin" not in options or not password:
            return _fail(f"login expects the ECR password on stdin: {argv}")
        print(f"Login Succeeded ({positional})")
        return 0
    if argv[:2] == ["buildx", "build"]:
        return _buildx_build(argv[2:])
    return _fail(f"unsupported command {argv}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
