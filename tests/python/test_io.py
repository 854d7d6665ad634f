"""Workout-log import (chainload.logs): the two real exports of ../shared/data and small fixtures of
every Strong/Hevy variant, with the expected numbers worked out by hand."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

import chainload as cl
import chainload.logs as cio
from chainload.errors import FileFormatError, UnknownNameError, ValidationError
from chainload.logs.matching import _alias_table, _key

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
SHARED = next(
    (p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir()),
    Path("/work/shared/data"),
)
STRONG_REAL = SHARED / "strong_export_breinsp.csv"
HEVY_REAL = SHARED / "hevy_export_strong-statistics.csv"
needs_shared = pytest.mark.skipif(
    not (STRONG_REAL.exists() and HEVY_REAL.exists()),
    reason=f"the real exports are not in {SHARED} (shared data directory of the team checkout)",
)
LB = 0.45359237  # kg, exact
MILE = 1609.344  # m, exact


def read(name: str, **kwargs) -> cio.Log:
    """Read a fixture and check that every row is accounted for."""
    log = cio.read_log(FIXTURES / name, **kwargs)
    counts_add_up(log)
    return log


def counts_add_up(log: cio.Log) -> None:
    r = log.report
    assert r.rows_read == r.rows_used + len(r.skipped)
    assert r.rows_used == len(log.sets)
    assert set(log.sets["line"]).isdisjoint(set(r.skipped["line"]))
    assert list(log.sets.columns) == list(cio.SET_COLUMNS)
    assert log.sets["date"].is_monotonic_increasing


def by_line(log: cio.Log) -> pd.DataFrame:
    return log.sets.set_index("line")


# ============================================================================ real exports
@pytest.fixture(scope="module")
def strong_real() -> cio.Log:
    if not STRONG_REAL.exists():
        pytest.skip(f"{STRONG_REAL} is absent (shared data directory of the team checkout)")
    log = cio.read_log(STRONG_REAL)
    counts_add_up(log)
    return log


@pytest.fixture(scope="module")
def hevy_real() -> cio.Log:
    if not HEVY_REAL.exists():
        pytest.skip(f"{HEVY_REAL} is absent (shared data directory of the team checkout)")
    log = cio.read_log(HEVY_REAL)
    counts_add_up(log)
    return log


def raw_fields(path: Path, line: int) -> list[str]:
    """The fields of one physical line, split by hand (not with the csv module chainload uses):
    commas split outside double quotes; the quotes are dropped."""
    text = path.read_text(encoding="utf-8-sig").split("\n")[line - 1]
    fields, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            fields.append(current)
            current = ""
        else:
            current += ch
    return [*fields, current]


@needs_shared
def test_real_strong_counts(strong_real: cio.Log) -> None:
    r, s = strong_real.report, strong_real.sets
    assert (r.rows_read, r.rows_used, len(r.skipped)) == (2078, 2078, 0)  # data README: 2,078 set rows
    assert s["exercise"].nunique() == 72
    assert s.groupby(["date", "workout"]).ngroups == 129
    assert (s["date"].min().date().isoformat(), s["date"].max().date().isoformat()) == (
        "2021-02-10",
        "2021-12-22",
    )
    # the file states no unit: kg assumed, and said so
    assert r.assumed_units == ("weight",) and r.units["weight"] == ("kg",)
    assert any("no weight unit: kg assumed" in n for n in r.notes)
    assert s["rpe"].isna().all()  # RPE is empty on every row
    assert r.out_of_order == 0


@needs_shared
def test_real_strong_rows_field_by_field(strong_real: cio.Log) -> None:
    rows = by_line(strong_real)
    lines = STRONG_REAL.read_text(encoding="utf-8").split("\n")
    for line in (2, 5, lines.index(next(t for t in lines if "Deep squats" in t)) + 1, 74):
        f = raw_fields(STRONG_REAL, line)
        assert len(f) == 12, f
        row = rows.loc[line]
        assert row["date"] == pd.Timestamp(f[0])
        assert row["workout"] == f[1]
        assert row["exercise"] == f[3]
        assert row["set_index"] == int(f[4]) - 1
        assert row["weight_kg"] == float(f[5])
        assert row["reps"] == float(f[6])
        assert row["distance_m"] == float(f[7]) * 1000
        assert row["seconds"] == float(f[8])
        assert row["notes"] == f[9]
        assert row["workout_notes"] == f[10]
        h = re.match(r"(?:(\d+)h)? ?(?:(\d+)m)?", f[2])
        assert h is not None
        assert row["workout_seconds"] == 3600 * int(h.group(1) or 0) + 60 * int(h.group(2) or 0)
    first = rows.loc[2]
    assert (first["exercise_id"], first["weight_kg"], first["reps"], first["set_type"]) == (
        "bench_press",
        75.0,
        8.0,
        "normal",
    )
    plank = rows.loc[74]  # a Plank: 0 kg, 0 reps, 90 s -> kept, not load
    assert (plank["exercise"], plank["seconds"], plank["not_load"]) == ("Plank", 90.0, "timed")


@needs_shared
def test_real_hevy_counts(hevy_real: cio.Log) -> None:
    r, s = hevy_real.report, hevy_real.sets
    assert r.rows_read == 7211  # data README: 7,211 set rows
    # four rows are identical in every field to an earlier row: reported, the first kept
    assert list(r.skipped["kind"]) == ["duplicate"] * 4
    assert list(r.duplicates["line"]) == [7044, 7127, 7128, 7129]
    assert list(r.duplicates["duplicate_of"]) == [7042, 7124, 7125, 7126]
    raw = HEVY_REAL.read_text(encoding="utf-8").split("\n")
    for line, first in zip(r.duplicates["line"], r.duplicates["duplicate_of"], strict=True):
        assert raw[line - 1] == raw[first - 1]
    assert r.rows_used == 7207
    assert s["exercise"].nunique() == 86
    assert s.groupby(["date", "workout"]).ngroups == 335
    # set types: the README's counts over all rows = the sets + the reported duplicates
    dup_types = pd.Series([raw_fields(HEVY_REAL, int(x))[8] for x in r.duplicates["line"]])
    total = s["set_type"].value_counts().add(dup_types.value_counts(), fill_value=0)
    assert total.to_dict() == {"normal": 3851, "warmup": 2195, "failure": 1122, "dropset": 43}
    dup_rpe = sum(raw_fields(HEVY_REAL, int(x))[13] != "" for x in r.duplicates["line"])
    dup_superset = sum(raw_fields(HEVY_REAL, int(x))[5] != "" for x in r.duplicates["line"])
    assert s["rpe"].notna().sum() + dup_rpe == 6916
    assert s["superset_id"].notna().sum() + dup_superset == 277
    assert r.units == {"weight": ("kg",), "distance": ("km",)} and r.assumed_units == ()
    assert r.out_of_order > 0  # the export is newest first; the sets are sorted
    assert (s["date"].min().date().isoformat(), s["date"].max().date().isoformat()) == (
        "2024-07-03",
        "2025-09-15",
    )


@needs_shared
def test_real_hevy_rows_field_by_field(hevy_real: cio.Log) -> None:
    rows = by_line(hevy_real)
    notes_line = 1 + next(
        i for i, t in enumerate(HEVY_REAL.read_text(encoding="utf-8").split("\n")) if "Münster" in t
    )
    for line in (2, 5, 6, 11, notes_line, 7211, 7212):
        f = raw_fields(HEVY_REAL, line)
        assert len(f) == 14, f
        row = rows.loc[line]
        assert row["workout"] == f[0]
        assert row["date"] == pd.to_datetime(f[1], format="%d %b %Y, %H:%M")
        end = pd.to_datetime(f[2], format="%d %b %Y, %H:%M")
        assert row["workout_seconds"] == (end - row["date"]).total_seconds()
        assert row["workout_notes"] == f[3]
        assert row["exercise"] == f[4]
        assert row["superset_id"] == float(f[5]) if f[5] else math.isnan(row["superset_id"])
        assert row["notes"] == f[6]
        assert row["set_index"] == int(f[7])
        assert row["set_type"] == f[8]
        for col, raw in (("weight_kg", f[9]), ("reps", f[10]), ("seconds", f[12]), ("rpe", f[13])):
            assert row[col] == float(raw) if raw else math.isnan(row[col]), (line, col)
        assert math.isnan(row["distance_m"]) and f[11] == ""
    # line 2: "Seated Leg Curl (Machine)", warmup 39 kg x 10 at RPE 6, workout 07:48-09:13
    r2 = rows.loc[2]
    assert (r2["exercise_id"], r2["set_type"], r2["weight_kg"], r2["reps"], r2["rpe"]) == (
        "leg_curl",
        "warmup",
        39.0,
        10.0,
        6.0,
    )
    assert r2["workout_seconds"] == 85 * 60
    assert r2["date"] == pd.Timestamp("2025-09-15 07:48")


@needs_shared
def test_real_matching(strong_real: cio.Log, hevy_real: cio.Log) -> None:
    big = {
        "Bench Press (Barbell)": "bench_press",
        "Deadlift (Barbell)": "deadlift",
        "Squat (Barbell)": "back_squat",
        "Overhead Press (Barbell)": "overhead_press",
        "Pull Up": "pull_up",
        "Lat Pulldown (Cable)": "lat_pulldown",
        "Romanian Deadlift (Barbell)": "romanian_deadlift",
        "Bent Over Row (Barbell)": "bent_over_row",
        "Incline Bench Press (Barbell)": "incline_bench_press",
    }
    excluded = set(
        _alias_table(str(cio.ALIASES_FILE.resolve()), cio.ALIASES_FILE.stat().st_mtime_ns).excluded
    )
    for log in (strong_real, hevy_real):
        r = log.report
        print(
            f"\n{r.path.name}: {r.matched_share:.1%} of {r.rows_used} sets matched; unmatched: "
            + ", ".join(
                f"{e} ({n})" for e, n in zip(r.unmatched["exercise"], r.unmatched["rows"], strict=True)
            )
        )
        assert r.matched_share > 0.9
        ids = log.sets.drop_duplicates("exercise").set_index("exercise")["exercise_id"]
        for name, ex_id in big.items():
            if name in ids.index:
                assert ids[name] == ex_id, name
        # every logged name is in the alias table: matched as an alias, or listed as unmatched
        assert set(r.matched["method"]) == {"alias"}
        assert all(_key(n) in excluded for n in r.unmatched["exercise"])
        assert (log.sets["exercise_id"].isna() == log.sets["match_confidence"].isna()).all()
        # unmatched sets stay in the log
        assert r.unmatched["rows"].sum() == log.sets["exercise_id"].isna().sum()
        assert all(len(s) <= 3 for s in r.unmatched["suggestions"])
    assert strong_real.report.unmatched["exercise"].tolist() == []  # every Strong name is in the alias table


@needs_shared
@pytest.mark.slow
def test_real_strong_program_and_e1rm(strong_real: cio.Log) -> None:
    prog = strong_real.to_program()
    assert prog.n_weeks == 46  # Mon 2021-02-08 .. week of 2021-12-22
    assert sum(len(w) for w in prog.weeks) == 129  # one session per training day
    assert "left out: 0 work sets of unmatched exercises" in prog.description
    report = cl.analyze(prog)
    assert len(report.balance) == 46
    sets = sum(p.sets for _, _, _, p in prog.occurrences())
    assert sets == 2078  # every set of the file is a matched work set
    e = cio.e1rm(strong_real, "epley")
    assert (e["e1rm_kg"] >= e["weight_kg"]).all()
    dl = e[e["exercise_id"] == "deadlift"]
    assert dl["e1rm_kg"].max() == pytest.approx(
        (strong_real.sets.query("exercise_id == 'deadlift'").eval("weight_kg * (1 + reps / 30)")).max()
    )


@needs_shared
def test_real_hevy_e1rm_rpe(hevy_real: cio.Log) -> None:
    e = cio.e1rm(hevy_real, "rpe")
    assert e["rpe"].notna().all()
    # every estimate: w / Brzycki fraction at reps + reps in reserve
    expected = e["load_kg"] * 36 / (37 - (e["reps"] + 10 - e["rpe"]))
    assert (e["e1rm_kg"] - expected).abs().max() < 1e-9
    assert not e["exercise"].eq("Warm Up").any()


# ============================================================================ fixtures: Strong
def test_strong_semicolon_decimal_comma_quoted_and_not() -> None:
    log = read("strong_semicolon.csv")
    r, rows = log.report, by_line(log)
    assert (r.format, r.delimiter, r.rows_read, r.rows_used) == ("strong", ";", 3, 3)
    assert list(rows["weight_kg"]) == [100.0, 102.5, 80.0]  # "102,5": decimal comma
    assert list(rows["reps"]) == [5.0, 5.0, 8.0]
    assert rows.loc[2, "rpe"] == 8.0 and rows.loc[3, "rpe"] == 9.0 and math.isnan(rows.loc[4, "rpe"])
    assert rows.loc[4, "notes"] == "Tiefe; gut"  # separator inside quotes
    assert rows.loc[4, "workout"] == "Leg"  # unquoted
    assert list(rows["exercise_id"]) == ["deadlift", "deadlift", "back_squat"]
    assert r.units["weight"] == ("kg",) and r.assumed_units == ()


def test_strong_weight_unit_column_kg_and_lbs_mixed() -> None:
    log = read("strong_mixed_units.csv")
    rows, r = by_line(log), log.report
    assert rows.loc[2, "weight_kg"] == 40.0
    assert rows.loc[3, "weight_kg"] == pytest.approx(45.359237, abs=1e-12)  # 100 lbs
    assert rows.loc[4, "weight_kg"] == pytest.approx(102.05828325, abs=1e-12)  # 225 lbs
    assert rows.loc[5, "distance_m"] == pytest.approx(4988.9664, abs=1e-9)  # 3.1 mi
    assert rows.loc[6, "distance_m"] == 2000.0  # 2 km
    assert (rows.loc[5, "seconds"], rows.loc[5, "not_load"]) == (1500.0, "cardio")
    assert (rows["workout_seconds"] == 4500).all()  # "1h 15m"
    assert list(rows["set_type"][:3]) == ["warmup", "normal", "normal"]  # Set Order W, 1, 2
    assert list(rows["set_index"][:3]) == [0, 1, 2]
    assert rows.loc[4, "rpe"] == 9.5
    assert r.units == {"weight": ("kg", "lbs"), "distance": ("km", "mi")}
    assert r.assumed_units == ()
    assert set(r.unmatched["exercise"]) == {"Running", "Cycling"}


def test_strong_new_export_lbs_columns_seconds_duration_and_set_letters() -> None:
    log = read("strong_new_lbs.csv")
    r, rows = log.report, by_line(log)
    assert (r.rows_read, r.rows_used) == (9, 8)
    assert r.skipped.to_dict("records") == [{"line": 5, "kind": "not a set", "reason": "rest timer row"}]
    # two identical "W" rows: indistinguishable warm-ups by design, both kept
    assert list(rows.loc[[2, 3], "set_type"]) == ["warmup", "warmup"] and len(r.duplicates) == 0
    assert rows.loc[2, "weight_kg"] == pytest.approx(45 * LB)  # 20.41165665
    assert rows.loc[4, "weight_kg"] == pytest.approx(61.23496995, abs=1e-9)  # 135 lbs
    assert rows.loc[7, "weight_kg"] == pytest.approx(43.09127515, abs=1e-9)  # 95 lbs
    assert list(rows.loc[[2, 3, 4, 6, 7, 8], "set_type"]) == [
        "warmup",
        "warmup",
        "normal",
        "normal",
        "dropset",
        "failure",
    ]
    assert list(rows.loc[[2, 3, 4, 6, 7, 8], "set_index"]) == [0, 1, 2, 3, 4, 5]
    assert rows.loc[2, "workout_seconds"] == 3600 and rows.loc[9, "workout_seconds"] == 4500
    assert (rows.loc[10, "distance_m"], rows.loc[10, "seconds"], rows.loc[10, "not_load"]) == (
        400.0,
        120.0,
        "cardio",
    )
    assert r.units == {"weight": ("lbs",), "distance": ("m",)}
    assert len(log.work_sets()) == 6 and len(log.work_sets(include_warmups=True)) == 8
    with pytest.raises(ValidationError, match="header states 'lbs'"):
        cio.read_log(FIXTURES / "strong_new_lbs.csv", units="kg")


def test_strong_weight_kg_column_unquoted_no_notes_duration_text() -> None:
    log = read("strong_kg_unquoted.csv")
    rows = by_line(log)
    assert list(rows["workout_seconds"]) == [2700.0, 2700.0, 2700.0, 3900.0]  # "45m", "1h 5m"
    assert (rows.loc[4, "not_load"], rows.loc[4, "seconds"], rows.loc[4, "exercise_id"]) == (
        "timed",
        60.0,
        "plank",
    )
    assert list(rows["assisted"]) == [False, False, False, True]  # Pull Up (Band): weight is assistance
    assert (rows["notes"] == "").all() and rows["rpe"].isna().all()
    assert log.report.units["weight"] == ("kg",) and log.report.assumed_units == ()


def test_strong_bom_no_trailing_newline_and_assumed_units() -> None:
    log = read("strong_bom_no_newline.csv")
    r, rows = log.report, by_line(log)
    assert (r.encoding, r.rows_read) == ("utf-8-sig", 2)
    assert list(rows.index) == [2, 3]
    assert rows.loc[3, "rpe"] == 7.5  # the last field of the unterminated last line
    assert (rows["exercise_id"] == "back_squat").all()  # German "Kniebeugen"
    assert (rows["workout_seconds"] == 2 * 3600 + 18 * 60).all()
    assert r.assumed_units == ("weight",) and any("kg assumed" in n for n in r.notes)
    lbs = read("strong_bom_no_newline.csv", units="lbs")
    assert by_line(lbs).loc[2, "weight_kg"] == pytest.approx(60 * LB)  # 27.2155422 kg
    assert lbs.report.units["weight"] == ("lbs",) and any("units=" in n for n in lbs.report.notes)


def test_strong_bad_rows_are_reported_with_their_line() -> None:
    log = read("strong_bad_rows.csv")
    r = log.report
    assert (r.rows_read, r.rows_used, len(r.skipped)) == (13, 4, 9)
    kinds = dict(zip(r.skipped["line"], r.skipped["kind"], strict=True))
    assert kinds == {
        4: "duplicate",
        5: "bad value",  # negative weight
        6: "bad value",  # 1200 kg
        7: "bad value",  # 250 reps
        9: "bad date",
        10: "empty",
        11: "garbled",  # two fields too many
        14: "bad value",  # reps "abc"
        15: "garbled",  # truncated last line
    }
    reasons = dict(zip(r.skipped["line"], r.skipped["reason"], strict=True))
    assert "negative weight -20" in reasons[5]
    assert "absurd weight 1200" in reasons[6]
    assert "absurd reps 250" in reasons[7]
    assert "'yesterday'" in reasons[9]
    assert "6 of 12 fields" in reasons[15]
    assert r.duplicates.to_dict("records") == [{"line": 4, "duplicate_of": 3}]
    # dates out of order: reported and sorted; the multi-line note starts on line 12
    assert r.out_of_order == 1 and any("out of order" in n for n in r.notes)
    assert list(log.sets["line"]) == [8, 2, 3, 12]
    assert by_line(log).loc[12, "notes"] == "knee\nfelt fine"


def test_strong_non_utf8_falls_back_and_says_so() -> None:
    log = read("strong_cp1252.csv")
    r = log.report
    assert r.encoding == "cp1252"
    assert any("not UTF-8" in n and "line 2" in n for n in r.notes)
    assert (log.sets["exercise"] == "Bankdrücken").all() and (log.sets["exercise_id"] == "bench_press").all()
    assert log.sets["notes"].iloc[0] == "Rückenschmerzen"


# ============================================================================ fixtures: Hevy
def test_hevy_lbs_miles_set_types_supersets_multiline_notes() -> None:
    log = read("hevy_lbs_miles.csv")
    r, rows = log.report, by_line(log)
    assert (r.format, r.rows_read, r.rows_used) == ("hevy", 7, 7)
    # notes with a line break: each row starts 2 lines after the previous one
    assert list(log.sets["line"]) == [12, 2, 4, 6, 8, 10, 11]  # sorted by date: the run came first
    assert r.out_of_order == 1
    assert rows.loc[2, "notes"] == "Pause on chest,\nelbows tucked"
    assert list(rows.loc[[2, 4, 6, 8], "set_type"]) == ["warmup", "normal", "failure", "dropset"]
    assert list(rows.loc[[2, 4, 6, 8], "set_index"]) == [0, 1, 2, 3]
    assert rows.loc[2, "weight_kg"] == pytest.approx(43.09127515, abs=1e-9)  # 95 lbs
    assert rows.loc[4, "weight_kg"] == pytest.approx(83.91458845, abs=1e-9)  # 185 lbs
    assert rows.loc[10, "weight_kg"] == pytest.approx(54.4310844, abs=1e-9)  # 120 lbs
    assert rows.loc[12, "distance_m"] == pytest.approx(3.1 * MILE)  # 4988.9664 m
    assert (rows.loc[12, "seconds"], rows.loc[12, "not_load"]) == (1800.0, "cardio")
    assert math.isnan(rows.loc[2, "rpe"]) and rows.loc[6, "rpe"] == 10.0
    assert list(rows.sort_index()["superset_id"].fillna(-1)) == [-1, -1, -1, -1, 0, 0, -1]
    assert rows.loc[2, "date"] == pd.Timestamp("2025-09-16 18:05")
    assert rows.loc[2, "workout_seconds"] == 75 * 60 and rows.loc[12, "workout_seconds"] == 32 * 60
    assert rows.loc[2, "workout_notes"] == "Felt good"
    assert r.units == {"weight": ("lbs",), "distance": ("mi",)}


def test_hevy_kg_bom_crlf_and_e1rm_by_hand() -> None:
    log = read("hevy_kg_bom_crlf.csv")
    r, rows = log.report, by_line(log)
    assert (r.encoding, r.rows_read, list(rows.index)) == ("utf-8-sig", 6, [2, 3, 4, 5, 6, 7])
    assert (rows.loc[2, "not_load"], rows.loc[7, "not_load"]) == ("timed", "cardio")
    assert rows.loc[7, "distance_m"] == 2500.0
    assert math.isnan(rows.loc[6, "weight_kg"])  # body-weight pull-up: no weight logged
    squat = {f: cio.e1rm(log, f).set_index("exercise").loc["Squat (Barbell)"] for f in cio.FORMULAS}
    # work sets 100 kg x 5 @ RPE 8 and 110 kg x 1 @ RPE 9 (the 60 kg warm-up is left out)
    assert squat["epley"]["e1rm_kg"] == pytest.approx(116.6667, abs=1e-4)  # 100 (1 + 5/30) > 110
    assert squat["brzycki"]["e1rm_kg"] == pytest.approx(112.5)  # 100 * 36 / 32 > 110 * 36/36
    assert squat["rpe"]["e1rm_kg"] == pytest.approx(120.0)  # 5 reps + 2 in reserve: 100 * 36 / 30
    assert all(s["sets"] == 2 for s in squat.values())
    assert (
        cio.e1rm(log, "epley", include_warmups=True).set_index("exercise").loc["Squat (Barbell)", "sets"] == 3
    )
    one = cio.e1rm(log, "epley", max_reps=3).set_index("exercise").loc["Squat (Barbell)"]
    assert (one["e1rm_kg"], one["reps"]) == (110.0, 1.0)  # Epley at r = 1 is w itself
    assert list(cio.e1rm(log)["exercise"]) == ["Squat (Barbell)"]  # no bodyweight: pull-up left out
    with pytest.raises(ValidationError, match="epley"):
        cio.e1rm(log, "lombardi")  # type: ignore[arg-type]


def test_e1rm_bodyweight_and_assisted_sets() -> None:
    log = read("strong_kg_unquoted.csv")
    e = cio.e1rm(log, bodyweight=80).set_index("exercise")
    # pull-up: bodyweight_fraction 1.0 -> 80 + 10 kg x 6: 90 (1 + 6/30) = 108 > 80 (1 + 8/30)
    assert e.loc["Pull Up", "e1rm_kg"] == pytest.approx(108.0)
    # band-assisted: 80 - 20 kg x 10 -> 60 (1 + 10/30) = 80
    assert e.loc["Pull Up (Band)", "e1rm_kg"] == pytest.approx(80.0)
    assert "Plank" not in e.index  # timed, no reps


# ============================================================================ bad files
def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(
        FileFormatError, match=r"unknown_format\.csv.*unknown log format.*strong.*hevy.*fitnotes.*liftosaur"
    ):
        cio.read_log(FIXTURES / "unknown_format.csv")
    with pytest.raises(FileFormatError, match="not a hevy export: missing column"):
        cio.read_log(FIXTURES / "strong_semicolon.csv", format="hevy")
    with pytest.raises(ValidationError, match="unknown log format 'jefit'"):
        cio.read_log(FIXTURES / "strong_semicolon.csv", format="jefit")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"empty\.csv: the file is empty"):
        cio.read_log(FIXTURES / "empty.csv")
    blank = tmp_path / "blank.csv"
    blank.write_text("\ufeff\n  \n\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="blank.csv: the file is empty"):
        cio.read_log(blank)
    with pytest.raises(FileFormatError, match="nowhere.csv: no such file"):
        cio.read_log(tmp_path / "nowhere.csv")


def test_utf16_with_bom_reads_like_utf8(tmp_path: Path) -> None:
    p = tmp_path / "utf16.csv"
    p.write_bytes((FIXTURES / "strong_cp1252.csv").read_bytes().decode("cp1252").encode("utf-16"))
    log = cio.read_log(str(p))
    counts_add_up(log)
    assert log.report.encoding == "utf-16" and list(log.sets["exercise_id"]) == ["bench_press"] * 2
    assert list(log.sets["line"]) == [2, 3]


def test_header_only() -> None:
    log = read("header_only_hevy.csv")
    assert (log.report.rows_read, log.report.rows_used, len(log.sets)) == (0, 0, 0)
    assert math.isnan(log.report.matched_share)
    assert cio.e1rm(log).empty
    with pytest.raises(ValidationError, match="no work set"):
        log.to_program()


def test_unbalanced_quote_swallowing_rows_is_garbled(tmp_path: Path) -> None:
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    row = '2024-01-08 18:00:00,"A",1h,"Bench Press (Barbell)",{},80,5,0,0,{},,\n'
    p = tmp_path / "quote.csv"
    p.write_text(
        header + row.format(1, "") + row.format(2, '"oops') + row.format(3, "") + row.format(4, '"x"'),
        encoding="utf-8",
    )
    log = cio.read_log(p)
    counts_add_up(log)
    # the quote opened on line 3 swallows line 4: one garbled record, reported with its span
    assert list(log.sets["line"]) == [2, 5] and by_line(log).loc[5, "notes"] == "x"
    assert log.report.skipped[["line", "kind"]].to_dict("records") == [{"line": 3, "kind": "garbled"}]
    assert "lines 3-4" in log.report.skipped.loc[0, "reason"]
    # a quote left open swallows the rest of the file when no other quote follows
    plain = "2024-01-08 18:00:00,A,1h,Bench Press (Barbell),{},80,5,0,0,,,\n"
    p.write_text(
        header + row.format(1, "") + row.format(2, '"oops') + plain.format(3) + plain.format(4),
        encoding="utf-8",
    )
    log = cio.read_log(p)
    counts_add_up(log)
    assert list(log.sets["line"]) == [2] and log.report.rows_read == 2
    assert (
        "10 of 12 fields" in log.report.skipped.loc[0, "reason"]
        and "lines 3-5" in log.report.skipped.loc[0, "reason"]
    )


# ============================================================================ matching
def test_normalise_and_alias_lookup() -> None:
    assert cio.normalise_name("Triceps Pushdown (Cable - Straight Bar)") == (
        "triceps pushdown",
        "cable straight bar",
    )
    assert cio.normalise_name("Bankdrücken") == ("bankdrucken", "")
    assert cio.normalise_name("Pull-Up") == ("pull up", "")
    cases = {
        "Deadlift (Barbell)": "deadlift",
        "Romanian Deadlift (Dumbbell)": "romanian_deadlift",
        "Lat Pulldown (Cable)": "lat_pulldown",
        "Bench Press (Barbell)": "bench_press",
        "Bench Press (Dumbbell)": "dumbbell_bench_press",  # the equipment hint picks the variant
        "Pull Up": "pull_up",
        "pull-up": "pull_up",
        "Squat (Barbell)": "back_squat",
        "Kniebeugen": "back_squat",
        "Kreuzheben": "deadlift",
        "Lateral Raise (Band)": "lateral_raise",  # no entry with that hint: the base name
        "Shoulder Press (Band)": "dumbbell_shoulder_press",  # base of hinted entries, unambiguous
        "Hip thrust (barbell)": "hip_thrust",
    }
    m = cio.ExerciseMatcher()
    for name, ex_id in cases.items():
        got = m.match(name)
        assert (got.exercise_id, got.confidence) == (ex_id, 1.0), name


def test_fuzzy_matching_threshold_and_suggestions() -> None:
    m = cio.ExerciseMatcher()
    typo = m.match("Deadlfit")
    assert (typo.exercise_id, typo.method) == ("deadlift", "fuzzy")
    assert cio.FUZZY_THRESHOLD <= typo.confidence < 1  # 0.875
    assert m.match("Bench Pres (Barbell)").exercise_id == "bench_press"
    spider = m.match("Spider Curl")  # no catalogue name is alike enough: not accepted
    assert spider.exercise_id is None and math.isnan(spider.confidence)
    assert 1 <= len(spider.suggestions) <= 3 and all(s in cl.Catalogue.default() for s in spider.suggestions)
    warm = m.match("Warm Up")  # listed in [unmatched]: never fuzzy-matched
    assert warm.exercise_id is None and "warm-up" in warm.reason


def test_mapping_overrides(catalogue: cl.Catalogue) -> None:
    log = read("strong_program.csv", mapping={"Wrist Roller": "hammer_curl", "Deadlift (Barbell)": None})
    ids = log.sets.drop_duplicates("exercise").set_index("exercise")["exercise_id"]
    assert ids["Wrist Roller"] == "hammer_curl" and ids["Deadlift (Barbell)"] is None
    matched = log.report.matched.set_index("exercise")
    assert (matched.loc["Wrist Roller", "method"], matched.loc["Wrist Roller", "confidence"]) == (
        "mapping",
        1.0,
    )
    assert log.report.unmatched.set_index("exercise").loc["Deadlift (Barbell)", "rows"] == 2
    with pytest.raises(UnknownNameError, match="hammer_curl"):
        cio.read_log(FIXTURES / "strong_program.csv", mapping={"Wrist Roller": "hammer_curls"})


def test_alias_table_ids_exist_and_conflicts_are_errors(catalogue: cl.Catalogue, tmp_path: Path) -> None:
    aliases = cio.load_aliases()
    assert len(aliases) > 200
    assert set(aliases.values()) <= set(catalogue.ids)
    bad = tmp_path / "aliases.toml"
    bad.write_text('[aliases]\ndeadlift = ["Pull"]\npull_up = ["pull"]\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match="alias of both"):
        cio.ExerciseMatcher(aliases=bad)


# ============================================================================ to_program
def test_to_program_by_hand(exercises_toml: dict[str, dict]) -> None:
    log = read("strong_program.csv")
    prog = log.to_program()
    # first log date Wed 2024-01-03 -> week 1 starts Mon 2024-01-01; Thu 2024-01-11 is in week 2
    assert prog.n_weeks == 2
    (s1,), (s2,) = prog.weeks
    assert (s1.day, s1.name, s2.day) == (2, "AM + PM", 3)  # two workouts on one day merged
    p = {x.exercise: x for x in s1.prescriptions}
    # bench: AM 80x8, 80x7, 80x6 + PM 60x12 (the 40 kg warm-up left out)
    assert (p["bench_press"].sets, p["bench_press"].reps, p["bench_press"].kg) == (4, 8, 75.0)  # 8.25 -> 8
    assert (p["deadlift"].sets, p["deadlift"].reps, p["deadlift"].kg) == (2, 5, 140.0)
    assert [(x.exercise, x.sets, x.reps, x.kg) for x in s2.prescriptions] == [("bench_press", 2, 8, 82.5)]
    assert "1 work sets of unmatched exercises" in prog.description  # Wrist Roller
    assert "1 warm-up sets" in prog.description
    weekly = cl.analyze(prog).per_muscle("fractional_sets", by="week")
    bench, dl = exercises_toml["bench_press"]["activation"], exercises_toml["deadlift"]["activation"]
    for muscle in ("pecs", "front_delts", "hamstrings"):
        week1 = 4 * bench.get(muscle, 0) + 2 * dl.get(muscle, 0)
        week2 = 2 * bench.get(muscle, 0)
        assert list(weekly[muscle]) == pytest.approx([week1, week2]), muscle
    assert list(weekly["pecs"]) == pytest.approx([4.0, 2.0])  # bench press pecs 1.0, deadlift none


def test_to_program_timed_and_assisted_sets() -> None:
    log = read("strong_kg_unquoted.csv")
    prog = log.to_program()
    ((mon, wed),) = prog.weeks
    p = {x.exercise: x for x in mon.prescriptions}
    assert (p["plank"].sets, p["plank"].reps) == (1, 1)  # a timed hold counts as one set of 1
    assert (p["pull_up"].sets, p["pull_up"].reps, p["pull_up"].kg) == (2, 7, 5.0)
    assert [(x.exercise, x.kg) for x in wed.prescriptions] == [("pull_up", 0.0)]  # assistance is not load


def test_report_summary_mentions_everything() -> None:
    log = read("strong_bad_rows.csv")
    text = log.report.describe()
    assert "rows read 13, used 4, skipped 9" in text and "kg assumed" in text
    assert "strong_bad_rows.csv" in repr(log)
