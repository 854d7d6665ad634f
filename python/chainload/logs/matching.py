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


EQUIPMENT_WORDS: dict[str, str] = {
    "machine": "machine",
    "smith": "machine",
    "plate": "machine",
    "plates": "machine",
    "loaded": "machine",
    "hammer strength": "machine",
    "cable": "cable",
    "cables": "cable",
    "dumbbell": "dumbbell",
    "dumbbells": "dumbbell",
    "db": "dumbbell",
    "barbell": "barbell",
    "ez": "barbell",
    "kettlebell": "kettlebell",
    "kb": "kettlebell",
    "band": "band",
}
"""Words of a logged name that say which equipment was used -> catalogue ``equipment``. A fuzzy
match must not contradict them: a name that says machine, cable or Smith is never matched to a
bodyweight exercise, and one that names dumbbells never to a barbell lift (and so on)."""

MODIFIER_WORDS = frozenset({"paused", "pause", "tempo", "horizontal", "strict", "slow"})
"""Words that change how a lift is done but not which exercise it is (engine choice): "Paused
Bench Press" is a bench press, "Leg Press Horizontal (Machine)" a leg press. A name matches
with them dropped at confidence :data:`MODIFIER_CONFIDENCE`."""
MODIFIER_CONFIDENCE = 0.95

CARDIO_WORDS = frozenset(
    {
        "treadmill",
        "running",
        "run",
        "cycling",
        "bike",
        "elliptical",
        "stairmaster",
        "jogging",
        "rower",
        "ergometer",
        "erg",
        "cardio",
        "warm",
    }
)
"""Words of cardio entries: such a name gets no strength-exercise suggestions."""

FAMILIES: dict[str, tuple[str, ...]] = {
    # query word -> catalogue patterns or ids (prefix "id:") of its movement family, engine choice
    "press": ("vertical_push", "horizontal_push"),
    "arnold": ("vertical_push",),
    "shoulder": ("vertical_push", "id:lateral_raise", "id:front_raise"),
    "overhead": ("vertical_push",),
    "military": ("vertical_push",),
    "bench": ("horizontal_push",),
    "chest": ("horizontal_push", "id:chest_fly"),
    "fly": ("id:chest_fly", "id:reverse_fly"),
    "flye": ("id:chest_fly", "id:reverse_fly"),
    "dip": ("id:dips", "id:triceps_extension"),
    "dips": ("id:dips", "id:triceps_extension"),
    "triceps": ("id:triceps_extension", "id:dips"),
    "tricep": ("id:triceps_extension", "id:dips"),
    "row": ("horizontal_pull",),
    "pulldown": ("vertical_pull",),
    "pull": ("vertical_pull", "horizontal_pull"),
    "chin": ("vertical_pull",),
    "squat": ("squat", "lunge"),
    "lunge": ("lunge",),
    "split": ("lunge",),
    "deadlift": ("hinge",),
    "hinge": ("hinge",),
    "thrust": ("hinge",),
    "bridge": ("hinge",),
    "curl": ("id:barbell_curl", "id:dumbbell_curl", "id:hammer_curl", "id:preacher_curl", "id:leg_curl"),
    "calf": ("id:standing_calf_raise", "id:seated_calf_raise"),
    "raise": ("id:lateral_raise", "id:front_raise", "id:standing_calf_raise", "id:hanging_leg_raise"),
    "crunch": ("core",),
    "ab": ("core",),
    "abs": ("core",),
    "plank": ("core",),
    "extension": ("id:leg_extension", "id:triceps_extension", "id:back_extension"),
    "leg": ("squat", "id:leg_extension", "id:leg_curl"),
}
"""Movement families used to rank suggestions: a candidate of the name's family comes first."""


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
    ``"catalogue"`` (a catalogue name or id), ``"modifier"`` (one of those once a
    :data:`MODIFIER_WORDS` word is dropped: confidence :data:`MODIFIER_CONFIDENCE`), ``"fuzzy"``
    (difflib ratio at least :data:`FUZZY_THRESHOLD`, the same words up to typos, no equipment
    word contradicted) or ``"none"`` (``reason`` says why); ``confidence`` is 1.0 for the first
    three, the ratio for a fuzzy match and NaN for none. ``hint`` is the normalised text in parentheses.
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


