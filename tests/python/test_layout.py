"""The package's import graph, read from the modules' source (ast), not from a running import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "python" / "chainload"
# The layers that may see the whole package: the figures, the HTML report, the command line
# and the package root (which wires the figures into the .plot() methods).
PRESENTATION = ("chainload.plots", "chainload.report", "chainload.cli", "chainload.__main__")
ROOT = "chainload"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
EXTENSIONS = {"chainload._core"}  # compiled: imports nothing of the package


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom | ast.Import) -> set[str]:
    """The package's modules one import statement names (at any depth: a function's deferred
    import counts as much as a top-level one)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in MODULES}
    base_parts = importer.split(".") if _is_package(importer) else importer.split(".")[:-1]
    if node.level:
        base_parts = base_parts[: len(base_parts) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base not in MODULES:
        return set()
    out = set()
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in EXTENSIONS:
            continue
        out.add(sub if sub in MODULES else base)  # `from . import chains` names chainload.chains
    return out


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.Module, deferred: bool) -> list[ast.Import | ast.ImportFrom]:
    """The imports Python can run: never those under ``if TYPE_CHECKING`` (types only); with
    ``deferred=False`` only those run when the module loads (module level, also inside a
    try/if there), not those inside a function or class body."""
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif _is_type_checking(node):  # type: ignore[arg-type]
            todo += node.orelse  # type: ignore[attr-defined]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            if deferred:
                todo += list(ast.iter_child_nodes(node))
        else:
            todo += list(ast.iter_child_nodes(node))
    return out


