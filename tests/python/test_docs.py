"""The science and the design in the repository: every citation of docs/SCIENCE.md or docs/DESIGN.md
in the code, the data files, the tests, the notebooks and the docs names a section that exists, and
the study it names (author and year, and the numbers it quotes in brackets) is in that section.
Also the release files (LICENSE, CHANGELOG.md, CITATION.cff) agree with pyproject.toml."""

from __future__ import annotations

import bisect
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SCANNED = [
    *sorted((ROOT / "python").rglob("*.py")),
    *sorted((ROOT / "python").rglob("*.pyi")),
    *sorted((ROOT / "python").rglob("*.toml")),
    *sorted((ROOT / "cpp").rglob("*.[ch]pp")),
    *sorted((ROOT / "tests").rglob("*.py")),
    *sorted((ROOT / "tests").rglob("*.[ch]pp")),
    *sorted((ROOT / "benchmarks").rglob("*.py")),
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    *sorted(DOCS.glob("*.md")),
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
]
# This file's own examples of bad citations are strings, not citations.
SCANNED = [p for p in SCANNED if p.exists() and p.resolve() != Path(__file__).resolve()]

# The published findings of /work/shared/VALIDATION.md, by id; SCIENCE.md 8 lists their sources.
VALIDATION_IDS = (
    "VOL-1 VOL-3 VOL-4 VOL-5 VOL-6 LOAD-2 LOAD-3 PROX-1 SPEC-1 FREQ-3 FREQ-4 FAT-4 FAT-2 DET-3 DET-1 "
    "DET-2 IND-1 STAT-2 STAT-3 MEAS-1 FFM-4 FFM-5 RATIO-2 RATIO-4"
).split()


# ----------------------------------------------------------------------------------- the docs parsed
@dataclass(frozen=True)
class Doc:
    sections: dict[str, str]  # section key ("3.1", "1", or a lower-cased heading title) -> its text


def _sections(path: Path, numbered: bool) -> Doc:
    """Each heading's text up to the next heading of the same or a higher level (so "1" holds 1.1 ...)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    heads: list[tuple[int, int, str]] = []  # (line, level, key)
    in_code = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_code = not in_code
        m = re.match(r"(#{1,6})\s+(.*)", line)
        if in_code or not m:
            continue
        title = m.group(2).strip()
        if numbered:
            n = re.match(r"(\d+(?:\.\d+)*)\.?\s", title + " ")
            key = n.group(1) if n else title.lower()
        else:
            key = re.sub(r"^\d+(\.\d+)*\.?\s+", "", title).lower()
        heads.append((i, len(m.group(1)), key))
    out: dict[str, str] = {}
    for j, (i, level, key) in enumerate(heads):
        end = next((k for k, lv, _ in heads[j + 1 :] if lv <= level), len(lines))
        out[key] = "\n".join(lines[i:end])
    return Doc(out)


@pytest.fixture(scope="module")
def science() -> Doc:
    return _sections(DOCS / "SCIENCE.md", numbered=True)


@pytest.fixture(scope="module")
def design() -> Doc:
    return _sections(DOCS / "DESIGN.md", numbered=False)


# ------------------------------------------------------------------------------ citations parsed
_NUM = r"\d+(?:\.\d+)*"
SCIENCE_CITE = re.compile(
    rf"SCIENCE\.md\s*(?:sections?\s+|§\s*)?(\(\s*)?(?P<secs>{_NUM}(?:\s*(?:/|,|and|&)\s*{_NUM})*)",
    re.IGNORECASE,
)
DESIGN_CITE = re.compile(r"DESIGN\.md\s*\\?[\"“](?P<title>[^\"\\”]+)", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


_WRAP = re.compile(r"[ \t]*\n[ \t]*(?:#|//+|\*)?[ \t]*")


def _join_comment_lines(text: str) -> tuple[str, list[int]]:
    """A citation may wrap: "SCIENCE.md\\n# 3.2" is "SCIENCE.md 3.2". Returns the joined text and
    where each original line starts in it (for the line numbers of the messages)."""
    parts, starts, last = [], [0], 0
    length = 0
    for m in _WRAP.finditer(text):
        parts.append(text[last : m.start()] + " ")
        length += m.start() - last + 1
        starts.append(length)
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), starts


def _segment(text: str) -> str:
    """The words that belong to a citation: up to the next citation, the end of its sentence, of
    its string or of the bracket it sits in."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return text[:i]
            depth -= 1
        elif ch in '"\n' or text.startswith("SCIENCE.md", i) or text.startswith("DESIGN.md", i):
            return text[:i]
        elif ch == "." and re.match(r"\.\s+[a-z_]", text[i : i + 3]):
            return text[:i]
    return text


