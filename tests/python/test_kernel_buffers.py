"""The memory-bound kernels' contracts: the open loop writing into a caller's buffer (``out=``),
column blocking leaving every series' numbers unchanged, and the dose kernel's up-front checks of
its set blocks naming the first bad block, whatever the thread count."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chainload import _core
from chainload.errors import ValidationError

# Banister by hand (docs/model.md: fitness and fatigue decay by exp(-1/tau) a day, today's load
# adds; performance = p0 + k1 fitness - k2 fatigue): loads 1, 0, 2 with tau1 = 10, tau2 = 2.
E1, E2 = math.exp(-1 / 10), math.exp(-1 / 2)
FIT = [1.0, E1, E1 * E1 + 2.0]
FAT = [1.0, E2, E2 * E2 + 2.0]
HAND_PERF = [1.0 + 0.1 * f - 0.2 * g for f, g in zip(FIT, FAT, strict=True)]


def params(n: int) -> tuple[np.ndarray, ...]:
    return np.ones(n), np.full(n, 0.1), np.full(n, 0.2), np.full(n, 10.0), np.full(n, 2.0)


def test_open_loop_writes_into_out_and_returns_it():
    loads = np.array([[1.0], [0.0], [2.0]])
    out = np.full((3, 1), -1.0)
    fit, fat, perf = _core.banister_open_loop(loads, *params(1), True, True, out)
    assert perf is out or np.shares_memory(perf, out)
    np.testing.assert_allclose(out[:, 0], HAND_PERF, rtol=1e-15)
    np.testing.assert_allclose(fit[:, 0], FIT, rtol=1e-15)
    np.testing.assert_allclose(fat[:, 0], FAT, rtol=1e-15)


def test_open_loop_out_with_daily_false_receives_the_last_day():
    loads = np.array([[1.0], [0.0], [2.0]])
    out = np.zeros((1, 1))
    _core.banister_open_loop(loads, *params(1), False, False, out)
    assert out[0, 0] == pytest.approx(HAND_PERF[-1], rel=1e-15)


def test_column_blocks_do_not_change_any_series():
    # 2,500 series cross three column blocks (1,024 series each, an engine choice); series j gets
    # the hand-worked loads scaled by j + 1, and Banister is linear in the loads.
    n = 2500
    scale = np.arange(1, n + 1, dtype=float)
    loads = np.array([[1.0], [0.0], [2.0]]) * scale
    out = np.empty((3, n))
    _core.banister_open_loop(loads, *params(n), False, True, out)
    hand = 1.0 + np.outer(np.array([0.1 * f - 0.2 * g for f, g in zip(FIT, FAT, strict=True)]), scale)
    np.testing.assert_allclose(out, hand, rtol=1e-13, atol=1e-13)
    # and equal, bit for bit, to the same call allocating its own output
    np.testing.assert_array_equal(out, _core.banister_open_loop(loads, *params(n), False)[2])


@pytest.mark.parametrize("n", [1, 2, 7, 1025])
def test_open_loop_outputs_equal_at_every_alignment(n):
    # Columns go in pairs of non-temporal stores from a 16-byte boundary of the outputs, the row's
    # first column alone when a row starts between two, and plain stores when out= sits at another
    # offset than the fresh fitness and fatigue arrays. Every path gives the values of the one-column
    # formulas: compared with the hand-worked series (scaled, as above) and with each other bit for bit.
    scale = np.arange(1, n + 1, dtype=float)
    loads = np.array([[1.0], [0.0], [2.0]]) * scale
    hand = 1.0 + np.outer(np.array([0.1 * f - 0.2 * g for f, g in zip(FIT, FAT, strict=True)]), scale)
    fit, fat, perf = _core.banister_open_loop(loads, *params(n), True)
    np.testing.assert_allclose(perf, hand, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(fit, np.outer(FIT, scale), rtol=1e-15)
    for offset in (0, 1):  # out= 16-byte aligned as numpy allocates it, and 8 bytes off
        out = np.empty(3 * n + 1)[offset : offset + 3 * n].reshape(3, n)
        assert (out.ctypes.data % 16 == 8) == (offset == 1)
        got = _core.banister_open_loop(loads, *params(n), True, True, out)
        for x, y in zip(got, (fit, fat, perf), strict=True):
            np.testing.assert_array_equal(x, y)
        _core.banister_open_loop(loads, *params(n), False, True, out)  # performance alone
        np.testing.assert_array_equal(out, perf)


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (np.zeros((2, 1)), r"out must have shape \(3, 1\), got \(2, 1\)"),
        (np.zeros(3), r"out must have shape \(3, 1\), got \(3,\)"),
        (np.zeros((3, 1), np.float32), "out must have dtype float64, got float32"),
        (np.zeros((3, 2))[:, :1], "out must be C-contiguous"),
        ([[0.0], [0.0], [0.0]], "out must be a numpy array, got list"),
    ],
)
def test_open_loop_bad_out_is_named(out, message):
    loads = np.array([[1.0], [0.0], [2.0]])
    with pytest.raises(ValidationError, match=message):
        _core.banister_open_loop(loads, *params(1), True, True, out)


def test_open_loop_out_read_only_or_overlapping_loads_is_refused():
    loads = np.array([[1.0], [0.0], [2.0]])
    frozen = np.zeros((3, 1))
    frozen.flags.writeable = False
    with pytest.raises(ValidationError, match="out must be writeable"):
        _core.banister_open_loop(loads, *params(1), True, True, frozen)
    with pytest.raises(ValidationError, match="out must not overlap an input"):
        _core.banister_open_loop(loads, *params(1), True, True, loads)
    assert loads[:, 0].tolist() == [1.0, 0.0, 2.0]  # nothing written before the check


# A two-exercise, three-muscle activation table; 1,000 programs of 4 blocks each, so that two
# threads each get programs to check.
TABLE = _core.ActivationTable(np.array([[1.0, 0.5, 0.0], [0.0, 0.25, 1.0]]))
N_PROGRAMS, PER = 1000, 4


def blocks() -> dict[str, np.ndarray]:
    n = N_PROGRAMS * PER
    return {
        "day": np.tile(np.array([0, 2, 7, 9], np.int32), N_PROGRAMS),
        "exercise": np.tile(np.array([0, 1, 0, 1], np.int32), N_PROGRAMS),
        "sets": np.full(n, 3.0),
        "reps": np.full(n, 8.0),
        "kg": np.full(n, 50.0),
        "offsets": np.arange(0, n + 1, PER, dtype=np.int64),
    }


def dose(b: dict[str, np.ndarray], threads: int):
    return _core.dose_batch(
        TABLE, b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 14, 7, threads
    )


def test_dose_valid_blocks_give_the_hand_sums():
    # Week 1: 3 sets of exercise 0 and 3 of exercise 1 -> sets 3 x (1, 0.5, 0) + 3 x (0, 0.25, 1).
    sets, volume = dose(blocks(), 2)
    np.testing.assert_array_equal(sets[0], [3.0, 2.25, 3.0])
    np.testing.assert_array_equal(volume[1], np.array([3.0, 2.25, 3.0]) * 8 * 50)
    np.testing.assert_array_equal(sets, np.tile(sets[:2], (N_PROGRAMS, 1)))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", 14, r"block 2001: day 14 outside \[0, 14\)"),
        ("day", -1, r"block 2001: day -1 outside \[0, 14\)"),
        ("exercise", 2, r"block 2001: exercise index 2 out of range \[0, 2\)"),
        ("exercise", -5, r"block 2001: exercise index -5 out of range \[0, 2\)"),
        (
            "sets",
            -1.0,
            r"block 2001: sets, reps and kg must be finite numbers >= 0.*got -1\.0+, 8\.0+, 50\.0+",
        ),
        ("reps", np.nan, r"block 2001: .*got 3\.0+, nan, 50\.0+"),
        ("kg", np.inf, r"block 2001: .*got 3\.0+, 8\.0+, inf"),
        ("kg", 1e308, r"block 2001: .*finite product"),  # each finite, the volume overflows
    ],
)
def test_dose_first_bad_block_is_named(threads, field, value, message):
    # Bad blocks at 2001 (program 500, first thread's half) and 3001 (second half): the
    # message names 2001 whichever thread meets its bad block first.
    b = blocks()
    b[field][[2001, 3001]] = value
    with pytest.raises(ValidationError, match=message):
        dose(b, threads)


def test_dose_negative_zero_sets_are_valid():
    b = blocks()
    b["sets"][5] = -0.0
    sets, _ = dose(b, 1)
    # program 1, week 1: block 5 (exercise 1) adds -0 sets, leaving exercise 0's 3 x (1, 0.5, 0)
    np.testing.assert_array_equal(sets[2], [3.0, 1.5, 0.0])


def test_dose_writes_into_out_and_returns_it():
    b = blocks()
    rows = N_PROGRAMS * 2
    out = (np.full((rows, 3), -1.0), np.full((rows, 3), -1.0))
    sets, volume = _core.dose_batch(
        TABLE, b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 14, 7, 2, out
    )
    assert np.shares_memory(sets, out[0]) and np.shares_memory(volume, out[1])
    np.testing.assert_array_equal(out[0][0], [3.0, 2.25, 3.0])  # overwritten, not added to
    np.testing.assert_array_equal(out[1], dose(b, 1)[1])


@pytest.mark.parametrize("n_muscles", [2, 3, 4, 22])
@pytest.mark.parametrize("offset", [0, 1])
def test_dose_outputs_equal_on_every_store_path(n_muscles, offset):
    # Rows that all start at a 16-byte boundary (an even number of muscles in an aligned array) are
    # written by non-temporal pairs, others by plain stores: the values are the hand sums either
    # way. Exercise 0 activates muscle m at (m + 1) / n, exercise 1 the last muscle fully.
    weights = np.zeros((2, n_muscles))
    weights[0] = (np.arange(n_muscles) + 1) / n_muscles
    weights[1, -1] = 1.0
    table = _core.ActivationTable(weights)
    b = blocks()
    rows = N_PROGRAMS * 2
    # every week: 3 sets of each exercise (3 x 8 x 50 kg of volume), summed in the kernel's order
    want, want_volume = 3.0 * weights[0] + 3.0 * weights[1], 1200.0 * weights[0] + 1200.0 * weights[1]
    for threads in (1, 2):
        buffers = tuple(
            np.empty(rows * n_muscles + 1)[offset:][: rows * n_muscles].reshape(rows, n_muscles)
            for _ in range(2)
        )
        assert (buffers[0].ctypes.data % 16 == 8) == (offset == 1)
        sets, volume = _core.dose_batch(
            table,
            b["day"],
            b["exercise"],
            b["sets"],
            b["reps"],
            b["kg"],
            b["offsets"],
            14,
            7,
            threads,
            buffers,
        )
        np.testing.assert_array_equal(sets, np.tile(want, (rows, 1)))
        np.testing.assert_array_equal(volume, np.tile(want_volume, (rows, 1)))
        fresh = _core.dose_batch(
            table, b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 14, 7, threads
        )
        np.testing.assert_array_equal(fresh[0], sets)


def test_dose_balance_writes_its_ratios_into_out():
    # One ratio column: exercise 0's sets over exercise 1's -> 3 / 3 = 1 in every week.
    b = blocks()
    rows = N_PROGRAMS * 2
    num, den = np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]])
    out = (np.empty((rows, 3)), np.empty((rows, 3)), np.empty((rows, 1)))
    _core.dose_balance_batch(
        TABLE, num, den, b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 14, 7, 1, out
    )
    np.testing.assert_array_equal(out[2], np.ones((rows, 1)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda r, b: (np.empty((r, 3)),), r"out must be a tuple of 2 arrays"),
        (
            lambda r, b: (np.empty((r, 3)), np.empty((r, 4))),
            r"out\[1\] must have shape \(2000, 3\), got \(2000, 4\)",
        ),
        (lambda r, b: (np.empty((r, 3), np.float32), np.empty((r, 3))), "out\\[0\\] must have dtype float64"),
        (lambda r, b: (np.empty((r, 6))[:, :3], np.empty((r, 3))), r"out\[0\] must be C-contiguous"),
        (
            lambda r, b: (sets_inside(r, b), np.empty((r, 3))),
            r"out\[0\] must not overlap an input",
        ),
    ],
)
def test_dose_bad_out_is_named(make, message):
    b = blocks()
    shared = np.empty((N_PROGRAMS * 2, 3))
    with pytest.raises(ValidationError, match=message):
        dose_out(b, make(N_PROGRAMS * 2, b))
    with pytest.raises(ValidationError, match=r"out\[1\] must not overlap an input or another output"):
        dose_out(b, (shared, shared))


def sets_inside(rows: int, b: dict[str, np.ndarray]) -> np.ndarray:
    """A rows x 3 buffer whose first bytes are the blocks' sets (which then live in it)."""
    buffer = np.zeros((rows, 3))
    buffer.reshape(-1)[: b["sets"].size] = b["sets"]
    b["sets"] = buffer.reshape(-1)[: b["sets"].size]
    return buffer


def dose_out(b: dict[str, np.ndarray], out: tuple[np.ndarray, ...]):
    return _core.dose_batch(
        TABLE, b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 14, 7, 1, out
    )
