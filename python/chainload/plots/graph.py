"""The muscle graph laid out front | lateral | back, synergists solid, antagonists dashed."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..graph import CHAINS, MuscleGraph
from ._registry import register
from ._style import CHAIN_COLORS, PALETTE, _axes
from .body import body_shapes

# -------------------------------------------------------------------------------- muscle graph

GRAPH_COLUMNS: dict[str, float] = {"anterior": -1.0, "lateral": 0.0, "posterior": 1.0}
GRAPH_ROWS: tuple[str, ...] = ("upper", "core", "lower")


def _body_heights() -> dict[str, float]:
    """Mean height (figure units, 0 = soles) of each muscle's shape on the body map."""
    out: dict[str, float] = {}
    for shape in body_shapes()[1]:
        if shape.name not in out:
            ys = [p[1] for p in shape.points] or ([shape.ellipse[1]] if shape.ellipse else [])
            if ys:
                out[shape.name] = float(np.mean(ys))
    return out


ANTAGONIST_BEND = 0.07
# Approximate inches per layout unit in the default muscle_graph figure (x, y): distances between
# nodes and links are judged on the page, not in layout units.
_PAGE_SCALE = np.array([1.6, 0.55])


def _edge_path(p: tuple[float, float], q: tuple[float, float], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The drawn path of a link: straight for synergists, a bow for antagonists."""
    if kind == "antagonist":
        left, right = sorted((p, q))
        return _bezier(left, right, ANTAGONIST_BEND)
    t = np.linspace(0.0, 1.0, 25)
    return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])


def _clearance(
    pos: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str]],
    labels: Mapping[str, str] | None = None,
) -> float:
    """Smallest page distance between a node and a link that does not end at it. Nodes named
    in ``labels`` also count the points of their label (drawn to the right of the node)."""
    names = list(pos)
    points = [pos[n] for n in names]
    for n, text in (labels or {}).items():
        for pt in _label_points(*pos[n], text, "right"):
            names.append(n)
            points.append(pt)
    nodes = np.array(points) * _PAGE_SCALE
    best = math.inf
    for a, b, kind in links:
        xs, ys = _edge_path(pos[a], pos[b], kind)
        path = np.column_stack([xs, ys]) * _PAGE_SCALE
        d = np.sqrt(((nodes[:, None, :] - path[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        for n, dist in zip(names, d, strict=True):
            if n not in (a, b):
                best = min(best, float(dist))
    return best


def _label_points(x: float, y: float, text: str, side: str) -> list[tuple[float, float]]:
    """Sample points (layout units) covering a node's label drawn right of it or below it."""
    lines = text.split("\n")
    width = 0.034 * max(len(line) for line in lines)
    if side == "below":
        ys = [y - 0.22 - 0.2 * i for i in range(len(lines))]
        return [(x + dx, yy) for yy in ys for dx in np.linspace(-width / 2, width / 2, 5)]
    ys = list(np.linspace(-0.1, 0.1, len(lines))) if len(lines) > 1 else [0.0]
    return [(x + dx, y + float(dy)) for dy in ys for dx in np.linspace(0.12, 0.12 + width, 5)]


def _label_side(
    node: str,
    text: str,
    pos: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str]],
) -> str:
    """``"right"`` or ``"below"``: where a middle-column label stays furthest from every link."""
    paths = [np.column_stack(_edge_path(pos[a], pos[b], k)) * _PAGE_SCALE for a, b, k in links]
    best, side = -1.0, "right"
    for candidate in ("right", "below"):
        pts = np.array(_label_points(*pos[node], text, candidate)) * _PAGE_SCALE
        d = min(float(np.sqrt(((pts[:, None, :] - p[None]) ** 2).sum(axis=2)).min()) for p in paths)
        if d > best + 0.02:
            best, side = d, candidate
    return side