def _units(section: str) -> list[str]:
    """A section's table rows, one each, and its paragraphs, one each."""
    units: list[str] = []
    para: list[str] = []
    for line in section.splitlines():
        if line.startswith("|") or not line.strip():
            if para:
                units.append(" ".join(para))
                para = []
            if line.startswith("|"):
                units.append(line)
        else:
            para.append(line)
    if para:
        units.append(" ".join(para))
    return units


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def _number_in(n: str, text: str) -> bool:
    """n is findable to the precision it is written with: 78 stands for 77.5 … 78.99 (rounded or cut)."""
    unit = 10.0 ** -(len(n.split(".")[1]) if "." in n else 0)
    x = float(n)
    return any(-0.5 * unit - 1e-9 <= float(v) - x < unit - 1e-9 for v in _numbers(text))


def _studies(segment: str) -> list[tuple[list[str], str, str]]:
    """(name words, year, the bracket right after the year) for each "Name YEAR" in a segment."""
    out = []
    last = 0
    for m in YEAR.finditer(segment):
        chunk = re.split(r"[;:(),]", segment[last : m.start()])[-1]
        words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", chunk) if w[0].isupper() and len(w) >= 3]
        bracket = re.match(r"\s*\(([^()]*)\)", segment[m.end() :])
        if words:
            out.append((words, m.group(0), bracket.group(1) if bracket else ""))
        last = m.end()
    return out


def science_problems(text: str, where: str, science: Doc) -> list[str]:
    """Every SCIENCE.md citation in text that names a missing section, or a study (or a number in
    brackets) that its sections do not hold."""
    problems = []
    text, starts = _join_comment_lines(text)
    for m in SCIENCE_CITE.finditer(text):
        at = f"{where}:{bisect.bisect_right(starts, m.start())}"
        secs = re.findall(_NUM, m.group("secs"))
        missing = [s for s in secs if s not in science.sections]
        if missing:
            problems.append(
                f"{at}: {m.group(0)!r} cites SCIENCE.md {', '.join(missing)}, which does not exist"
            )
            continue
        units = [u for s in secs for u in _units(science.sections[s])]
        rest = text[m.end() :]
        if m.group(1):  # "SCIENCE.md (6.2, 7; ...)": the rest of the bracket belongs to it
            rest = "(" + rest
        segment = _segment(rest)
        if m.group(1) is None:
            bracket = re.match(r"\s*\(([^()]*)\)", segment)
            if bracket:  # "SCIENCE.md 1.7 (seated DB press AD 79, low)"
                for n in _numbers(bracket.group(1)):
                    if not any(_number_in(n, u) for u in units):
                        problems.append(
                            f"{at}: {n} of {bracket.group(0).strip()!r} not in SCIENCE.md {'/'.join(secs)}"
                        )
        for words, year, bracket_text in _studies(segment):
            holding = [u for u in units if year in u and all(w in u for w in words)]
            study = " ".join(words) + " " + year
            if not holding:
                problems.append(f"{at}: {study} is not in SCIENCE.md {'/'.join(secs)}")
                continue
            for n in _numbers(bracket_text):
                if not any(_number_in(n, u) for u in holding):
                    problems.append(
                        f"{at}: {n} quoted with {study} is not in its row of SCIENCE.md {'/'.join(secs)}"
                    )
    return problems


def design_problems(text: str, where: str, design: Doc) -> list[str]:
    return [
        f"{where}: DESIGN.md {m.group('title')!r} is not a section of docs/DESIGN.md"
        for m in DESIGN_CITE.finditer(_join_comment_lines(text)[0])
        if m.group("title").strip().lower() not in design.sections
    ]


