"""Shared test helpers: locate SBOM fixtures (``tests/fixtures/sboms/<name>`` first, then the shared
corpus when present)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make ``from tests.conftest import fixture_path`` work whether or not tests/ is a package.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

SBOMS_DIR = Path(__file__).parent / "fixtures" / "sboms"
SHARED_CORPUS = Path("/work/shared/corpus/public")


def fixture_path(name: str) -> Path:
    """Path of the SBOM fixture ``name`` (e.g. ``"cdx-1.6_juice-shop_npm-bare.json"`` or
    ``"broken/empty.json"``): ``tests/fixtures/sboms/<name>``, else the shared corpus copy."""
    local = SBOMS_DIR / name
    if local.exists():
        return local
    shared = SHARED_CORPUS / name
    if shared.exists():
        return shared
    raise FileNotFoundError(f"no SBOM fixture named {name!r} in {SBOMS_DIR}")


def corpus_files() -> list[Path]:
    """Every real SBOM of the fixture corpus (not ``broken/``, not the Markdown files), sorted."""
    return sorted(p for p in SBOMS_DIR.iterdir() if p.is_file() and p.suffix != ".md")


@pytest.fixture
def sboms_dir() -> Path:
    """The directory holding the SBOM fixtures."""
    return SBOMS_DIR