def graph_layout(graph: MuscleGraph) -> dict[str, tuple[float, float]]:
    """Node positions of :func:`muscle_graph`.

    x by chain: anterior muscles left (x ≈ -1), lateral in the middle (x ≈ 0), posterior right
    (x ≈ 1). y by region: upper on top, core below it, lower at the bottom (one unit per row).
    Within a (chain, region) cell muscles run top-down in anatomical order (their height on the
    body map; muscles without a shape follow in graph order), nudged alternately sideways so
    that a link between non-neighbours does not run through a node. The lateral muscles of each
    region are shifted as a block (a fraction of a row down, a little sideways) to the place
    that keeps them furthest from the links crossing the middle.
    """
    frame = graph.to_frame()
    height = _body_heights()
    order = {m: i for i, m in enumerate(graph.ids)}

    def anatomical(m: str) -> tuple[int, float, int]:
        h = height.get(m)
        return (0, -h, order[m]) if h is not None else (1, 0.0, order[m])

    cells: dict[str, dict[str, list[str]]] = {}
    for m, row in frame.iterrows():
        cells.setdefault(str(row["region"]), {}).setdefault(str(row["chain"]), []).append(str(m))
    regions = [r for r in GRAPH_ROWS if r in cells] + sorted(r for r in cells if r not in GRAPH_ROWS)
    pos: dict[str, tuple[float, float]] = {}
    middle: list[tuple[list[str], list[tuple[float, float]], bool]] = []  # lateral blocks to place
    top = 0.0
    for region in regions:
        columns = {c: sorted(ms, key=anatomical) for c, ms in cells[region].items()}
        rows = max((len(ms) for c, ms in columns.items() if c in ("anterior", "posterior")), default=0)
        bottom = 0.0
        for chain, members in columns.items():
            n = len(members)
            start = (max(rows, 1) - 1) / 2 - (n - 1) / 2
            x0 = GRAPH_COLUMNS.get(chain, 0.0)
            outward = 1.0 if x0 > 0 else -1.0
            block = []
            for k, m in enumerate(members):
                nudge = 0.16 * outward * (1 if k % 2 else -1) if n >= 3 and x0 != 0 else 0.0
                pos[m] = (x0 + nudge, -(top + start + k))
                block.append(pos[m])
            if x0 == 0:
                middle.append((members, block, rows > 0))
            bottom = max(bottom, start + n - 1 + (0.75 if x0 == 0 and rows > 0 else 0.0))
        top += bottom + 1.2
    links = [(str(r.a), str(r.b), str(r.kind)) for r in graph.links().itertuples(index=False)]
    names = {str(m): str(row["name"]) for m, row in frame.iterrows()}
    for members, block, shift in middle:
        best: tuple[float, float, float] | None = None
        for dy in (0.5, 0.25, 0.75) if shift else (0.0,):
            for dx in (0.0, -0.22, 0.22):
                for m, (x, y) in zip(members, block, strict=True):
                    pos[m] = (x + dx, y - dy)
                score = _clearance(pos, links, {m: _wrap(names[m]) for m in members})
                if best is None or score > best[0] + 1e-9:
                    best = (score, dx, dy)
        assert best is not None
        for m, (x, y) in zip(members, block, strict=True):
            pos[m] = (x + best[1], y - best[2])
    return pos


def _wrap(name: str, width: int = 18) -> str:
    """Break a long display name in two at its middle-most space."""
    if len(name) <= width or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "\n" + name[cut + 1 :]