# --------------------------------------------------------------------- the checker can fail
def test_the_checker_finds_missing_sections_studies_and_numbers(science, design):
    # Citations written as the code writes them, each wrong in one way.
    assert science_problems("see SCIENCE.md 9.9", "x", science) == [
        "x:1: 'SCIENCE.md 9.9' cites SCIENCE.md 9.9, which does not exist"
    ]
    assert len(science_problems("(SCIENCE.md 2.1 and 77)", "x", science)) == 1
    assert len(science_problems("SCIENCE.md section 12 caveats", "x", science)) == 1
    assert science_problems('source = "SCIENCE.md 1.1: Nobody 1999"', "x", science) == [
        "x:1: Nobody 1999 is not in SCIENCE.md 1.1"
    ]
    # Lee 2018 is in 1.1 with RF 58.6, not 99.9; Youdas 2010 is in 1.4, not 1.1.
    assert science_problems('"SCIENCE.md 1.1: Lee 2018 (RF 58.6 vs 99.9)"', "x", science) == [
        "x:1: 99.9 quoted with Lee 2018 is not in its row of SCIENCE.md 1.1"
    ]
    assert len(science_problems('"SCIENCE.md 1.1: Youdas 2010"', "x", science)) == 1
    assert len(science_problems('"SCIENCE.md 1.7 (seated DB press AD 97, low)"', "x", science)) == 1
    assert design_problems('// see DESIGN.md "Nowhere")', "x", design) == [
        "x: DESIGN.md 'Nowhere' is not a section of docs/DESIGN.md"
    ]
    # ... and accepts them when right, wrapped over comment lines too.
    assert (
        science_problems('"SCIENCE.md 1.1/1.6: McAllister 2014. body share engine choice"', "x", science)
        == []
    )
    assert science_problems("# Fractions (SCIENCE.md\n# 3.2, Pelland 2024, supports 0.5)", "x", science) == []
    assert (
        science_problems('"SCIENCE.md 1.1: Lorraine 2025 (BF 78, ES 77, VL 55, GMed 75)"', "x", science) == []
    )
    assert design_problems('// DESIGN.md "Dose");', "x", design) == []


def test_numbers_are_matched_at_the_precision_they_are_written():
    assert _number_in("78", "BF 78.0 / 71.3") and _number_in("75", "GMed 74.6")
    assert _number_in("55", "VL 55.5") and not _number_in("56", "VL 55.4")
    assert _number_in("0.152", "15.2 ± 1 %, 0.152") and not _number_in("0.15", "15.2")


# ------------------------------------------------------------------ the repository's citations
def test_every_science_citation_names_an_existing_section_and_its_study(science):
    problems = []
    n_cites = 0
    for path in SCANNED:
        text = path.read_text(encoding="utf-8")
        n_cites += len(SCIENCE_CITE.findall(_join_comment_lines(text)[0]))
        problems += science_problems(text, str(path.relative_to(ROOT)), science)
    assert problems == []
    # The issue counted 113 mentions of SCIENCE.md in the data files and code; most name a section.
    assert n_cites >= 90


def test_every_design_citation_names_an_existing_section(design):
    problems = []
    for path in SCANNED:
        problems += design_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), design)
    assert problems == []
    for cited in ("dose", "adaptation"):  # cited from cpp/include/chainload/*.hpp
        assert cited in design.sections


