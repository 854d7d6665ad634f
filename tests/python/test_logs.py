"""chainload.logs: the formats added with the package (FitNotes, Liftosaur, Strong with miles and
planks), line accounting (exotic line breaks, repeated headers), unit mapping, a format defined
outside the package, and which sets count as strength tests. Expected numbers worked out by hand
from the fixtures (1 lb = 0.45359237 kg, 1 mile = 1609.344 m: exact)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import chainload as cl
from chainload.errors import FileFormatError, ValidationError
from chainload.logs import FORMATS, LogFormat, strength_tests

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
SHARED = next(
    (p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir()),
    Path("/work/shared/data"),
)
LB = 0.45359237
MILE = 1609.344


def accounted(log: cl.logs.Log) -> dict[str, int]:
    """The report's line accounting, checked: every physical line counted once."""
    r = log.report
    assert r.rows_read == r.rows_used + len(r.skipped)
    assert r.rows_used == len(log.sets)
    lines = r.lines
    assert lines["physical"] == lines["header"] + lines["blank"] + lines["used"] + lines["reported"]
    return lines


def physical_lines(path: Path) -> int:
    """Lines as a CSV reader splits them (\\n, \\r\\n, \\r), counted by hand."""
    text = path.read_bytes().decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + (0 if text.endswith("\n") else 1)


# ============================================================================ Strong: miles, planks
def test_strong_miles_planks_every_row_used() -> None:
    """Strong writes 'mi.' on every timed row, distance or not (issue 12: 901 of 6,084 rows of a
    real export were lost as "unknown distance unit 'mi.'"). Here 9 data rows: 8 sets kept, the
    rest-timer row reported."""
    path = FIXTURES / "strong_miles_planks.csv"
    log = cl.read_log(path)
    assert accounted(log) == {"physical": 10, "header": 1, "blank": 0, "used": 8, "reported": 1}
    assert physical_lines(path) == 10
    assert log.report.skipped[["line", "kind", "reason"]].values.tolist() == [
        [4, "not a set", "rest timer row"]
    ]
    s = log.sets.set_index("line")
    # planks: time-only rows kept as such (not load), seconds with a decimal comma
    assert s.loc[2, "not_load"] == "timed" and s.loc[2, "seconds"] == 60.0
    assert s.loc[3, "seconds"] == 45.5 and s.loc[3, "exercise_id"] == "plank"
    assert s.loc[10, "not_load"] == "timed" and math.isnan(s.loc[10, "distance_m"])
    # distances: 2,5 mi. = 4023.36 m, 2000 m, 10 km
    assert s.loc[5, "distance_m"] == pytest.approx(2.5 * MILE) and s.loc[5, "not_load"] == "cardio"
    assert s.loc[8, "distance_m"] == 2000.0 and s.loc[9, "distance_m"] == 10000.0
    # loads: 225 lbs = 102.05828325 kg; 235,5 lbs = 106.821003135 kg
    assert s.loc[6, "weight_kg"] == pytest.approx(225 * LB) and s.loc[6, "reps"] == 5
    assert s.loc[7, "weight_kg"] == pytest.approx(235.5 * LB)
    assert log.report.units["distance"] == ("km", "m", "mi")


def test_unknown_unit_is_an_error_naming_file_line_value_and_can_be_mapped(tmp_path: Path) -> None:
    path = tmp_path / "furlongs.csv"
    path.write_text(
        "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;"
        "Notes;Workout Notes\n"
        '2023-03-06 07:30:00;"Run";"Running";1;;kg;;;2;furlong;60;"";""\n',
        encoding="utf-8",
    )
    with pytest.raises(
        FileFormatError, match=r"furlongs\.csv: line 2: unknown distance unit 'furlong'.*units="
    ):
        cl.read_log(path)
    log = cl.read_log(path, units={"furlong": (201.168, "m")})  # 1 furlong = 220 yd = 201.168 m
    assert log.sets["distance_m"].iloc[0] == pytest.approx(402.336)
    with pytest.raises(ValidationError, match="furlong"):
        cl.read_log(path, units={"furlong": (0.0, "m")})
    with pytest.raises(ValidationError, match="neither a weight nor a distance"):
        cl.read_log(path, units={"furlong": (1.0, "parsec")})


