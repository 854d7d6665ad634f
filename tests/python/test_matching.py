"""Matching logged exercise names to catalogue ids on the two real exports of ../shared/data
(Strong: breinsp/strong-charts; Hevy: DaKheera47/strong-statistics)."""

from __future__ import annotations

import copy
import csv
import math
from pathlib import Path

import pytest

from chainload.errors import FileFormatError, UnknownNameError
from chainload.logs.matching import FUZZY_THRESHOLD, ExerciseMatcher, load_mapping, normalise_name

DATA = Path("/work/shared/data")
EXPORTS = {
    DATA / "hevy_export_strong-statistics.csv": "exercise_title",
    DATA / "strong_export_breinsp.csv": "Exercise Name",
}

# 42 names as logged in the two exports, with the id checked by hand against the catalogue
# (exercises.toml names and prime movers). The comment gives the reason for the tricky ones.
HAND_CHECKED: list[tuple[str, str | None]] = [
    ("Bench Press (Barbell)", "bench_press"),
    ("Bench Press (Dumbbell)", "dumbbell_bench_press"),  # the hint decides: not the barbell lift
    ("Squat (Barbell)", "back_squat"),
    ("Squat (Smith Machine)", "back_squat"),  # a back squat on a guided bar
    ("Deadlift (Barbell)", "deadlift"),
    ("Romanian Deadlift (Barbell)", "romanian_deadlift"),
    ("Seated Dip Machine", "triceps_extension"),  # stack load is external: not bodyweight dips
    ("Dip Machine", "triceps_extension"),  # as above
    ("Chest Dip (Assisted)", "dips"),  # assistance logged as the weight: bodyweight dips
    ("Calf Press (Machine)", "standing_calf_raise"),
    ("Calf Press on Seated Leg Press", "standing_calf_raise"),  # straight knees: not leg press
    ("Leg Extension (Machine)", "leg_extension"),
    ("Leg Press Keller", "leg_press"),  # "Keller" = the basement machine
    ("Leg Press Technogym (Gelb)", "leg_press"),  # the yellow Technogym machine
    ("Seated Leg Press (Machine)", "leg_press"),
    ("Lying Leg Curl (Machine)", "leg_curl"),
    ("Seated Leg Curl (Machine)", "leg_curl"),
    ("Lying Leg Raise", "hanging_leg_raise"),  # hip flexion: not leg curl, one letter apart
    ("Flat Leg Raise", "hanging_leg_raise"),
    ("Pull Up (Assisted)", "pull_up"),
    ("Wide Pull Up", "pull_up"),
    ("Front Pulldown", "lat_pulldown"),
    ("Sitting 1-Arm Lat Pulldown", "lat_pulldown"),
    ("Lower Back", "back_extension"),  # the lower-back extension machine
    ("Hyperextensions", "back_extension"),
    ("Back Deltoids", "reverse_fly"),  # the rear-delt machine
    ("Rear Delt Reverse Fly (Machine)", "reverse_fly"),
    ("Overhead Press (Barbell)", "overhead_press"),
    ("Overhead Press (Dumbbell)", "dumbbell_shoulder_press"),  # the hint decides
    ("Overhead Smith Seated", "dumbbell_shoulder_press"),  # seated, no standing trunk work
    ("Shoulder Press (Machine Plates)", "dumbbell_shoulder_press"),
    ("Seated Palms Down Wrist Curl", "reverse_wrist_curl"),  # palms down = extensors
    ("Seated Palms Up Wrist Curl", "wrist_curl"),
    ("Pullover (Dumbbell)", "dumbbell_pullover"),  # not pull-up
    ("Side Bend (Dumbbell)", "side_plank"),  # same lateral flexors
    ("JM Press (Barbell)", "triceps_extension"),  # a triceps press, not a bench press
    ("Bicep Curl (Machine)", "preacher_curl"),  # curl machines are preacher-style
    ("Bicep Curl (Barbell)", "barbell_curl"),
    ("Hip Thrust (Machine)", "hip_thrust"),
    ("Glute Ham Raise", "glute_ham_raise"),
    ("Iso-Lateral Row (Machine)", "seated_cable_row"),
    ("Warm Up", None),  # cardio by time
]


def export_names() -> set[str]:
    names: set[str] = set()
    for path, col in EXPORTS.items():
        with path.open(newline="", encoding="utf-8") as fh:
            names.update(row[col] for row in csv.DictReader(fh))
    return names


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher()


def test_hand_checked_names_are_in_the_exports_and_match(matcher: ExerciseMatcher) -> None:
    assert len(HAND_CHECKED) >= 40
    names = export_names()
    assert {n for n, _ in HAND_CHECKED} <= names
    wrong = [
        (n, matcher.match(n).exercise_id, want)
        for n, want in HAND_CHECKED
        if matcher.match(n).exercise_id != want
    ]
    assert wrong == []
    # none of them needs fuzzy matching: all are exact or alias matches at confidence 1
    assert {matcher.match(n).method for n, want in HAND_CHECKED if want} <= {"alias", "catalogue"}


def test_every_export_name_is_matched_or_deliberately_unmatched(matcher: ExerciseMatcher) -> None:
    unmatched = sorted(n for n in export_names() if matcher.match(n).exercise_id is None)
    assert unmatched == ["Warm Up"]