def test_science_keeps_the_numbering_the_code_cites(science):
    # The numbering of the shared SCIENCE.md, which the data files cite.
    expected = {"1", "2", "3", "4", "5", "6", "7", "8"}
    expected |= {f"1.{i}" for i in range(1, 8)} | {"2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "4.3"}
    expected |= {"5.1", "5.2", "6.1", "6.2"}
    assert expected <= set(science.sections)


def test_design_answers_where_each_common_change_goes(design):
    for change in ("exercise", "program", "log format", "progression rule", "figure", "model parameter"):
        assert f"a new {change}" in design.sections, change
        # Each names at least one file of the repository that exists.
        named = re.findall(r"`([\w/.<>-]+\.(?:py|pyi|toml|hpp|cpp|md))`", design.sections[f"a new {change}"])
        existing = [
            n
            for n in named
            if "<" not in n
            and any((base / n).exists() for base in (ROOT, ROOT / "python" / "chainload", ROOT / "python"))
        ]
        assert existing, change


def test_design_names_only_files_and_names_that_exist(design):
    # The recipes and the data flow name files and code; a rename that leaves them stale fails here.
    code = "".join(
        p.read_text(encoding="utf-8") for p in SCANNED if p.suffix in (".py", ".pyi", ".cpp", ".hpp")
    )
    stale = []
    for section in ("where a change goes", "data flow"):
        prose = re.sub(r"```.*?```", "", design.sections[section], flags=re.DOTALL)
        for token in re.findall(r"`([^`]+)`", prose):
            if re.search(r"\.(?:py|pyi|toml|hpp|cpp|md)$", token) and "<" not in token:
                if not any((base / token).exists() for base in (ROOT, ROOT / "python" / "chainload")):
                    stale.append(token)
            elif re.fullmatch(r"[A-Za-z_][\w.]*(?:\(\))?", token):
                name = token.removesuffix("()").split(".")[-1]
                if not re.search(rf"\b{re.escape(name)}\b", code):
                    stale.append(token)
    assert stale == []


def test_design_states_the_defaults_the_code_uses(design):
    # The defaults as DESIGN.md states them, read back against the package: a changed default
    # must change the design note with it.
    import chainload as cl
    from chainload import _core

    p = cl.DEFAULT_PARAMS
    adaptation = design.sections["adaptation"]
    assert f"τ1 = {p['tau1']:g} d, τ2 = {p['tau2']:g} d" in adaptation
    assert f"k1 = {p['k1']:g}, k2 = {p['k2'] / p['k1']:g}·k1" in adaptation
    assert f"τ3 = {p['tau3']:g} d" in adaptation
    assert (
        f"a ceiling ({p['ceiling']:g} × the start)" in adaptation
        and f"τ = {p['tau_detrain']:g} d" in adaptation
    )
    lo, hi = cl.DEFAULT_BAND
    assert f"band [{lo:.1f}, {hi:.1f}]" in design.sections["balance"]
    # Effort weight: 1 up to 4 reps in reserve, 0 at 10, linear between (hand-worked: RIR 7 -> 0.5).
    assert list(_core.effort_weight([0.0, 4.0, 7.0, 10.0, 12.0])) == [1.0, 1.0, 0.5, 0.0, 0.0]
    assert "1 up to 4 reps in reserve, falling linearly to 0 at 10" in design.sections["dose"]
    closed = design.sections["closed loop"]
    assert "activation ≥ 0.5" in closed and "Loads round to the step of each exercise's equipment" in closed
    from chainload.equipment import default_equipment

    table = default_equipment()
    for name, kind in table.items():  # every step the data file sets is the one the design states
        stated = f"{name} {kind.step_kg:g} kg" if kind.step_kg > 0 else f"{name} none"
        assert stated in " ".join(closed.split()), stated
    assert table["dumbbell"].implements == 2 and "so 4 kg a pair" in closed
    assert inspect.signature(cl.simulate).parameters["round_kg"].default is None
    assert re.search(r"limit_weight: [^=]+= 0\.5\b", _core.simulate.__doc__ or "")


def test_validation_sources_listed_with_their_ids(science):
    sources = science.sections["8"]
    rows = {line.split("|")[1].strip(): line for line in sources.splitlines() if line.startswith("| ")}
    assert set(VALIDATION_IDS) <= set(rows)
    # Every finding cites its study; all but three (Peterson 2005, and the two norms) with a DOI.
    no_doi = {i for i in VALIDATION_IDS if "doi 10." not in rows[i]}
    assert no_doi == {"STAT-2", "RATIO-2", "RATIO-4"}
    # Ids used anywhere in the code or tests are listed too.
    used = set()
    for path in SCANNED:
        used |= set(
            re.findall(
                r"\b(?:VOL|LOAD|PROX|SPEC|FREQ|FAT|DET|IND|STAT|MEAS|FFM|RATIO)-\d+\b", path.read_text()
            )
        )
    assert used <= set(rows), sorted(used - set(rows))


# -------------------------------------------------------------------------------- release files
def _pyproject() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def test_license_citation_and_changelog_agree_with_pyproject():
    yaml = pytest.importorskip("yaml")
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    assert project["license"] == {"text": "MIT"}
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License\n\nCopyright (c) 2026 the chainload developers\n")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff) and cff["authors"]
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert str(cff["version"]) == project["version"] and cff["license"] == "MIT"
    changelog = (ROOT / "CHANGELOG.md").read_text()
    heads = re.findall(r"^## (\S+)", changelog, re.MULTILINE)
    assert heads[0] == "Unreleased" and project["version"] in heads


def test_pytest_is_strict_and_knows_the_slow_marker():
    opts = _pyproject()["tool"]["pytest"]["ini_options"]  # type: ignore[index]
    assert {"--strict-markers", "--strict-config"} <= set(opts["addopts"])
    assert opts["filterwarnings"][0] == "error"
    assert any(m.startswith("slow:") for m in opts["markers"])
