"""The validation suite: every row of VALIDATION.md has a data file, the files are well formed,
and each finding is reproduced within its published tolerance (one test per row).

Rows the default model (size_neural) misses are xfail(strict=True) with the simulated values in
the reason (``chainload validate`` prints them): a finding the model cannot meet stays in the
suite, failing, until the model meets it. Tolerances are never loosened.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import chainload as cl
from chainload import validation
from chainload.cli import main
from chainload.trial import Trial

SHARED = Path(__file__).resolve().parents[3] / "shared" / "VALIDATION.md"

# The default model's misses, with the simulated values (chainload validate).
XFAIL = {
    "IND-1": "largest 1RM change (%) = 191.3 (needs [200, 250]): with Hubal's sex mix (58.5 % women, neural_max x 1.6) the widest responder still falls short; not the draw: the typical largest of 585 is ~190 % too (test_ind1_typical_largest_change; docs/model.md 'Known tensions')",
}
SLOW = {"VOL-1", "VOL-3", "VOL-5", "DET-1", "FFM-5"}  # over ~1.5 s idle, ~3 s on a loaded machine


def _shared_ids() -> list[str]:
    for path in (SHARED, Path("/work/shared/VALIDATION.md")):
        if path.exists():
            return re.findall(r"^\| ([A-Z]+-\d+) \|", path.read_text(encoding="utf-8"), flags=re.M)
    pytest.skip(
        "../shared/VALIDATION.md is not on this machine: the id list is checked against validation.IDS only"
    )


def test_every_validation_row_has_a_data_file():
    ids = _shared_ids()
    assert len(ids) == 24 and ids == list(validation.IDS)  # the same rows, in VALIDATION.md's order


def test_the_repository_keeps_the_ids_and_one_file_per_id():
    files = sorted(validation.VALIDATION_DIR.glob("*.toml"))
    loaded = [validation.load(f) for f in files]
    assert sorted(r.id for r in loaded) == sorted(validation.IDS)
    for r in loaded:
        assert r.path.stem == r.id.lower()
        assert r.source and r.target and r.finding
        if r.kind != "not_applicable":
            assert r.checks
        if r.doi:
            assert r.doi.startswith("10.")
    # every meta-analytic row says how it is encoded as a representative trial
    for i in ("VOL-1", "VOL-4", "VOL-5", "VOL-6", "LOAD-2", "FREQ-3", "DET-1", "STAT-2"):
        assert "representative" in str(next(r for r in loaded if r.id == i).data.get("encoding", ""))


@pytest.mark.parametrize(
    "row_id",
    [
        pytest.param(
            i,
            marks=[
                *([pytest.mark.xfail(strict=True, reason=XFAIL[i])] if i in XFAIL else []),
                *([pytest.mark.slow] if i in SLOW else []),
            ],
        )
        for i in validation.IDS
    ],
)
def test_finding(row_id):
    table = validation.run([row_id])
    failed = table[~table["pass"]]
    assert failed.empty, "; ".join(
        f"{r.check} = {r.simulated:.4g} (needs {r.tolerance})" for r in failed.itertuples()
    )


IND1_ATHLETES = 20 * 585


@pytest.mark.xfail(
    strict=True,
    reason="IND-1: the typical largest 1RM change of 585 athletes is 190 % (needs [200, 250]; the "
    "99.88th percentile of 11,700); the model's mean gain (+41.6 %) at its CV (0.60) puts it there "
    "(docs/model.md 'Known tensions')",
)
def test_ind1_typical_largest_change():
    """IND-1's "up to about +200–250 %" read without the luck of one draw: the largest of one sample
    of 585 swings with the seed (185–275 % at seeds 17, 1, 2, 3). The median of the largest of 585
    independent draws is the population's 0.5^(1/585) quantile (the 99.88th percentile), estimated
    here from one trial of 20 × 585 athletes at the file's seed: it must lie in the band."""
    row = validation.rows(["IND-1"])[0]
    t, _ = validation.run_trials(row, n=IND1_ATHLETES)
    pct = t.values("elbow flexors", "1rm:preacher_curl")["change_pct"].to_numpy()
    typical = float(np.quantile(pct, 0.5 ** (1 / 585)))
    assert 200 <= typical <= 250, typical


def test_not_applicable_rows_need_their_reason(tmp_path):
    """No shipped row is not applicable any more (FFM-5 is checked on the fit report); the kind
    stays, and such a row must say why."""
    p = tmp_path / "x-1.toml"
    p.write_text('id = "X-1"\nfinding = "f"\ntarget = "t"\nsource = "s"\nkind = "not_applicable"\n')
    with pytest.raises(cl.FileFormatError, match="a not_applicable row needs its 'reason'"):
        validation.load(p)


@pytest.mark.slow  # 3 s: fits every synthetic lifter of the report
def test_ffm5_is_checked_on_the_fit_report():
    """FFM-5 (Marchal et al. 2025): out-of-sample error apart from in-sample fit, unidentified
    parameters flagged, measured by athlete_fit.fit_report on 30 synthetic lifters."""
    t = validation.run(["FFM-5"])
    assert len(t) == 3 and t["pass"].all(), t[["check", "simulated", "tolerance"]]


