"""The muscle graph: muscle groups linked as synergists (kinetic chains) and antagonists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from . import _core, _display
from ._files import DATA_DIR, TomlSource, require, tables

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

CHAINS = ("posterior", "anterior", "lateral")
REGIONS = ("upper", "lower", "core")
LinkKind = Literal["synergist", "antagonist"]


@dataclass(frozen=True)
class Muscle:
    """One muscle group. ``size`` is its share of body muscle volume (used to normalise load)."""

    id: str
    name: str
    chain: str
    region: str
    size: float


class MuscleGraph:
    """Muscle groups as a Boost.Graph held by the C++ core.

    Vertices carry chain (posterior, anterior, lateral), region (upper, lower, core) and relative
    size; edges are *synergist* links (weighted, one kinetic chain each) or *antagonist* pairs
    pooled into named balance ratios such as ``hamstrings:quadriceps``.
    """

    def __init__(self) -> None:
        self._core = _core.MuscleGraph()
        self._shares: dict[str, float] = {}  # explicit posterior shares (wrapping muscles), see chains.py
        # Copy-on-write: a graph from load()/default() shares the cached parsed graph until its
        # first change, so the default costs nothing per call and a user's change stays theirs.
        self._shared = False
        self._ids: tuple[str, ...] | None = None

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def default(cls) -> MuscleGraph:
        """The shipped graph of 22 muscle groups (``chainload/data/muscle_graph.toml``)."""
        return cls.load(DATA_DIR / "muscle_graph.toml")

    @classmethod
    def load(cls, path: str | Path) -> MuscleGraph:
        """Read a graph from TOML: ``[[muscle]]``, ``[[synergist]]`` and ``[[antagonist]]`` tables."""
        if not Path(path).is_file():
            return cls.from_toml_source(TomlSource(path))  # raises FileFormatError naming the file
        return _load_cached(str(Path(path).resolve()), Path(path).stat().st_mtime_ns)._view()

    def _view(self) -> MuscleGraph:
        """A copy-on-write view of this (cached, never changed) graph."""
        view = MuscleGraph.__new__(MuscleGraph)
        view._core, view._shares, view._ids, view._shared = self._core, self._shares, self._ids, True
        return view

    def _own(self) -> None:
        """Before a change: take a private copy if shared, and forget the cached ids."""
        if self._shared:
            private = self.copy()
            self._core, self._shares, self._shared = private._core, private._shares, False
        self._ids = None

    @classmethod
    def from_toml_source(cls, src: TomlSource) -> MuscleGraph:
        graph = cls()
        for i, entry in enumerate(tables(src.data, "muscle", str(src.path))):
            where = src.where("muscle", i, entry)
            graph.add_muscle(
                require(entry, "id", str, where),
                name=require(entry, "name", str, where) if "name" in entry else None,
                chain=require(entry, "chain", str, where),
                region=require(entry, "region", str, where),
                size=float(require(entry, "size", (int, float), where)),
                posterior_share=(
                    float(require(entry, "posterior_share", (int, float), where))
                    if "posterior_share" in entry
                    else None
                ),
                _where=where,
            )
        for kind in ("synergist", "antagonist"):
            for i, entry in enumerate(tables(src.data, kind, str(src.path))):
                where = f"{src.path}: [[{kind}]] #{i + 1}"
                a, b = require(entry, "a", str, where), require(entry, "b", str, where)
                if kind == "synergist":
                    weight = float(require(entry, "weight", (int, float), where))
                    graph._link(a, b, kind, weight, str(entry.get("chain", "")), where)
                else:
                    graph._link(a, b, kind, 1.0, str(entry.get("group", f"{a}:{b}")), where)
        if len(graph) == 0:
            from .errors import ValidationError

            raise ValidationError(f"{src.path}: no [[muscle]] tables")
        return graph

    def copy(self) -> MuscleGraph:
        """An independent copy (graphs from :meth:`load` are copy-on-write views already)."""
        new = MuscleGraph()
        for m in self.muscles():
            new.add_muscle(m.id, name=m.name, chain=m.chain, region=m.region, size=m.size)
        new._shares = dict(self._shares)
        for a, b, kind, weight, group in self._core.links():
            new._core.add_link(self._id(a), self._id(b), kind, weight, group)
        return new

    # Pickled as its muscles and links (the C++ graph itself does not pickle): Dask workers and
    # child processes get the very graph of the caller.
    def __getstate__(self) -> dict[str, object]:
        links = [
            (self._id(a), self._id(b), kind, weight, group)
            for a, b, kind, weight, group in self._core.links()
        ]
        return {"muscles": self.muscles(), "links": links, "shares": dict(self._shares)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._core = _core.MuscleGraph()
        self._shares = dict(state["shares"])
        self._shared, self._ids = False, None
        for m in state["muscles"]:
            self.add_muscle(m.id, name=m.name, chain=m.chain, region=m.region, size=m.size)
        for a, b, kind, weight, group in state["links"]:
            self._core.add_link(a, b, kind, weight, group)

    def add_muscle(
        self,
        id: str,
        *,
        name: str | None = None,
        chain: str,
        region: str,
        size: float,
        posterior_share: float | None = None,
        _where: str = "",
    ) -> None:
        """Add a muscle group (``chain`` in posterior/anterior/lateral, ``region`` in upper/lower/core).

        ``posterior_share`` in [0, 1] splits a group that wraps around the body (a ``lateral`` one)
        between the chains; posterior muscles default to 1 and anterior ones to 0 (chains.py)."""
        if posterior_share is not None and not (0.0 <= posterior_share <= 1.0):
            from .errors import ValidationError

            where = f"{_where}: " if _where else ""
            raise ValidationError(
                f"{where}posterior_share of {id!r} must be in [0, 1], got {posterior_share}"
            )
        self._own()
        try:
            self._core.add_muscle(id, name or id, chain, region, size)
        except Exception as e:
            raise type(e)(f"{_where}: {e}" if _where else str(e)) from None
        if posterior_share is not None:
            self._shares[id] = float(posterior_share)

    def posterior_shares(self) -> dict[str, float]:
        """The explicit posterior shares given to muscles (``posterior_share`` in the TOML)."""
        return dict(self._shares)

    def add_synergist(self, a: str, b: str, weight: float = 1.0, chain: str = "") -> None:
        """Link two muscles of one kinetic chain; ``weight`` in (0, 1] is the coupling strength."""
        self._link(a, b, "synergist", weight, chain, "")

    def add_antagonist(self, a: str, b: str, group: str | None = None) -> None:
        """Pair two antagonists; edges of one ``group`` pool into one ratio (a-side load / b-side load)."""
        self._link(a, b, "antagonist", 1.0, group or f"{a}:{b}", "")

    def _link(self, a: str, b: str, kind: str, weight: float, group: str, where: str) -> None:
        self._own()
        try:
            self._core.add_link(a, b, kind, weight, group)
        except Exception as e:
            raise type(e)(f"{where}: {e}" if where else str(e)) from None

    # --- queries ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._core)

    def __contains__(self, muscle_id: object) -> bool:
        return isinstance(muscle_id, str) and muscle_id in self._id_tuple()

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    @property
    def ids(self) -> list[str]:
        """Muscle ids in graph order (the column order of every dose matrix)."""
        return list(self._id_tuple())

    def _id_tuple(self) -> tuple[str, ...]:
        if self._ids is None:
            self._ids = tuple(self._core.ids())
        return self._ids

    def index(self, muscle_id: str) -> int:
        """Position of a muscle in :attr:`ids`; raises UnknownNameError with suggestions."""
        return int(self._core.index(muscle_id))

    def _id(self, index: int) -> str:
        return str(self._core.muscle(index)["id"])

    def _muscle_at(self, index: int) -> Muscle:
        d = self._core.muscle(index)
        return Muscle(str(d["id"]), str(d["name"]), str(d["chain"]), str(d["region"]), float(d["size"]))

    def muscle(self, muscle_id: str) -> Muscle:
        return self._muscle_at(self.index(muscle_id))

    def muscles(self) -> list[Muscle]:
        return [self._muscle_at(i) for i in range(len(self))]

    def to_frame(self) -> pd.DataFrame:
        """One row per muscle: name, chain, region, size."""
        return pd.DataFrame([m.__dict__ for m in self.muscles()]).set_index("id")

    def chain(self, name: str) -> list[str]:
        """Muscle ids of a chain: ``'posterior'``, ``'anterior'`` or ``'lateral'``."""
        return [self._id(i) for i in self._core.in_chain(name)]

    def region(self, name: str) -> list[str]:
        """Muscle ids of a region: ``'upper'``, ``'lower'`` or ``'core'``."""
        return [self._id(i) for i in self._core.in_region(name)]

    def neighbours(self, muscle_id: str, kind: LinkKind = "synergist") -> list[str]:
        """Muscles linked to ``muscle_id`` by edges of one kind."""
        return [self._id(i) for i in self._core.neighbours(self.index(muscle_id), kind)]

    def synergists(self, muscle_id: str) -> list[str]:
        return self.neighbours(muscle_id, "synergist")

    def antagonists(self, muscle_id: str) -> list[str]:
        return self.neighbours(muscle_id, "antagonist")

    def antagonist_pairs(self) -> list[tuple[str, str, str]]:
        """(a, b, group) for every antagonist edge."""
        return [(a, b, w) for a, b, w in self._edges("antagonist")]

    def antagonist_groups(self) -> dict[str, tuple[list[str], list[str]]]:
        """Balance ratio name -> (a-side muscles, b-side muscles)."""
        return {
            name: ([self._id(i) for i in a], [self._id(i) for i in b])
            for name, a, b in self._core.antagonist_groups()
        }

    def synergist_path(self, a: str, b: str) -> list[str]:
        """The kinetic chain between two muscles: the shortest path through synergist links,
        each link costing 1/weight. Empty when no synergist path exists."""
        return [self._id(i) for i in self._core.synergist_path(self.index(a), self.index(b))]

    def components(self) -> list[list[str]]:
        """Connected components of the synergist subgraph, largest first."""
        groups: dict[int, list[str]] = {}
        for muscle_id, c in zip(self.ids, self._core.synergist_components(), strict=True):
            groups.setdefault(int(c), []).append(muscle_id)
        return sorted(groups.values(), key=len, reverse=True)

    def _edges(self, kind: str) -> Iterator[tuple[str, str, str]]:
        for a, b, k, _w, group in self._core.links():
            if k == kind:
                yield self._id(a), self._id(b), group

    def links(self) -> pd.DataFrame:
        """Every edge: a, b, kind, weight, group (kinetic chain or balance ratio)."""
        rows = [
            {"a": self._id(a), "b": self._id(b), "kind": k, "weight": w, "group": g}
            for a, b, k, w, g in self._core.links()
        ]
        return pd.DataFrame(rows, columns=["a", "b", "kind", "weight", "group"])

    def to_networkx(self) -> nx.Graph:
        """A networkx.Graph with the muscles' attributes on nodes and kind/weight/group on edges."""
        import networkx as nx

        g = nx.Graph()
        for m in self.muscles():
            g.add_node(m.id, name=m.name, chain=m.chain, region=m.region, size=m.size)
        for row in self.links().itertuples(index=False):
            g.add_edge(row.a, row.b, kind=row.kind, weight=row.weight, group=row.group)
        return g

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """``"graph"`` (default): laid out front (anterior) | lateral | back (posterior). Returns
        the Figure (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    def __repr__(self) -> str:
        counts = {c: len(self.chain(c)) for c in CHAINS}
        return f"MuscleGraph({len(self)} muscles: {counts}, {len(self.links())} links)"


@cache
def _load_cached(path: str, _mtime: int) -> MuscleGraph:
    graph = MuscleGraph.from_toml_source(TomlSource(path))
    graph._id_tuple()  # filled once, shared by every view
    return graph


__all__ = ["CHAINS", "REGIONS", "Muscle", "MuscleGraph"]