def _without(m: ExerciseMatcher, name: str) -> ExerciseMatcher:
    """A copy of the matcher that has never heard of ``name`` (its alias entry removed)."""
    out = copy.copy(m)
    base, hint = normalise_name(name)
    full = f"{base} ({hint})" if hint else base
    out.names = {k: v for k, v in m.names.items() if k != full}
    gone = {full} | ({base} if base in m.bases else set())  # the base of its hinted entries too
    out.bases = {k: v for k, v in m.bases.items() if k not in gone}
    out.candidates = {k: v for k, v in m.candidates.items() if k not in gone}
    out._ranked = {}
    return out


def test_fuzzy_threshold_calibrated_leave_one_out(matcher: ExerciseMatcher) -> None:
    """Calibration of FUZZY_THRESHOLD on the exports: each aliased name is removed from the table
    in turn and matched again. A fuzzy match must then find the right id or nothing: no false
    match among the exports' matched names (measured: 0 wrong; the count of right ones is the
    recall the threshold buys)."""
    right, wrong = 0, []
    for name in sorted(export_names()):
        want = matcher.match(name).exercise_id
        if want is None:
            continue
        m = _without(matcher, name).match(name)
        if m.method == "fuzzy":
            assert m.confidence >= FUZZY_THRESHOLD
            if m.exercise_id == want:
                right += 1
            else:
                wrong.append((name, m.exercise_id, want))
    assert wrong == []
    assert right >= 1


def test_equipment_words_are_respected(matcher: ExerciseMatcher) -> None:
    # In the alias table: plantar flexion on a sled.
    assert matcher.match("Calf Extension (Machine)").exercise_id == "standing_calf_raise"
    # Without the alias it must not become leg extension (ratio 0.87 > threshold): "calf" has no
    # counterpart in "leg extension".
    m = _without(matcher, "Calf Extension (Machine)").match("Calf Extension (Machine)")
    assert m.exercise_id is None and "'calf'" in m.reason
    # a machine dip is never bodyweight dips, with or without its alias
    assert matcher.match("Seated Dip Machine").exercise_id != "dips"
    m = _without(matcher, "Seated Dip Machine").match("Seated Dip Machine")
    assert m.exercise_id != "dips"
    m = matcher.match("Dips (Machine)")  # the base "dips" is aliased, the hint says machine
    assert m.exercise_id is None and "bodyweight" in m.reason
    # Hack squat machine is near "back squat" (ratio >= 0.85) but back_squat is a barbell lift.
    m = matcher.match("Hack Squat (Machine)")
    assert m.exercise_id is None and "machine" in m.reason


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Paused Bench Press", "bench_press"),
        ("Leg Press Horizontal (Machine)", "leg_press"),
        ("Pause Squat", "back_squat"),
    ],
)
def test_modifier_words_are_dropped(matcher: ExerciseMatcher, name: str, want: str) -> None:
    m = matcher.match(name)
    assert (m.exercise_id, m.method, m.confidence) == (want, "modifier", 0.95)


def test_suggestions_come_from_the_movement_family(matcher: ExerciseMatcher) -> None:
    m = matcher.match("Arnold Press (Dumbbell)")
    assert m.exercise_id is None
    assert m.suggestions[:2] == ("dumbbell_shoulder_press", "overhead_press")
    assert "standing_calf_raise" not in m.suggestions
    for cardio in ("Treadmill", "Elliptical", "Warm Up"):
        m = matcher.match(cardio)
        assert m.exercise_id is None and m.suggestions == (), cardio
    m = matcher.match("Cable Lateral Raise")
    assert m.suggestions[0] == "lateral_raise"
    m = matcher.match("Goblet Squat")
    assert set(m.suggestions) <= {
        "front_squat",
        "back_squat",
        "overhead_squat",
        "bulgarian_split_squat",
        "lunge",
    }


def test_user_mapping_in_a_toml_file(tmp_path: Path) -> None:
    f = tmp_path / "map.toml"
    f.write_text(
        '[mapping]\n"Arnold Press (Dumbbell)" = "dumbbell_shoulder_press"\n[unmatched]\n"Sled Push" = "no id"\n'
    )
    assert load_mapping(f) == {"Arnold Press (Dumbbell)": "dumbbell_shoulder_press", "Sled Push": None}
    m = ExerciseMatcher(mapping=f)
    assert (m.match("Arnold Press (Dumbbell)").exercise_id, m.match("Arnold Press (Dumbbell)").method) == (
        "dumbbell_shoulder_press",
        "mapping",
    )
    assert m.match("Sled Push").exercise_id is None and math.isnan(m.match("Sled Push").confidence)
    # the same in Python
    py = ExerciseMatcher(mapping={"Arnold Press (Dumbbell)": "dumbbell_shoulder_press"})
    assert py.match("arnold press (dumbbell)").exercise_id == "dumbbell_shoulder_press"


def test_bad_mapping_files(tmp_path: Path) -> None:
    f = tmp_path / "map.toml"
    f.write_text('[mapings]\n"X" = "bench_press"\n')
    with pytest.raises(FileFormatError, match="mapings"):
        load_mapping(f)
    f.write_text('[mapping]\n"X" = 3\n')
    with pytest.raises(FileFormatError, match=r"line 2.*'X'"):
        load_mapping(f)
    f.write_text('[mapping]\n"X" = "bench_pres"\n')
    with pytest.raises(UnknownNameError, match="bench_press"):
        ExerciseMatcher(mapping=f)
