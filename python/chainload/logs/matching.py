"""Matching logged exercise names to catalogue ids: the caller's mapping, the alias table
(``data/exercise_aliases.toml``), catalogue names and ids, then fuzzy matching.

>>> normalise_name("Triceps Pushdown (Cable - Straight Bar)")
('triceps pushdown', 'cable straight bar')
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .._files import DATA_DIR, TomlSource
from ..catalogue import Catalogue
from ..errors import FileFormatError, UnknownNameError

ALIASES_FILE = DATA_DIR / "exercise_aliases.toml"
FUZZY_THRESHOLD = 0.85
"""Lowest :class:`difflib.SequenceMatcher` ratio between normalised names accepted as a match.

0.85 accepts a typo or two in a name of ordinary length ("Bench Pres (Barbell)" → 0.97,
"Deadlfit" → 0.88, "Kniebeuge" for "Kniebeugen" → 0.95) and rejects different exercises that
share words ("Wrist Curl" vs "Bicep Curl" 0.60, "Leg Press" vs "Leg Curl" 0.59). Below it a
name is reported as unmatched, with the nearest catalogue ids as suggestions.
"""


def normalise_name(name: str) -> tuple[str, str]:
    """(base, hint) of a logged exercise name: lower case, accents and punctuation removed, the
    text in parentheses split off as the equipment hint.

    >>> normalise_name("Triceps Pushdown (Cable - Straight Bar)")
    ('triceps pushdown', 'cable straight bar')
    >>> normalise_name("Bankdrücken")
    ('bankdrucken', '')
    """
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    hints = re.findall(r"\(([^)]*)\)", s)
    base = re.sub(r"\([^)]*\)", " ", s)
    return _clean(base), _clean(" ".join(hints))


def _clean(s: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", s).split())


def _key(name: str) -> str:
    """The full lookup key of a name: 'base (hint)' or 'base'."""
    base, hint = normalise_name(name)
    return f"{base} ({hint})" if hint else base


@dataclass(frozen=True)
class Match:
    """How one logged name was matched.

    ``method`` is ``"mapping"`` (the caller's), ``"alias"`` (exercise_aliases.toml),
    ``"catalogue"`` (a catalogue name or id), ``"fuzzy"`` (difflib ratio at least
    :data:`FUZZY_THRESHOLD`) or ``"none"``; ``confidence`` is 1.0 for the first three, the ratio
    for a fuzzy match and NaN for none. ``hint`` is the normalised text in parentheses.
    """

    exercise_id: str | None
    confidence: float
    method: str
    hint: str = ""
    suggestions: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class _AliasTable:
    names: dict[str, str]  # full key -> id
    bases: dict[str, str]  # base of hinted entries -> id, where unambiguous
    excluded: dict[str, str]  # full key -> reason


@cache
def _alias_table(path: str, _mtime: int) -> _AliasTable:
    src = TomlSource(path)
    aliases = src.data.get("aliases", {})
    excluded_raw = src.data.get("unmatched", {})
    if not isinstance(aliases, dict) or not isinstance(excluded_raw, dict):
        raise FileFormatError(f"{path}: [aliases] and [unmatched] must be tables")
    names: dict[str, str] = {}
    for ex_id, entries in aliases.items():
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise FileFormatError(f"{path}: aliases of {ex_id!r} must be a list of names")
        for e in entries:
            k = _key(e)
            if names.get(k, ex_id) != ex_id:
                line = src.line_of(ex_id, "")
                raise FileFormatError(
                    f"{path}:{f' line {line},' if line else ''} {e!r} is an alias of both "
                    f"{names[k]!r} and {ex_id!r}"
                )
            names[k] = ex_id
    excluded = {_key(k): str(v) for k, v in excluded_raw.items()}
    both = sorted(set(excluded) & set(names))
    if both:
        raise FileFormatError(f"{path}: name(s) both aliased and listed as unmatched: {both}")
    by_base: dict[str, set[str]] = {}
    for k, ex_id in names.items():
        if k.endswith(")"):
            by_base.setdefault(k.split(" (", 1)[0], set()).add(ex_id)
    bases = {b: next(iter(ids)) for b, ids in by_base.items() if len(ids) == 1 and b not in names}
    return _AliasTable(names, bases, excluded)


def load_aliases(path: str | Path = ALIASES_FILE) -> dict[str, str]:
    """The alias table: normalised name (``'base (hint)'``) -> catalogue id."""
    p = Path(path).resolve()
    mtime = p.stat().st_mtime_ns if p.exists() else 0
    return dict(_alias_table(str(p), mtime).names)


class ExerciseMatcher:
    """Matches logged exercise names to catalogue ids.

    Order: the caller's ``mapping`` (exact name, then normalised); the alias table
    (``exercise_aliases.toml``) by full name with its equipment hint, then by the base name;
    names listed there as ``[unmatched]`` stay unmatched; a catalogue exercise whose name or id
    equals the normalised name; then fuzzy matching (:class:`difflib.SequenceMatcher` ratio of
    the normalised names, accepted at :data:`FUZZY_THRESHOLD` or more). An unmatched name gets
    up to 3 suggestions: the catalogue ids of the nearest names.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        mapping: Mapping[str, str | None] | None = None,
        aliases: str | Path = ALIASES_FILE,
        threshold: float = FUZZY_THRESHOLD,
    ) -> None:
        self.catalogue = catalogue if catalogue is not None else Catalogue.default()
        known = set(self.catalogue.ids)
        p = Path(aliases).resolve()
        table = _alias_table(str(p), p.stat().st_mtime_ns if p.exists() else 0)
        self.threshold = threshold
        self.names = {k: v for k, v in table.names.items() if v in known}
        self.bases = {k: v for k, v in table.bases.items() if v in known}
        self.excluded = table.excluded
        self.mapping: dict[str, str | None] = {}
        for name, ex_id in (mapping or {}).items():
            if ex_id is not None and ex_id not in known:
                near = difflib.get_close_matches(ex_id, sorted(known), 3, 0.5)
                hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
                raise UnknownNameError(f"mapping {name!r}: unknown exercise {ex_id!r}{hint}")
            self.mapping[name] = ex_id
            self.mapping.setdefault(_key(name), ex_id)
        self.exact: dict[str, str] = {}
        for ex in self.catalogue:
            for k in (_key(ex.name), normalise_name(ex.name)[0], _clean(ex.id)):
                self.exact.setdefault(k, ex.id)
        # fuzzy candidates: every normalised name we know -> id (None: deliberately unmatched)
        self.candidates: dict[str, str | None] = {k: None for k in self.excluded}
        for src in (self.exact, self.bases, self.names):
            self.candidates.update(src)
        self._ranked: dict[tuple[str, str], list[tuple[float, str]]] = {}

    def match(self, name: str) -> Match:
        """The :class:`Match` of one logged name."""
        base, hint = normalise_name(name)
        full = f"{base} ({hint})" if hint else base
        for k in (name, full):
            if k in self.mapping:
                ex_id = self.mapping[k]
                if ex_id is None:
                    return Match(None, math.nan, "none", hint, self._suggest(full, base), "mapped to None")
                return Match(ex_id, 1.0, "mapping", hint)
        for k in (full, base):
            if k in self.names:
                return Match(self.names[k], 1.0, "alias", hint)
            if k in self.excluded:
                return Match(None, math.nan, "none", hint, self._suggest(full, base), self.excluded[k])
        if base in self.bases:
            return Match(self.bases[base], 1.0, "alias", hint)
        for k in (full, base):
            if k in self.exact:
                return Match(self.exact[k], 1.0, "catalogue", hint)
        best, ratio = self._nearest(full, base)
        if best is not None and ratio >= self.threshold:
            ex_id = self.candidates[best]
            if ex_id is None:
                why = f"near {best!r}: {self.excluded[best]}"
                return Match(None, math.nan, "none", hint, self._suggest(full, base), why)
            return Match(ex_id, round(ratio, 4), "fuzzy", hint)
        return Match(None, math.nan, "none", hint, self._suggest(full, base), "no alias, no close name")

    def _ratios(self, full: str, base: str) -> list[tuple[float, str]]:
        """(best ratio of the full or base name, candidate) for every candidate, best first (a
        ratio under 0.3 is reported as 0)."""
        if (full, base) in self._ranked:
            return self._ranked[(full, base)]
        best = dict.fromkeys(self.candidates, 0.0)
        m = difflib.SequenceMatcher(None)
        for q in dict.fromkeys((full, base)):
            m.set_seq2(q)  # SequenceMatcher caches its second sequence
            for cand in self.candidates:
                m.set_seq1(cand)
                r = max(best[cand], 0.3)  # ratios under 0.3 count as 0: never a match nor a suggestion
                if m.real_quick_ratio() > r and m.quick_ratio() > r:
                    best[cand] = max(r, m.ratio())
        out = sorted(((r, c) for c, r in best.items()), key=lambda t: (-t[0], t[1]))
        self._ranked[(full, base)] = out
        return out

    def _nearest(self, full: str, base: str) -> tuple[str | None, float]:
        ranked = self._ratios(full, base)
        return (ranked[0][1], ranked[0][0]) if ranked else (None, 0.0)

    def _suggest(self, full: str, base: str) -> tuple[str, ...]:
        """Up to 3 catalogue ids, nearest first by the difflib ratio or, where higher, the mean of
        the ratio and the share of the name's words found in the candidate; at least 0.4."""
        words = set(base.split())
        scored = []
        for r, cand in self._ratios(base, base):  # the equipment hint only adds noise here
            ex_id = self.candidates[cand]
            if ex_id is None:
                continue
            cwords = set(cand.replace("(", " ").replace(")", " ").split())
            share = len(words & cwords) / max(len(words), 1)
            scored.append((max(r, (r + share) / 2), cand, ex_id))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out: list[str] = []
        for score, _cand, ex_id in scored:
            if score < 0.4 or len(out) == 3:
                break
            if ex_id not in out:
                out.append(ex_id)
        return tuple(out)


def match_exercise(
    name: str, catalogue: Catalogue | None = None, mapping: Mapping[str, str | None] | None = None
) -> Match:
    """Match one logged exercise name (see :class:`ExerciseMatcher`)."""
    return ExerciseMatcher(catalogue, mapping).match(name)


__all__ = [
    "ALIASES_FILE",
    "FUZZY_THRESHOLD",
    "ExerciseMatcher",
    "Match",
    "load_aliases",
    "match_exercise",
    "normalise_name",
]
