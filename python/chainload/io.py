"""Deprecated location of the workout-log reader: use :mod:`chainload.logs` (``cl.read_log``,
``cl.e1rm``). Kept so that ``import chainload.io`` goes on working; it is not exported in
``chainload.__all__`` (where it would shadow the standard library's ``io``)."""

from __future__ import annotations

from .logs import *  # noqa: F403
from .logs import __all__ as __all__
from .logs.matching import _alias_table, _key  # noqa: F401  (used by older tests)