def _bezier(p: tuple[float, float], q: tuple[float, float], bend: float) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic Bézier from p to q bowed sideways by ``bend`` × the chord length."""
    (x0, y0), (x1, y1) = p, q
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx - dy * bend, my + dx * bend
    t = np.linspace(0, 1, 40)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return xs, ys


def muscle_graph(graph: MuscleGraph | None = None, *, ax: Axes | None = None) -> Figure:
    """The muscle graph laid out front/back: anterior muscles left, posterior right, lateral in
    the middle, upper body on top. Synergist links are solid (width by weight), antagonist pairs
    dashed and curved; nodes are coloured by chain and sized by muscle size.

    Each edge is one Line2D with the gid ``"edge:<kind>:<a>:<b>"``.
    """
    g = graph if graph is not None else MuscleGraph.default()
    nxg = g.to_networkx()
    pos = graph_layout(g)
    links = [(str(r.a), str(r.b), str(r.kind)) for r in g.links().itertuples(index=False)]
    fig, ax = _axes(ax, 7.6, 7.4)
    for a, b, attrs in nxg.edges(data=True):
        kind = str(attrs.get("kind", "synergist"))
        w = float(attrs.get("weight", 1.0))
        if kind == "antagonist":
            xs, ys = _edge_path(pos[a], pos[b], kind)
            ax.plot(
                xs,
                ys,
                color=PALETTE.antagonist,
                ls=(0, (4, 2.5)),
                lw=1.3,
                zorder=1,
                gid=f"edge:{kind}:{a}:{b}",
            )
        else:
            (x0, y0), (x1, y1) = pos[a], pos[b]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=PALETTE.synergist,
                lw=0.5 + 2.5 * w,
                alpha=0.55 + 0.35 * w,
                solid_capstyle="round",
                zorder=2,
                gid=f"edge:{kind}:{a}:{b}",
            )
    sizes = {str(n): float(d.get("size", 0.02)) for n, d in nxg.nodes(data=True)}
    smax = max(sizes.values()) if sizes else 1.0
    area = {n: 50 + 300 * v / smax for n, v in sizes.items()}  # marker area, points²
    for chain in CHAINS:
        nodes = [str(n) for n, d in nxg.nodes(data=True) if d.get("chain") == chain]
        if not nodes:
            continue
        ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[area[n] for n in nodes],
            color=CHAIN_COLORS[chain],
            edgecolors="white",
            linewidths=1.2,
            zorder=3,
            gid=f"nodes:{chain}",
        )
    for n, d in nxg.nodes(data=True):
        x, y = pos[str(n)]
        chain = d.get("chain")
        text = _wrap(str(d.get("name", n)))
        gap = math.sqrt(area[str(n)] / math.pi) + 3
        side = {"anterior": "left", "posterior": "right"}.get(str(chain)) or _label_side(
            str(n), text, pos, links
        )
        offset = {"left": (-gap, 0.0), "right": (gap, 0.0), "below": (0.0, -gap)}[side]
        ax.annotate(
            text,
            (x, y),
            xytext=offset,
            textcoords="offset points",
            ha={"left": "right", "right": "left", "below": "center"}[side],
            va="top" if side == "below" else "center",
            fontsize=7.5,
            linespacing=1.0,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    node_ys = [p[1] for p in pos.values()] or [0.0]
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(min(node_ys) - 0.9, max(node_ys) + 1.1)
    headers = {"anterior": "anterior (front)", "lateral": "lateral", "posterior": "posterior (back)"}
    for chain, x in GRAPH_COLUMNS.items():
        ax.text(
            x,
            max(node_ys) + 0.8,
            headers[chain],
            ha="center",
            va="bottom",
            fontsize=10,
            color=CHAIN_COLORS[chain],
            weight="bold",
        )
    for region in GRAPH_ROWS:
        members = [pos[m] for m in g.region(region) if m in pos]
        if members:
            ymid = float(np.mean([p[1] for p in members]))
            ax.text(
                -2.25,
                ymid,
                region,
                rotation=90,
                ha="left",
                va="center",
                fontsize=9,
                color="#808080",
                style="italic",
            )
    ax.set_axis_off()
    handles = [
        Line2D([], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 1.0, label="synergist, weight 1"),
        Line2D(
            [], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 0.5, alpha=0.72, label="synergist, weight 0.5"
        ),
        Line2D(
            [], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 0.25, alpha=0.64, label="synergist, weight 0.25"
        ),
        Line2D([], [], color=PALETTE.antagonist, ls=(0, (4, 2.5)), lw=1.3, label="antagonist pair"),
    ]
    ax.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncols=2, frameon=False, fontsize=8
    )
    ax.set_title("Muscle graph: synergists and antagonists")
    return fig


@register(MuscleGraph, "graph", default=True)
def _graph(graph: MuscleGraph, ax: Axes | None) -> Figure:
    return muscle_graph(graph, ax=ax)
