"""Shared fixtures: the shipped graph and catalogue, and small program builders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import chainload as cl
from chainload.program import Prescription, Program, Session

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(cl.__file__).parent / "data"


@pytest.fixture(scope="session")
def graph() -> cl.MuscleGraph:
    return cl.MuscleGraph.default()


@pytest.fixture(scope="session")
def catalogue() -> cl.Catalogue:
    return cl.Catalogue.default()


@pytest.fixture(scope="session")
def graph_toml() -> dict:
    """muscle_graph.toml read independently of chainload (plain tomllib)."""
    return tomllib.loads((DATA / "muscle_graph.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def exercises_toml() -> dict[str, dict]:
    """exercises.toml read independently of chainload: exercise id -> its table."""
    data = tomllib.loads((DATA / "exercises.toml").read_text(encoding="utf-8"))
    return {e["id"]: e for e in data["exercise"]}


def one_week(*prescriptions: Prescription, day: int = 0, weeks: int = 1, **kwargs) -> Program:
    """A program of one session (on ``day``) holding ``prescriptions``, repeated ``weeks`` times."""
    return Program.repeat("test", [Session(day, prescriptions)], weeks, **kwargs)