def load_mapping(path: str | Path) -> dict[str, str | None]:
    """A user's exercise mapping from a TOML file: ``[mapping]`` logged name = catalogue id, and
    ``[unmatched]`` logged name = reason (left unmatched, never fuzzy-matched)::

        [mapping]
        "Arnold Press (Dumbbell)" = "dumbbell_shoulder_press"
        [unmatched]
        "Sled Push" = "no catalogue exercise"
    """
    src = TomlSource(path)
    unknown = sorted(set(src.data) - {"mapping", "unmatched"})
    if unknown:
        raise FileFormatError(f"{path}: unknown table(s) {unknown}: give [mapping] and/or [unmatched]")
    out: dict[str, str | None] = {}
    for table in ("mapping", "unmatched"):
        entries = src.data.get(table, {})
        if not isinstance(entries, dict):
            raise FileFormatError(f"{path}: [{table}] must be a table of names")
        for name, value in entries.items():
            if not isinstance(value, str):
                line = next(
                    (
                        i
                        for i, text in enumerate(src.text.splitlines(), 1)
                        if re.match(rf"""\s*["']?{re.escape(name)}["']?\s*=""", text)
                    ),
                    None,
                )
                raise FileFormatError(
                    f"{path}:{f' line {line}:' if line else ''} [{table}] {name!r} = {value!r}: "
                    f"must be a string ({'a catalogue id' if table == 'mapping' else 'the reason'})"
                )
            out[str(name)] = value if table == "mapping" else None
    return out