def test_the_table_runs_for_the_reference_models():
    """RATIO-2 (no training: catalogue standards leg curl 0.48 / leg extension 0.8 x body mass
    = 0.6, the leg curl's calibrated to RATIO-2, docs/balance.md 4) and MEAS-1 (an arm without training) do not depend on the model."""
    for model in ("banister", "busso", "saturating"):
        t = validation.run(["RATIO-2", "MEAS-1"], n=200, model=model)
        assert (t["model"] == model).all() and t["pass"].all()
        assert t.loc[t["id"] == "RATIO-2", "simulated"].iloc[0] == pytest.approx(0.48 / 0.8)


def test_the_table_columns():
    t = validation.run(["RATIO-4"])
    assert list(t.columns) == [
        "id", "check", "finding", "published", "simulated", "tolerance", "pass", "model", "note", "low", "high",
    ]  # fmt: skip
    assert (t["low"].iloc[0], t["high"].iloc[0]) == (0.8, 1.15)
    # default athlete: bench 1.0 / pull-up 1.25 x body mass (exercises.toml standards)
    assert t["simulated"].iloc[0] == pytest.approx(1.0 / 1.25)
    assert t["tolerance"].iloc[0] == "[0.8, 1.15]"


def test_bad_validation_files_name_the_file_and_the_field(tmp_path):
    good = (validation.VALIDATION_DIR / "meas-1.toml").read_text(encoding="utf-8")
    cases = {
        'status = "elite"': (
            "[population]\n",
            '[population]\nstatus = "elite"\n',
            r"population\.status: 'elite' is not a training status",
        ),
        "unknown statistic": (
            'statistic = "retest_cv"',
            'statistic = "retest_sd"',
            r"statistic 'retest_sd' is not one of",
        ),
        "unknown arm": ('arm = "no training"', 'arm = "no trainin"', r"arm = 'no trainin' is not an arm"),
        "kind": ('kind = "trial"', 'kind = "meta"', r"kind 'meta' is not one of"),
        "missing id": ('id = "MEAS-1"', "", r"missing or empty field 'id'"),
        "share_female": (
            "[population]\n",
            "[population]\nshare_female = 1.2\n",
            r"population\.share_female must be a number in \[0, 1\], got 1\.2",
        ),
    }
    for name, (old, new, match) in cases.items():
        path = tmp_path / "bad.toml"
        path.write_text(good.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(cl.ValidationError, match=match) as e:
            validation.load(path)
        assert "bad.toml" in str(e.value), name
    with pytest.raises(cl.UnknownNameError, match="unknown validation id 'NOPE-7'"):
        validation.run(["NOPE-7"])
    with pytest.raises(cl.ValidationError, match="a trial of 0 athletes"):
        validation.run(["MEAS-1"], n=0)


def test_women_minus_men_statistic_by_hand():
    """female_minus_male_pct on a hand-made trial: women +20 % and +40 % (mean 30), men +10 %
    and +0 % (mean 5): 30 - 5 = 25 percentage points; without men it is NaN (fails)."""
    frame = pd.DataFrame(
        {
            "arm": ["a"] * 4,
            "athlete": [0, 1, 2, 3],
            "outcome": ["1rm:preacher_curl"] * 4,
            "pre": [10.0, 10.0, 20.0, 20.0],
            "post": [12.0, 14.0, 22.0, 20.0],
            "sex": ["female", "female", "male", "male"],
        }
    )
    c = {"statistic": "female_minus_male_pct", "arm": "a", "outcome": "1rm:preacher_curl"}
    assert validation._arm_stat(Trial(frame), "female_minus_male_pct", c) == pytest.approx(25.0)
    women = Trial(frame.assign(sex="female"))
    assert math.isnan(validation._arm_stat(women, "female_minus_male_pct", c))


def test_a_seed_replaces_the_files_seed():
    """IND-1's file seed is 17: run(seed=17) is the same table, another seed another draw."""
    same = validation.run(["IND-1"], n=100, seed=17)["simulated"].to_numpy()
    np.testing.assert_array_equal(same, validation.run(["IND-1"], n=100)["simulated"].to_numpy())
    assert not np.array_equal(same, validation.run(["IND-1"], n=100, seed=18)["simulated"].to_numpy())


def test_chainload_validate_exit_status(capsys):
    assert main(["validate", "--ids", "RATIO-2", "RATIO-4"]) == 0
    out = capsys.readouterr().out
    assert "RATIO-2" in out and "2 of 2 findings pass (3 of 3 checks)" in out
    # Banister has no load dependence, so it misses LOAD-3: a failing row gives exit status 1
    assert main(["validate", "--model", "banister", "--ids", "LOAD-3", "RATIO-2"]) == 1
    assert "1 of 2 findings pass" in capsys.readouterr().out
    assert main(["validate", "--ids", "NOPE-7"]) == 1
    assert "unknown validation id 'NOPE-7'" in capsys.readouterr().err
