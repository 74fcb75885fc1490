"""``.trellis/``: where everything trellis writes that is not rendered lives.

``build/`` holds exactly what ``trellis render`` writes, so a render (or the re-render of
``trellis check``) may replace it whole. Offline plans, plan reviews, the editor schemas
and the caches live here instead, where no render deletes them, and a ``.gitignore``
inside keeps all of it out of commits without touching the repository's own
``.gitignore``::

    .trellis/
      .gitignore                       "*": nothing here is committed
      plans/<env>/<blueprint>/plan.json, plan.tfplan   trellis plan --offline
      review.md                        trellis review --output (the demo's choice)
      schema/*.schema.json             trellis schema (the editor modeline points here)
      cache/                           bundles, checkov and terraform results
"""

from __future__ import annotations

from pathlib import Path

HOME = ".trellis"
GITIGNORE_TEXT = (
    "# Written by trellis: plans, reviews, schemas and caches; none of it is committed.\n*\n"
)
SCHEMA_DIR = Path(HOME, "schema")
PLANS_DIR = Path(HOME, "plans")
REVIEW_FILE = Path(HOME, "review.md")


def ensure_home(root: Path) -> Path:
    """Create ``root/.trellis/`` with its ``.gitignore`` (kept if already there); return it.

    Raises ``OSError`` when ``root`` is not writable.
    """
    home = root / HOME
    home.mkdir(parents=True, exist_ok=True)
    ignore = home / ".gitignore"
    if not ignore.exists():
        ignore.write_text(GITIGNORE_TEXT, encoding="utf-8")
    return home


def plan_dir(root: Path, key: str) -> Path:
    """Where ``trellis plan --offline`` writes the plan of stack ``<env>/<blueprint>``."""
    return root / PLANS_DIR / key
