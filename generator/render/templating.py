"""The jinja2 environment every template renders in.

``StrictUndefined`` turns a misspelt variable into an error instead of an empty string;
autoescape is off because the output is HCL, not HTML, and HCL safety comes from the
:mod:`generator.render.hcl` filters that every value goes through.
"""

from __future__ import annotations

import functools

import jinja2

from generator.render.hcl import hcl, hcl_resource, hcl_string


def aws_provider_version() -> str:
    """The exact ``hashicorp/aws`` version every versions.tf pins: the version of the
    committed provider schema the checks prove the stacks against, so a plan saved in CI
    and applied after an approval wait always runs with the provider that made it."""
    from generator.schema.loader import committed_provider_version

    return committed_provider_version()


@functools.cache
def environment() -> jinja2.Environment:
    """The shared, cached template environment (templates are package data)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - HCL output; values are escaped by the hcl filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["dict"] = dict
    env.globals["aws_provider_version"] = aws_provider_version()
    env.filters["hcl"] = hcl
    env.filters["hcl_string"] = hcl_string
    env.filters["hcl_resource"] = hcl_resource
    return env


def render(template: str, **context: object) -> str:
    """Render one template by its path under ``generator/templates``."""
    return environment().get_template(template).render(**context)
