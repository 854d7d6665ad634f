"""Tests of the free-exercise-db importer (chainload.freedb) on the real file and on small fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chainload._files import TomlSource
from chainload.catalogue import PATTERNS
from chainload.errors import FileFormatError
from chainload.freedb import (
    MAPPING_PATH,
    MUSCLES,
    FreeDbImport,
    FreeDbMapping,
    derive_pattern,
    read_free_exercise_db,
)
from chainload.graph import MuscleGraph

DATA = Path(__file__).parents[2] / ".." / "shared" / "data"
FEDB = DATA / "free-exercise-db_exercises.json"
IMPORTED = {"strength", "powerlifting", "olympic weightlifting", "strongman"}

needs_real_file = pytest.mark.skipif(
    not FEDB.exists(), reason=f"free-exercise-db file not present at {FEDB.resolve()} (shared/data)"
)


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(FEDB.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def result() -> FreeDbImport:
    return read_free_exercise_db(FEDB)


# ============================================================================ the real file


@needs_real_file
def test_counts_add_up(result: FreeDbImport, raw: list[dict[str, Any]]) -> None:
    assert result.rows_read == len(raw) == 873
    assert result.rows_read == result.rows_used + len(result.skipped)
    assert result.rows_used == len(result.catalogue)
    assert list(result.skipped.columns) == ["index", "id", "name", "reason"]
    # every entry is accounted for exactly once: imported or skipped
    imported = {e.extra["fedb_id"] for e in result.catalogue}
    skipped = set(result.skipped["id"])
    assert not imported & skipped
    assert imported | skipped == {e["id"] for e in raw}
    # the skipped index column points at the right entry
    for index, ident, name in zip(
        result.skipped["index"], result.skipped["id"], result.skipped["name"], strict=True
    ):
        assert raw[index]["id"] == ident
        assert raw[index]["name"] == name


@needs_real_file
def test_skip_reasons(result: FreeDbImport, raw: list[dict[str, Any]]) -> None:
    by_category = {c: sum(e["category"] == c for e in raw) for c in ("stretching", "cardio", "plyometrics")}
    reasons = result.skipped["reason"]
    for category, n in by_category.items():
        assert reasons.str.startswith(f"category '{category}'").sum() == n
    neck_only = [
        e["id"]
        for e in raw
        if e["category"] in IMPORTED and set(e["primaryMuscles"]) | set(e["secondaryMuscles"]) == {"neck"}
    ]
    no_muscle = result.skipped[reasons.str.startswith("no muscle that maps onto the graph")]
    assert sorted(no_muscle["id"]) == sorted(neck_only)
    assert len(result.skipped) == sum(by_category.values()) + len(neck_only)


@needs_real_file
def test_barbell_deadlift_weights_follow_the_mapping(result: FreeDbImport, raw: list[dict[str, Any]]) -> None:
    (entry,) = [e for e in raw if e["id"] == "Barbell_Deadlift"]
    # the source lists, as the hand computation below assumes them
    assert entry["primaryMuscles"] == ["lower back"]
    assert sorted(entry["secondaryMuscles"]) == [
        "calves", "forearms", "glutes", "hamstrings", "lats", "middle back", "quadriceps", "traps",
    ]  # fmt: skip
    # primary 1.0 × share, secondary 0.5 × share (free_exercise_db_map.toml):
    # lower back -> spinal_erectors 1.0; middle back -> rhomboids 1.0 + lower_traps 0.5;
    # traps -> upper_traps 1.0; the rest one-to-one with share 1.0.
    expected = {
        "spinal_erectors": 1.0,
        "calves": 0.5,
        "forearms": 0.5,
        "glutes": 0.5,
        "hamstrings": 0.5,
        "lats": 0.5,
        "rhomboids": 0.5,
        "lower_traps": 0.25,
        "quadriceps": 0.5,
        "upper_traps": 0.5,
    }
    ex = result.catalogue["fedb:Barbell_Deadlift"]
    assert dict(ex.activation) == expected
    assert ex.pattern == "hinge"
    assert ex.equipment == "barbell"
    assert ex.load == "external" and ex.bodyweight_fraction == 0.0
    assert "free-exercise-db" in ex.rationale and "imported" in ex.rationale
    assert "free-exercise-db_exercises.json" in ex.source


@needs_real_file
def test_shoulder_split(result: FreeDbImport) -> None:
    cat = result.catalogue
    # push -> front delts 1.0, side 0.5
    press = cat["fedb:Standing_Military_Press"]
    assert press.extra["fedb_force"] == "push"
    assert dict(press.activation) == {"front_delts": 1.0, "side_delts": 0.5, "triceps": 0.5}
    # pull -> rear delts 1.0, side 0.25 (face pull also has middle back secondary)
    face = cat["fedb:Face_Pull"]
    assert dict(face.activation) == {
        "rear_delts": 1.0,
        "side_delts": 0.25,
        "rhomboids": 0.5,
        "lower_traps": 0.25,
    }
    # a lateral raise tagged "pull" is still a side-delt exercise (name rule before force)
    lateral = cat["fedb:Cable_Seated_Lateral_Raise"]
    assert lateral.extra["fedb_force"] == "pull"
    assert lateral.activation["side_delts"] == 1.0
    assert lateral.activation["rear_delts"] == 0.25


@needs_real_file
def test_listed_twice_keeps_the_larger_weight(result: FreeDbImport, raw: list[dict[str, Any]]) -> None:
    (entry,) = [e for e in raw if e["id"] == "Barbell_Step_Ups"]
    assert "quadriceps" in entry["primaryMuscles"] and "quadriceps" in entry["secondaryMuscles"]
    assert result.catalogue["fedb:Barbell_Step_Ups"].activation["quadriceps"] == 1.0


@needs_real_file
def test_every_exercise_is_valid(result: FreeDbImport) -> None:
    graph = MuscleGraph.default()
    assert len(result.catalogue) > 0
    for ex in result.catalogue:
        assert ex.id.startswith("fedb:")
        assert ex.activation
        for muscle, w in ex.activation.items():
            assert muscle in graph, (ex.id, muscle)
            assert 0 < w <= 1, (ex.id, muscle, w)
        assert ex.pattern in PATTERNS
        assert ex.equipment in {
            "barbell",
            "dumbbell",
            "kettlebell",
            "cable",
            "machine",
            "bodyweight",
            "band",
            "other",
        }
        if ex.extra.get("fedb_equipment") == "body only":
            assert ex.load == "bodyweight" and 0 < ex.bodyweight_fraction <= 1.5
        else:
            assert ex.load == "external" and ex.bodyweight_fraction == 0.0
        assert ex.extra["fedb_category"] in IMPORTED
    # the catalogue builds its dose matrix over the graph
    assert result.catalogue.activation_matrix().shape == (len(result.catalogue), len(graph))


@needs_real_file
def test_neck_reported_as_unmapped(result: FreeDbImport, raw: list[dict[str, Any]]) -> None:
    in_file = sum("neck" in e["primaryMuscles"] or "neck" in e["secondaryMuscles"] for e in raw)
    considered = [e for e in raw if e["category"] in IMPORTED]
    dropped = [e for e in considered if "neck" in e["primaryMuscles"] or "neck" in e["secondaryMuscles"]]
    alone = [e for e in dropped if set(e["primaryMuscles"]) | set(e["secondaryMuscles"]) == {"neck"}]
    table = result.unmapped_muscles.set_index("muscle")
    assert list(table.index) == ["neck"]
    row = table.loc["neck"]
    assert row["entries_in_file"] == in_file == 9
    assert row["exercises"] == len(dropped)
    assert row["as_primary"] == sum("neck" in e["primaryMuscles"] for e in dropped)
    assert row["as_secondary"] == sum("neck" in e["secondaryMuscles"] for e in dropped)
    assert row["exercises_skipped"] == len(alone)
    assert f"dropped from {len(dropped)} exercises" in row["what"]
    # those that name other muscles too are imported without the neck, and say so
    for e in dropped:
        if e not in alone:
            assert "not modelled, dropped: neck" in result.catalogue[f"fedb:{e['id']}"].rationale


@needs_real_file
def test_source_muscle_names_match_the_mapping(raw: list[dict[str, Any]]) -> None:
    names = {m for e in raw for m in e["primaryMuscles"] + e["secondaryMuscles"]}
    assert names == set(MUSCLES)
    assert set(FreeDbMapping.load().muscles) == set(MUSCLES)


# ============================================================================ fixtures


def _entry(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "Test_Row",
        "name": "Test Row",
        "force": "pull",
        "level": "beginner",
        "mechanic": "compound",
        "equipment": "barbell",
        "primaryMuscles": ["middle back"],
        "secondaryMuscles": ["biceps"],
        "instructions": [],
        "category": "strength",
        "images": [],
    }
    base.update(over)
    return base


def _write(tmp_path: Path, payload: Any, name: str = "ex.json") -> Path:
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return path


def test_small_file_round_trip(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _entry(),
            _entry(id="Neck_Harness", name="Neck Harness", primaryMuscles=["neck"], secondaryMuscles=[]),
            _entry(id="Hamstring_Stretch", name="Hamstring Stretch", category="stretching"),
            _entry(id="Test_Row", name="Test Row again"),
            _entry(
                id="Pushups",
                name="Pushups",
                force="push",
                equipment="body only",
                primaryMuscles=["chest"],
                secondaryMuscles=["shoulders", "triceps", "neck"],
            ),
        ],
    )
    r = read_free_exercise_db(path)
    assert (r.rows_read, r.rows_used, len(r.skipped)) == (5, 2, 3)
    assert dict(r.catalogue["fedb:Test_Row"].activation) == {
        "rhomboids": 1.0,
        "lower_traps": 0.5,
        "biceps": 0.5,
    }
    push = r.catalogue["fedb:Pushups"]
    assert dict(push.activation) == {"pecs": 1.0, "front_delts": 0.5, "side_delts": 0.25, "triceps": 0.5}
    assert (
        push.pattern == "horizontal_push" and push.load == "bodyweight" and push.bodyweight_fraction == 0.64
    )
    assert "not modelled, dropped: neck" in push.rationale
    reasons = dict(zip(r.skipped["index"], r.skipped["reason"], strict=True))
    assert reasons[1].startswith("no muscle that maps onto the graph")
    assert reasons[2].startswith("category 'stretching' is not resistance training")
    assert reasons[3].startswith("duplicate id: entry [0]")
    neck = r.unmapped_muscles.set_index("muscle").loc["neck"]
    assert (neck["exercises"], neck["as_primary"], neck["as_secondary"], neck["exercises_skipped"]) == (
        2,
        1,
        1,
        1,
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"nope\.json: no such file"):
        read_free_exercise_db(tmp_path / "nope.json")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="is a directory"):
        read_free_exercise_db(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'[{"name": "Caf\xe9"}]')
    with pytest.raises(FileFormatError, match=r"latin1\.json: not UTF-8"):
        read_free_exercise_db(path)


def test_not_json(tmp_path: Path) -> None:
    path = _write(tmp_path, '[{"id": "A",\n "name": oops}]', "broken.json")
    with pytest.raises(FileFormatError, match=r"broken\.json: not valid JSON: .* line 2"):
        read_free_exercise_db(path)


@pytest.mark.parametrize(
    ("payload", "kind"),
    [({"exercises": []}, "object"), ("just text", "string"), (42, "number"), (None, "null")],
)
def test_top_level_not_a_list(tmp_path: Path, payload: Any, kind: str) -> None:
    path = _write(tmp_path, json.dumps(payload), "top.json")
    with pytest.raises(
        FileFormatError, match=rf"top\.json: expected a JSON array of exercise objects.*got a JSON {kind}"
    ):
        read_free_exercise_db(path)


def test_empty_list(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"empty\.json: the JSON array is empty"):
        read_free_exercise_db(_write(tmp_path, [], "empty.json"))


def test_list_of_non_objects(tmp_path: Path) -> None:
    path = _write(tmp_path, [_entry(), "Deadlift"], "mixed.json")
    with pytest.raises(
        FileFormatError, match=r"mixed\.json: entry \[1\]: expected a JSON object, got a JSON string"
    ):
        read_free_exercise_db(path)


def test_missing_required_key_names_index_and_id(tmp_path: Path) -> None:
    bad = _entry(id="No_Muscles")
    del bad["primaryMuscles"]
    path = _write(tmp_path, [_entry(), bad], "missing.json")
    with pytest.raises(FileFormatError) as info:
        read_free_exercise_db(path)
    msg = str(info.value)
    assert (
        "missing.json" in msg and "entry [1]" in msg and "'No_Muscles'" in msg and "'primaryMuscles'" in msg
    )


def test_missing_id_names_the_index(tmp_path: Path) -> None:
    bad = _entry()
    del bad["id"]
    del bad["category"]
    path = _write(tmp_path, [bad], "noid.json")
    with pytest.raises(
        FileFormatError, match=r"noid\.json: entry \[0\]: missing required keys 'id', 'category'"
    ):
        read_free_exercise_db(path)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("primaryMuscles", "chest", r"'primaryMuscles' must be a list"),
        ("secondaryMuscles", ["pecs"], r"'secondaryMuscles' holds 'pecs', not a free-exercise-db muscle"),
        ("category", "yoga", r"'category' must be one of"),
        ("force", "twist", r"'force' must be one of push, pull, static or null"),
        ("mechanic", 3, r"'mechanic' must be one of"),
        ("equipment", "smith machine", r"'equipment' must be one of"),
        ("name", "", r"'name' must be a non-empty string"),
        ("id", "has space", r"'id' 'has space' must match"),
        ("id", 7, r"'id' must be a non-empty string"),
    ],
)
def test_bad_values_name_index_and_id(tmp_path: Path, field: str, value: Any, match: str) -> None:
    bad = _entry(id="Bad_One")
    bad[field] = value
    path = _write(tmp_path, [_entry(), bad], "bad.json")
    with pytest.raises(FileFormatError, match=r"bad\.json: entry \[1\]") as info:
        read_free_exercise_db(path)
    assert info.match(match)
    if isinstance(value, str) and field == "id":
        assert "has space" in str(info.value)
    elif field != "id":
        assert "(id 'Bad_One')" in str(info.value)


def test_null_and_absent_optional_fields(tmp_path: Path) -> None:
    entry = _entry(force=None, mechanic=None, equipment=None)
    del entry["level"], entry["images"], entry["instructions"]
    r = read_free_exercise_db(_write(tmp_path, [entry]))
    ex = r.catalogue["fedb:Test_Row"]
    assert ex.equipment == "other" and ex.load == "external"
    assert ex.pattern == "horizontal_pull"


# ============================================================================ mapping and patterns


def _mapping_table() -> dict[str, Any]:
    """The shipped mapping as a parsed table, to break one thing at a time."""
    return TomlSource(MAPPING_PATH).data


def test_mapping_rejects_unknown_target() -> None:
    table = _mapping_table()
    table["muscle"][0]["targets"] = {"six_pack": 1.0}
    with pytest.raises(FileFormatError, match="'six_pack' is not a muscle of the graph"):
        FreeDbMapping.load(table)


def test_mapping_rejects_share_above_one() -> None:
    table = _mapping_table()
    table["muscle"][0]["targets"] = {"abs": 1.5}
    with pytest.raises(FileFormatError, match=r"must be a number in \(0, 1\]"):
        FreeDbMapping.load(table)


def test_mapping_must_cover_every_muscle() -> None:
    table = _mapping_table()
    table["muscle"] = [m for m in table["muscle"] if m["name"] != "neck"]
    with pytest.raises(FileFormatError, match="no \\[\\[muscle\\]\\] for 'neck'"):
        FreeDbMapping.load(table)


def test_mapping_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "map.toml"
    bad.write_text("[weights\nprimary = 1", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"map\.toml: malformed TOML"):
        read_free_exercise_db(_write(tmp_path, [_entry()]), mapping=bad)


@pytest.mark.parametrize(
    ("name", "force", "mechanic", "primary", "expected"),
    [
        ("Barbell Deadlift", "pull", "compound", ["lower back"], "hinge"),
        ("Barbell Full Squat", "push", "compound", ["quadriceps"], "squat"),
        ("Dumbbell Lunges", "push", "compound", ["quadriceps"], "lunge"),
        ("Pullups", "pull", "compound", ["lats"], "vertical_pull"),
        ("Seated Cable Rows", "pull", "compound", ["middle back"], "horizontal_pull"),
        ("Barbell Bench Press - Medium Grip", "push", "compound", ["chest"], "horizontal_push"),
        ("Seated Dumbbell Press", "push", "compound", ["shoulders"], "vertical_push"),
        ("Farmer's Walk", None, "compound", ["forearms"], "carry"),
        ("Crunches", "pull", "isolation", ["abdominals"], "core"),
        ("Barbell Curl", "pull", "isolation", ["biceps"], "isolation"),
        ("Calf Press On The Leg Press Machine", "push", "isolation", ["calves"], "isolation"),
        ("Butt Lift (Bridge)", "push", "isolation", ["glutes"], "hinge"),
        ("Mystery Move", "push", "compound", ["chest"], "horizontal_push"),
        ("Mystery Move", None, None, ["biceps"], "isolation"),
    ],
)
def test_derive_pattern(
    name: str, force: str | None, mechanic: str | None, primary: list[str], expected: str
) -> None:
    pattern, _how = derive_pattern(name, force, mechanic, primary)
    assert pattern == expected