def import_graph(deferred: bool = True) -> dict[str, set[str]]:
    """Module → the package modules it imports; ``deferred=False`` keeps only the imports run
    at load time (see :func:`_imports`)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nodes = _imports(tree, deferred)
        edges: set[str] = set()
        for node in nodes:
            edges |= _resolve(name, node)
        graph[name] = edges - {name}
    return graph


def _in(name: str, layers: tuple[str, ...]) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a list of modules, or [] (depth-first search, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return []

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return []


GRAPH = import_graph()
LOAD_TIME = import_graph(deferred=False)


def test_the_reader_sees_the_edges_it_must():
    # Known edges of the real package, checked so that a reader that finds nothing cannot pass.
    assert "chainload.analysis" in GRAPH["chainload.plots.balance"]
    assert "chainload.chains" in GRAPH["chainload.analysis"]  # `from . import _core, chains`
    assert "chainload.plots" in GRAPH["chainload"]  # the root's deferred import wires the figures
    assert "chainload.simulation" not in GRAPH["chainload.chains"]  # only under TYPE_CHECKING there
    assert "chainload.plots.body" in GRAPH["chainload.plots.graph"]
    assert "chainload" in GRAPH["chainload.report.comparison"]  # `from .. import __version__`
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_cycle_at_load_time():
    assert "chainload.plots" not in LOAD_TIME["chainload"]  # deferred: matplotlib on first figure only
    assert _cycle(LOAD_TIME) == []


def test_the_import_graph_has_no_cycle_counting_deferred_imports():
    # A function-level import counts too: the one-way package of issue 9 (the athlete reads the
    # parameter names from _core, set blocks live below analysis and chains, e1rm takes a Log
    # without importing it).
    assert _cycle(GRAPH) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != ROOT and not _in(m, PRESENTATION)))
def test_a_domain_module_imports_neither_the_figures_nor_the_report_nor_the_cli(module):
    seen = sorted(m for m in GRAPH[module] if _in(m, PRESENTATION) or m == ROOT)
    assert seen == [], f"{module} imports {seen}"


# --- one source of truth for names and defaults (issue 9 must-have 2) --------------------------
def test_the_default_parameters_are_the_cores_with_the_cited_values():
    from chainload import _core
    from chainload.simulation import DEFAULT_PARAMS

    # The values the core's table cites (adaptation.hpp model_param_fields): Banister tau1 = 42 d,
    # tau2 = 7 d (Vermeire et al. 2022, SCIENCE.md 2.1); k2 = 2 k1 (Chiu & Barnes 2003); the rest
    # engine choices written there.
    cited = {
        "k1": 0.002, "k2": 0.004, "tau1": 42.0, "tau2": 7.0, "k3": 0.0006, "tau3": 4.0,
        "gain": 0.0035, "ceiling": 1.5, "tau_detrain": 120.0,
    }  # fmt: skip
    assert _core.default_params() == cited
    assert tuple(cited) == _core.PARAM_NAMES  # the order of ModelParams
    assert DEFAULT_PARAMS == cited and tuple(DEFAULT_PARAMS) == _core.PARAM_NAMES
    assert DEFAULT_PARAMS["k2"] == 2 * DEFAULT_PARAMS["k1"]


def test_the_size_neural_names_of_the_data_file_are_the_cores():
    import tomllib

    from chainload import _core
    from chainload.athlete import SIZE_NEURAL_FILE, SIZE_NEURAL_NAMES

    with SIZE_NEURAL_FILE.open("rb") as f:
        in_file = tuple(tomllib.load(f)["parameters"])
    assert sorted(in_file) == sorted(_core.SIZE_NEURAL_PARAM_NAMES)
    assert len(in_file) == 25  # size 8, neural 8, fatigue 8, the athlete's size_scale
    assert SIZE_NEURAL_NAMES == in_file


def test_the_model_and_rule_names_come_from_the_core():
    from chainload import _core
    from chainload.program import RULES
    from chainload.simulation import MODELS

    assert MODELS == _core.MODEL_NAMES == ("size_neural", "banister", "busso", "saturating")
    assert RULES == _core.RULE_NAMES == ("none", "linear", "double", "wave", "rpe")


# --- where a change goes (issue 9 "Checks") ------------------------------------------------------
ROOT_DIR = PACKAGE.parents[1]
DESIGN_FILE = (ROOT_DIR / "docs" / "DESIGN").with_suffix(".md")
# The most files docs/DESIGN.md may list for each common change (issue 9).
MOST_FILES = {"a new log format": 3, "a new progression rule": 5, "a new figure": 3}


def design_recipe(change: str) -> list[str]:
    """The files DESIGN.md's "Where a change goes" lists for ``change``: the first backticked path
    of each numbered item."""
    text = DESIGN_FILE.read_text(encoding="utf-8")
    heading = f"### {change[0].upper()}{change[1:]}"
    assert heading in text, heading
    section = text.split(heading, 1)[1].split("\n#", 1)[0]
    items = [line for line in section.splitlines() if line[:1].isdigit() and ". " in line[:4]]
    files = []
    for item in items:
        path = next(iter(re.findall(r"`([^`]+\.(?:py|pyi|toml|hpp|cpp|md|csv))`", item)), None)
        assert path is not None, f"{change}: item without a file: {item!r}"
        files.append(path)
    return files


def _where(path: str) -> Path:
    # Paths are under python/chainload/ unless they start with cpp/, tests/ or benchmarks/ (DESIGN.md).
    top = path.split("/", 1)[0]
    return ROOT_DIR / path if top in ("cpp", "tests", "benchmarks", "docs") else PACKAGE / path


@pytest.mark.parametrize("change", sorted(MOST_FILES))
def test_design_lists_few_existing_files_for_each_common_change(change):
    files = design_recipe(change)
    assert 1 <= len(files) <= MOST_FILES[change], files
    for path in files:
        where = _where(path)
        if "<" in path:  # a new file (logs/<app>.py): its folder exists
            assert where.parent.is_dir(), path
        else:
            assert where.is_file(), path


def test_the_recipe_reader_counts_numbered_items():
    assert design_recipe("a new figure") == [
        "plots/<family>.py",
        "plots/__init__.py",
        "tests/python/test_plots.py",
    ]
    assert design_recipe("a new progression rule")[:2] == [
        "cpp/include/chainload/progression.hpp",
        "tests/cpp/test_progression.cpp",
    ]
