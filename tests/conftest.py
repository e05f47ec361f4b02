"""Shared fixtures: the demo inputs, ../shared (required, never skipped) and a built demo graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared data folder; a missing folder fails the test loudly (no skip)."""
    if not (SHARED / "seeds").is_dir() or not (SHARED / "annotation" / "dev.jsonl").is_file():
        pytest.fail(
            f"../shared is missing or incomplete (looked in {SHARED}); CI must check it out beside the repo"
        )
    return SHARED


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory):
    """The demo papers built once with the default profile: (output folder, summary)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("demo") / "out"
    summary = build([FIXTURES / "demo_papers.jsonl"], out, profile="default")
    return out, summary


@pytest.fixture()
def demo_copy(demo_build, tmp_path: Path) -> Path:
    """A private copy of the demo output folder, for tests that change it."""
    out, _ = demo_build
    target = tmp_path / "out"
    shutil.copytree(out, target)
    return target