# ============================================================================ FitNotes, Liftosaur
def test_fitnotes_export() -> None:
    path = FIXTURES / "fitnotes_export.csv"
    log = cl.read_log(path)
    assert log.format == "fitnotes"
    # 9 data rows: 8 sets (the two identical deadlift rows are two sets: FitNotes numbers no
    # sets) and the blank line 9 reported as empty
    assert accounted(log) == {"physical": 10, "header": 1, "blank": 0, "used": 8, "reported": 1}
    assert log.report.skipped["kind"].tolist() == ["empty"]
    s = log.sets.set_index("line")
    assert s.loc[5, "seconds"] == 90.0 and s.loc[5, "not_load"] == "timed"  # 0:01:30
    assert s.loc[6, "distance_m"] == 5000.0 and s.loc[6, "seconds"] == 1500.0  # 5.0 km in 0:25:00
    assert s.loc[[7, 8], "weight_kg"].tolist() == [100.0, 100.0]
    assert s.loc[2, "exercise_id"] == "bench_press" and s.loc[4, "exercise_id"] == "back_squat"
    assert s.loc[3, "notes"] == "felt strong"
    assert (log.sets["workout"] == log.sets["date"].dt.strftime("%Y-%m-%d")).all()  # one day, one session
    daily = log.daily().loc[(pd.Timestamp("2024-01-15"), "Flat Barbell Bench Press")]
    assert daily["sets"] == 2 and daily["volume_kg"] == 60 * 8 + 62.5 * 6  # 855 kg


def test_liftosaur_export() -> None:
    log = cl.read_log(FIXTURES / "liftosaur_export.csv")
    assert log.format == "liftosaur"
    assert accounted(log) == {"physical": 7, "header": 1, "blank": 0, "used": 6, "reported": 0}
    s = log.sets.set_index("line")
    assert s.loc[2, "set_type"] == "warmup" and s.loc[3, "set_type"] == "normal"
    assert s.loc[2, "weight_kg"] == pytest.approx(45 * LB)  # completed weight, unit per row
    assert s.loc[3, "weight_kg"] == pytest.approx(135 * LB) and s.loc[5, "weight_kg"] == 60.0
    assert s.loc[4, "reps"] == 4 and s.loc[4, "rpe"] == 9.0  # completed reps and RPE, not required
    assert s.loc[7, "weight_kg"] == 102.5 and s.loc[7, "rpe"] == 8.0
    assert s.loc[6, "not_load"] == "no reps"  # a prescribed set not done: kept, not load
    assert s.loc[2, "exercise"] == "Squat (Barbell)" and s.loc[2, "exercise_id"] == "back_squat"
    assert s.loc[5, "exercise_id"] == "bench_press" and s.loc[7, "exercise_id"] == "deadlift"
    assert log.sets["date"].iloc[0] == pd.Timestamp("2024-02-05 17:02:11")


# ============================================================================ no row lost
HEVY_HEADER = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
    '"set_index","set_type","weight_{u}","reps","distance_km","duration_seconds","rpe"\n'
)


def _hevy_rows(n: int, day: int = 1) -> str:
    return "".join(
        f'"Push","{day:02d} Jan 2025, 08:00","{day:02d} Jan 2025, 09:00","","Bench Press (Barbell)",,"",'
        f'{i},"normal",{60 + i},5,,,8\n'
        for i in range(n)
    )