class ExerciseMatcher:
    """Matches logged exercise names to catalogue ids.

    Order: the caller's ``mapping`` (exact name, then normalised); the alias table
    (``exercise_aliases.toml``) by full name with its equipment hint, then by the base name;
    names listed there as ``[unmatched]`` stay unmatched; a catalogue exercise whose name or id
    equals the normalised name; then fuzzy matching (:class:`difflib.SequenceMatcher` ratio of
    the normalised names, accepted at :data:`FUZZY_THRESHOLD` or more). An unmatched name gets
    up to 3 suggestions: the catalogue ids of the nearest names, those of the name's movement
    family (:data:`FAMILIES`) first; a cardio name (:data:`CARDIO_WORDS`) gets none.
    ``mapping`` is a dict or the path of a TOML file (:func:`load_mapping`).
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        mapping: Mapping[str, str | None] | str | Path | None = None,
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
        if isinstance(mapping, (str, Path)):
            mapping = load_mapping(mapping)
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
        self._equipment = {ex.id: ex.equipment for ex in self.catalogue}
        self._load = {ex.id: ex.load for ex in self.catalogue}
        self._pattern = {ex.id: ex.pattern for ex in self.catalogue}

    def _equipment_conflict(self, words: set[str], ex_id: str, strict: bool = False) -> str:
        """Why the equipment words of a name rule out ``ex_id`` ("" when they do not).

        Always: machine, cable or Smith against a bodyweight exercise (the logged stack load
        would have the body added). With ``strict`` (fuzzy matches), also a named free weight
        or machine against a different free weight ("Hack Squat (Machine)" is not the barbell
        back squat). A band fits anything; machine and cable catalogue ids stand for their
        free-weight variants too (the alias table's choice)."""
        said = {EQUIPMENT_WORDS[w] for w in words if w in EQUIPMENT_WORDS} - {"band"}
        if not said:
            return ""
        eq, load = self._equipment[ex_id], self._load[ex_id]
        if said & {"machine", "cable"} and load == "bodyweight":
            return f"the name says {'/'.join(sorted(said))}; {ex_id!r} is a bodyweight exercise"
        if not strict or eq in said or eq in ("machine", "cable", "other") or load == "bodyweight":
            return ""
        return f"the name says {'/'.join(sorted(said))}; {ex_id!r} is {eq}"

    def _family(self, words: set[str]) -> set[str]:
        """Catalogue ids of the movement family the words name (empty: none known)."""
        out: set[str] = set()
        for w in words:
            for f in FAMILIES.get(w, ()):
                if f.startswith("id:"):
                    out.add(f[3:])
                else:
                    out.update(i for i, p in self._pattern.items() if p == f)
        return out & set(self._pattern)

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
        words = set(f"{base} {hint}".split())
        for k in (full, base):
            if k in self.names:
                why = self._equipment_conflict(words, self.names[k]) if k != full else ""
                if not why:
                    return Match(self.names[k], 1.0, "alias", hint)
                return Match(None, math.nan, "none", hint, self._suggest(full, base), why)
            if k in self.excluded:
                return Match(None, math.nan, "none", hint, self._suggest(full, base), self.excluded[k])
        if base in self.bases:
            why = self._equipment_conflict(words, self.bases[base])
            if not why:
                return Match(self.bases[base], 1.0, "alias", hint)
            return Match(None, math.nan, "none", hint, self._suggest(full, base), why)
        for k in (full, base):
            if k in self.exact:
                return Match(self.exact[k], 1.0, "catalogue", hint)
        if words & CARDIO_WORDS and not self._family(words):
            return Match(None, math.nan, "none", hint, (), "cardio: no catalogue exercise")
        plain = " ".join(w for w in base.split() if w not in MODIFIER_WORDS)
        if plain != base and plain:
            m = self.match(f"{plain} ({hint})" if hint else plain)
            if m.exercise_id is not None and m.method != "fuzzy":
                why = f"{' '.join(sorted(set(base.split()) & MODIFIER_WORDS))} dropped"
                return Match(m.exercise_id, MODIFIER_CONFIDENCE, "modifier", hint, (), why)
        best, ratio = self._nearest(full, base)
        if best is not None and ratio >= self.threshold:
            ex_id = self.candidates[best]
            if ex_id is None:
                why = f"near {best!r}: {self.excluded[best]}"
                return Match(None, math.nan, "none", hint, self._suggest(full, base), why)
            why = self._word_mismatch(base, best) or self._equipment_conflict(words, ex_id, strict=True)
            if not why:
                return Match(ex_id, round(ratio, 4), "fuzzy", hint)
            return Match(None, math.nan, "none", hint, self._suggest(full, base), f"near {best!r} but {why}")
        return Match(None, math.nan, "none", hint, self._suggest(full, base), "no alias, no close name")

    @staticmethod
    def _word_mismatch(base: str, cand: str) -> str:
        """A fuzzy match may only mend typos: every word of the name must have a look-alike
        (difflib ratio 0.75 or more) in the candidate's base, and the reverse ("calf extension"
        is not "leg extension"). Returns the first word without one ("" when all have one)."""
        cbase = cand.split(" (", 1)[0].split()
        qbase = base.split()
        for a, bs in ((qbase, cbase), (cbase, qbase)):
            for w in a:
                if not any(difflib.SequenceMatcher(None, w, v).ratio() >= 0.75 for v in bs):
                    return f"{w!r} has no counterpart"
        return ""

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
        if words & CARDIO_WORDS and not self._family(words):
            return ()
        scored = []
        for r, cand in self._ratios(base, base):  # the equipment hint only adds noise here
            ex_id = self.candidates[cand]
            if ex_id is None:
                continue
            cwords = set(cand.replace("(", " ").replace(")", " ").split())
            share = len(words & cwords) / max(len(words), 1)
            scored.append((max(r, (r + share) / 2), cand, ex_id))
        family = self._family(set(f"{base} {full}".replace("(", " ").replace(")", " ").split()))
        # same movement family first (any score), then the rest at 0.4 or more
        scored.sort(key=lambda t: (t[2] not in family, -t[0], t[1]))
        out: list[str] = []
        for score, _cand, ex_id in scored:
            if len(out) == 3 or (ex_id not in family and score < 0.4):
                break
            if ex_id not in out:
                out.append(ex_id)
        return tuple(out)


def match_exercise(
    name: str,
    catalogue: Catalogue | None = None,
    mapping: Mapping[str, str | None] | str | Path | None = None,
) -> Match:
    """Match one logged exercise name (see :class:`ExerciseMatcher`)."""
    return ExerciseMatcher(catalogue, mapping).match(name)


__all__ = [
    "ALIASES_FILE",
    "EQUIPMENT_WORDS",
    "FUZZY_THRESHOLD",
    "MODIFIER_WORDS",
    "ExerciseMatcher",
    "Match",
    "load_aliases",
    "load_mapping",
    "match_exercise",
    "normalise_name",
]
