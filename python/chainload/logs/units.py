"""Units of workout logs: every unit name the readers accept, its canonical form and its factor to
kilograms or metres, in one place.

1 lb = 0.45359237 kg, 1 mile = 1609.344 m, 1 yard = 0.9144 m and 1 foot = 0.3048 m (all exact by
the international yard and pound agreement of 1959). Distances are stored in metres, times in
seconds, weights in kilograms.

A unit name is compared after :func:`unit_key`: lower case, spaces and a trailing full stop
removed, so Strong's ``mi.`` is ``mi``. An unknown unit is an error naming the file, line and value;
``units={"furlong": (201.168, "m")}`` (or an alias of a known unit, ``{"kilo": "kg"}``) adds one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ValidationError

Kind = Literal["weight", "distance"]

LB_KG = 0.45359237
"""Kilograms in one pound (exact, international yard and pound agreement of 1959)."""
MILE_M = 1609.344
"""Metres in one mile (exact)."""
YARD_M = 0.9144
"""Metres in one yard (exact)."""
FOOT_M = 0.3048
"""Metres in one foot (exact)."""

WEIGHT_UNITS: dict[str, str] = {
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lbs", "lbs": "lbs", "pound": "lbs", "pounds": "lbs",
}  # fmt: skip
"""Weight unit names (after :func:`unit_key`) -> canonical unit."""
DISTANCE_UNITS: dict[str, str] = {
    "km": "km", "kms": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "mi": "mi", "mile": "mi", "miles": "mi",
    "yd": "yd", "yds": "yd", "yard": "yd", "yards": "yd",
    "ft": "ft", "feet": "ft", "foot": "ft",
}  # fmt: skip
"""Distance unit names (after :func:`unit_key`) -> canonical unit."""
TO_KG: dict[str, float] = {"kg": 1.0, "lbs": LB_KG}
TO_M: dict[str, float] = {"km": 1000.0, "m": 1.0, "mi": MILE_M, "yd": YARD_M, "ft": FOOT_M}
UNIT_SYSTEMS: dict[str, tuple[str, str]] = {
    "kg": ("kg", "km"), "metric": ("kg", "km"), "lbs": ("lbs", "mi"), "lb": ("lbs", "mi"),
    "imperial": ("lbs", "mi"),
}  # fmt: skip
"""``units="..."``: (weight, distance) assumed where a file states no unit."""


def unit_key(raw: str) -> str:
    """The comparison key of a unit name: ``" Mi. "`` -> ``"mi"``."""
    return "".join(raw.split()).lower().rstrip(".")


def canonical(raw: str, kind: Kind) -> str | None:
    """The canonical unit of a known unit name, None when unknown."""
    return (WEIGHT_UNITS if kind == "weight" else DISTANCE_UNITS).get(unit_key(raw))


@dataclass(frozen=True)
class Units:
    """The caller's ``units=`` of :func:`chainload.read_log`, resolved.

    ``weight``/``distance``: the unit assumed where the file states none (None: not given);
    ``extra``: unit names added by the caller -> (kind, canonical label, factor to kg or m).
    """

    weight: str | None = None
    distance: str | None = None
    extra: dict[str, tuple[Kind, str, float]] = field(default_factory=dict)

    def lookup(self, raw: str, kind: Kind) -> tuple[str, float] | None:
        """(label, factor to kg or m) of a unit name, None when unknown."""
        c = canonical(raw, kind)
        if c is not None:
            return c, (TO_KG if kind == "weight" else TO_M)[c]
        e = self.extra.get(unit_key(raw))
        if e is not None and e[0] == kind:
            return e[1], e[2]
        return None


def parse_units(units: str | Mapping[str, object] | None) -> Units:
    """Resolve ``units=``: None, a system name (``"kg"``/``"metric"``, ``"lbs"``/``"imperial"``) or a
    mapping with the optional keys ``"weight"`` and ``"distance"`` (the assumed units) and any
    other key an extra unit name: its value a known unit (``{"kilo": "kg"}``) or ``(factor, unit)``
    (``{"furlong": (201.168, "m")}``: one furlong is 201.168 m)."""
    if units is None:
        return Units()
    if isinstance(units, str):
        system = UNIT_SYSTEMS.get(units.strip().lower())
        if system is None:
            raise ValidationError(f"units={units!r}: give one of {', '.join(UNIT_SYSTEMS)} or a mapping")
        return Units(*system)
    if not isinstance(units, Mapping):
        raise TypeError(f"units must be a string or a mapping, got {type(units).__name__}")
    out: dict[str, str | None] = {"weight": None, "distance": None}
    extra: dict[str, tuple[Kind, str, float]] = {}
    for key, value in units.items():
        if key in ("weight", "distance"):
            kind: Kind = "weight" if key == "weight" else "distance"
            if value is None:
                continue
            c = canonical(str(value), kind) if isinstance(value, str) else None
            if c is None:
                known = "kg, lbs" if kind == "weight" else "km, m, mi, yd, ft"
                raise ValidationError(f"units: unknown {kind} unit {value!r}; known: {known}")
            out[key] = c
            continue
        if not isinstance(key, str) or not unit_key(key):
            raise ValidationError(f"units: a unit name must be a non-empty string, got {key!r}")
        if isinstance(value, str):
            factor, unit = 1.0, value
        elif (
            isinstance(value, tuple | list)
            and len(value) == 2
            and isinstance(value[0], int | float)
            and not isinstance(value[0], bool)
            and isinstance(value[1], str)
        ):
            factor, unit = float(value[0]), value[1]
        else:
            raise ValidationError(
                f"units[{key!r}]: give a known unit ('kg', 'm' ...) or (factor, unit), e.g. (201.168, 'm'); "
                f"got {value!r}"
            )
        if not factor > 0 or factor == float("inf"):
            raise ValidationError(f"units[{key!r}]: the factor must be finite and > 0, got {factor!r}")
        w, d = canonical(unit, "weight"), canonical(unit, "distance")
        if w is not None:
            extra[unit_key(key)] = ("weight", key, factor * TO_KG[w])
        elif d is not None:
            extra[unit_key(key)] = ("distance", key, factor * TO_M[d])
        else:
            raise ValidationError(f"units[{key!r}]: {unit!r} is neither a weight nor a distance unit")
    return Units(out["weight"], out["distance"], extra)


__all__ = [
    "DISTANCE_UNITS",
    "FOOT_M",
    "LB_KG",
    "MILE_M",
    "TO_KG",
    "TO_M",
    "UNIT_SYSTEMS",
    "WEIGHT_UNITS",
    "YARD_M",
    "Units",
    "canonical",
    "parse_units",
    "unit_key",
]
