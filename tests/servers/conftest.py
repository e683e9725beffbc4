"""Fixtures for the deployed-server tests: the sandbox and PostgreSQL, each
started once for the session and stopped at its end; the Java example's WARs,
built once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import REPO, Postgres, Sandbox  # noqa: E402


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    s = Sandbox()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    pg = Postgres()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def java_wars() -> None:
    """bindings/java/build/cmpay-notify.war (javax) and cmpay-notify-jakarta.war."""
    subprocess.run([str(REPO / "bindings" / "java" / "build-war.sh")], check=True, stdout=subprocess.DEVNULL)