@pytest.mark.parametrize("brk", ["\x0c", "\x0b", "\x85", "\u2028", "\x1c", "\x1d", "\x1e"])
def test_exotic_line_break_before_the_header_loses_no_row(tmp_path: Path, brk: str) -> None:
    """Issue 14 reproducer: a form feed (or \\x0b, \\x85, U+2028 ...) on a line before the header
    used to drop one data row while the report still added up (9 of 10)."""
    path = tmp_path / "exotic.csv"
    path.write_text(f"{brk}\n{brk}\n" + HEVY_HEADER.format(u="kg") + _hevy_rows(10), encoding="utf-8")
    log = cl.read_log(path)
    assert len(log.sets) == 10
    assert log.sets["weight_kg"].tolist() == [60.0 + i for i in range(10)]
    assert log.sets["line"].tolist() == list(range(4, 14))
    assert accounted(log) == {"physical": 13, "header": 1, "blank": 2, "used": 10, "reported": 0}


def test_exotic_line_break_inside_a_row_is_text(tmp_path: Path) -> None:
    path = tmp_path / "exotic_inside.csv"
    rows = _hevy_rows(3).replace('"Push"', '"Push\x0cDay"', 1).replace('"Push"', '"Push\u2028Day"', 1)
    path.write_text(HEVY_HEADER.format(u="kg") + rows, encoding="utf-8")
    log = cl.read_log(path)
    assert len(log.sets) == 3 and log.sets["line"].tolist() == [2, 3, 4]
    assert accounted(log)["used"] == 3


def test_two_hevy_exports_concatenated_kg_then_lbs(tmp_path: Path) -> None:
    """Issue 14 reproducer: the lbs rows after the second header were read as kg."""
    path = tmp_path / "two.csv"
    path.write_text(
        HEVY_HEADER.format(u="kg")
        + _hevy_rows(2, day=1)
        + HEVY_HEADER.format(u="lbs")
        + _hevy_rows(2, day=2),
        encoding="utf-8",
    )
    log = cl.read_log(path)
    assert accounted(log) == {"physical": 6, "header": 2, "blank": 0, "used": 4, "reported": 0}
    assert log.sets["weight_kg"].tolist() == pytest.approx([60.0, 61.0, 60 * LB, 61 * LB])
    sk = log.report.skipped
    assert sk["line"].tolist() == [4] and sk["kind"].tolist() == ["header"]
    assert "weight lbs" in sk["reason"].iloc[0]
    assert log.report.headers["line"].tolist() == [1, 4]
    assert log.report.units["weight"] == ("kg", "lbs")
    assert any("line 4: a second header" in n for n in log.report.notes)


def test_identical_rows_under_different_headers_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text(
        HEVY_HEADER.format(u="kg") + _hevy_rows(1) + HEVY_HEADER.format(u="lbs") + _hevy_rows(1),
        encoding="utf-8",
    )
    log = cl.read_log(path)
    assert log.sets["weight_kg"].tolist() == pytest.approx([60.0, 60 * LB])


@pytest.mark.parametrize("name", ["strong_export_breinsp.csv", "hevy_export_strong-statistics.csv"])
def test_real_exports_every_line_accounted(name: str) -> None:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the team's shared data directory)")
    log = cl.read_log(path)
    lines = accounted(log)
    assert lines["physical"] == physical_lines(path)
    assert lines["used"] + lines["reported"] == physical_lines(path) - 1  # one header, no blank line


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv") if p.stat().st_size > 0))
def test_every_fixture_every_line_accounted(name: str) -> None:
    path = FIXTURES / name
    try:
        log = cl.read_log(path)
    except FileFormatError:
        assert name == "unknown_format.csv"
        return
    assert accounted(log)["physical"] == physical_lines(path)


# ============================================================================ a new format
def test_a_format_defined_outside_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new format is a description: no change to the reader (issue 9)."""
    tiny = LogFormat(
        name="tiny",
        description="tiny test format (day, lift, lbs, n)",
        columns={"day": "date", "lift": "exercise", "lbs": "weight", "n": "reps", "unit": "weight_unit"},
        required=("date", "exercise", "weight", "reps"),
        repeatable=lambda cells: True,
    )
    path = tmp_path / "tiny.csv"
    path.write_text("day,lift,lbs,n,unit\n2024-05-01,Deadlift,100,5,lbs\n2024-05-01,Deadlift,100,5,lbs\n")
    log = cl.read_log(path, format=tiny)
    assert log.format == "tiny" and len(log.sets) == 2
    assert log.sets["weight_kg"].tolist() == pytest.approx([100 * LB, 100 * LB])
    assert log.sets["exercise_id"].tolist() == ["deadlift", "deadlift"]
    with pytest.raises(FileFormatError, match="unknown log format"):
        cl.read_log(path)  # not registered: not detected
    monkeypatch.setitem(FORMATS, "tiny", tiny)
    assert cl.read_log(path).format == "tiny"
    with pytest.raises(ValueError, match="unknown field"):
        LogFormat("bad", "", {"x": "weight_in_stone"}, ("date", "exercise"))


# ============================================================================ strength tests
def test_strength_tests_by_hand() -> None:
    """Liftosaur fixture: squat 135 lb x5 (no RPE) and 135 lb x4 @9 (5 reps to failure) tie at
    61.23497 x (1 + 5/30) = 71.44080 kg (Epley); the top set is the first. Bench 60 x5 -> 70.
    Deadlift 102.5 x5 @8 -> 7 reps to failure -> 102.5 x (1 + 7/30) = 126.41667. The warm-up and
    the set not done are no tests."""
    log = cl.read_log(FIXTURES / "liftosaur_export.csv")
    t = strength_tests(log).set_index("exercise")
    assert t.loc["Squat (Barbell)", "e1rm_kg"] == pytest.approx(135 * LB * (1 + 5 / 30))
    assert t.loc["Squat (Barbell)", "line"] == 3 and t.loc["Squat (Barbell)", "sets"] == 2
    assert t.loc["Bench Press (Barbell)", "e1rm_kg"] == pytest.approx(70.0)
    assert t.loc["Deadlift (Barbell)", "e1rm_kg"] == pytest.approx(102.5 * (1 + 7 / 30))
    assert t.loc["Deadlift (Barbell)", "reps_to_failure"] == 7
    assert t["date"].tolist() == [
        pd.Timestamp("2024-02-05"),
        pd.Timestamp("2024-02-07"),
        pd.Timestamp("2024-02-05"),
    ]
    # at most 5 reps to failure: the deadlift set (7) no longer counts
    assert "Deadlift (Barbell)" not in set(strength_tests(log, max_reps=5)["exercise"])
    # RPE ignored: 102.5 x (1 + 5/30) = 119.58333
    no_rpe = strength_tests(log, use_rpe=False).set_index("exercise")
    assert no_rpe.loc["Deadlift (Barbell)", "e1rm_kg"] == pytest.approx(102.5 * (1 + 5 / 30))
    # every set: 2 squat, 1 bench, 1 deadlift
    assert strength_tests(log, select="all")["exercise"].value_counts().to_dict() == {
        "Squat (Barbell)": 2,
        "Bench Press (Barbell)": 1,
        "Deadlift (Barbell)": 1,
    }
    # Brzycki at 5 reps: w x 36 / 32
    brz = strength_tests(log, "brzycki").set_index("exercise")
    assert brz.loc["Bench Press (Barbell)", "e1rm_kg"] == pytest.approx(60 * 36 / 32)


def test_strength_tests_leave_out_sets_over_10_reps(tmp_path: Path) -> None:
    path = tmp_path / "high_reps.csv"
    path.write_text(
        "day,lift,kg,n\n2024-05-01,Squat,100,12\n2024-05-01,Squat,90,10\n2024-05-03,Squat,60,20\n",
        encoding="utf-8",
    )
    tiny = LogFormat(
        "t", "t", {"day": "date", "lift": "exercise", "kg": "weight", "n": "reps"}, ("date", "exercise")
    )
    log = cl.read_log(path, format=tiny)
    t = strength_tests(log)
    # 100 x12 would give 140 (Epley) but is over 10 reps; 90 x10 gives 120; the 20-rep day has no test
    assert t["e1rm_kg"].tolist() == [pytest.approx(120.0)]
    assert len(strength_tests(log, max_reps=None)) == 2
    with pytest.raises(ValidationError, match="max_reps"):
        strength_tests(log, max_reps=0)
    with pytest.raises(TypeError, match="needs a Log"):
        strength_tests(log.sets)  # type: ignore[arg-type]


def test_a_title_line_above_the_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "My workouts, exported\n\n" + HEVY_HEADER.format(u="kg") + _hevy_rows(3), encoding="utf-8"
    )
    log = cl.read_log(path)
    assert len(log.sets) == 3 and log.sets["line"].tolist() == [4, 5, 6]
    assert accounted(log) == {"physical": 6, "header": 1, "blank": 1, "used": 3, "reported": 1}
    assert log.report.skipped[["line", "reason"]].values.tolist() == [[1, "a line above the header"]]
    bad = tmp_path / "six.csv"
    bad.write_text("a\nb\nc\nd\ne\n" + HEVY_HEADER.format(u="kg") + _hevy_rows(1), encoding="utf-8")
    with pytest.raises(FileFormatError, match="line 1: unknown log format"):
        cl.read_log(bad)  # the header is looked for on the first 5 non-blank lines only


def test_fitnotes_lbs_and_unit_column_variants(tmp_path: Path) -> None:
    old = tmp_path / "fitnotes_lbs.csv"
    old.write_text(
        "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time\n2024-01-15,Deadlift,Back,225,5,,,\n"
    )
    new = tmp_path / "fitnotes_new.csv"
    new.write_text(
        "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"
        "2024-01-15,Deadlift,Back,100,kg,5,,,,\n2024-01-16,Deadlift,Back,225,lbs,5,,,,\n"
        "2024-01-17,Treadmill,Cardio,,,,3,mi,0:30:00,\n"
    )
    a, b = cl.read_log(old), cl.read_log(new)
    assert a.format == b.format == "fitnotes"
    assert a.sets["weight_kg"].tolist() == pytest.approx([225 * LB])
    assert b.sets["weight_kg"].tolist()[:2] == pytest.approx([100.0, 225 * LB])
    assert b.sets["distance_m"].iloc[2] == pytest.approx(3 * MILE) and b.sets["seconds"].iloc[2] == 1800.0
    assert accounted(b)["used"] == 3


# ============================================================================ fuzz: lines always add up
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

_PIECES = hs.sampled_from(
    [",", ";", '"', "\n", "\r\n", "\r", "\x0c", "\x0b", "\x85", "\u2028", " ", "5", "60", "2,5", "kg", "lbs",
     "mi.", "W", "Rest Timer", "Bench Press (Barbell)", "2024-01-01 07:00:00", "x"]
)  # fmt: skip
_STRONG = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes\n"


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=hs.lists(_PIECES, max_size=60).map("".join), prefix=hs.lists(_PIECES, max_size=6).map("".join))
def test_fuzzed_files_account_for_every_line(tmp_path: Path, body: str, prefix: str) -> None:
    """Any text around a Strong header: either a clear chainload error, or a log whose physical
    lines add up and whose sets and report rows cover every data row. (It found the quote that
    opens above the header and swallows it: now a FileFormatError naming both lines.)"""
    path = tmp_path / "fuzz.csv"
    path.write_bytes((prefix + "\n" + _STRONG + body).encode("utf-8"))
    try:
        log = cl.read_log(path)
    except cl.Error:
        return
    lines = accounted(log)
    assert lines["physical"] == physical_lines_text(prefix + "\n" + _STRONG + body)


def physical_lines_text(text: str) -> int:
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    return t.count("\n") + (0 if t.endswith("\n") else 1)


def test_a_quote_opened_above_the_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        '"\n' + _STRONG + '2024-01-01 07:00:00;"A";"Squat";1;100;kg;5;;;;0;"";""\n', encoding="utf-8"
    )
    with pytest.raises(
        FileFormatError, match=r"quote\.csv: line 1: a quoted field opened above the header runs into it"
    ):
        cl.read_log(path)
