"""A numba port of the closed loop (Banister), the peer of benchmarks/numpy_closed_loop.py.

The same model and the same arithmetic as the numpy reference (and cpp/src/simulator.cpp with
``record=False``), written as a numba user would port it: one athlete per ``prange`` iteration,
its state in small arrays, every decision a scalar branch. The program is packed into flat arrays
first (prescriptions, schedule, the limiting and activated muscles of each exercise as CSR).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

import numpy_closed_loop as ref

INTENSITY = {"kg": 0, "percent": 1, "rir": 2, "bodyweight": 3}
RULE = {"none": 0, "linear": 1, "double": 2, "wave": 3, "rpe": 4}


def pack(compiled: ref.CompiledProgram, activation: np.ndarray, limit_weight: float = 0.5) -> tuple:
    """The compiled program as flat arrays for the kernel."""
    rx = compiled.prescriptions
    n_ex = activation.shape[0]
    wave_len = np.array([max(len(p.wave), 1) for p in rx], dtype=np.int64)
    wave = np.zeros((len(rx), int(wave_len.max())))
    for i, p in enumerate(rx):
        wave[i, : len(p.wave)] = p.wave
    lim_ptr, lim_idx, mus_ptr, mus_idx, mus_w = [0], [], [0], [], []
    for e in range(n_ex):
        lim = ref._limiting(activation, e, limit_weight)
        lim_idx += lim.tolist()
        lim_ptr.append(len(lim_idx))
        act = np.flatnonzero(activation[e] > 0.0)
        mus_idx += act.tolist()
        mus_w += activation[e, act].tolist()
        mus_ptr.append(len(mus_idx))
    ints = np.array(
        [
            [
                p.exercise,
                p.sets,
                p.reps_low,
                p.reps_high,
                INTENSITY[p.intensity],
                RULE[p.rule],
                p.per_week,
                p.deload_after,
            ]
            for p in rx
        ],
        dtype=np.int64,
    )
    floats = np.array([[p.value, p.increment, p.deload_fraction, p.min_kg, p.round_kg] for p in rx])
    return (
        ints,
        floats,
        wave,
        wave_len,
        compiled.day,
        compiled.prescription,
        compiled.n_days,
        compiled.deload_week,
        compiled.deload_sets,
        compiled.deload_load,
        np.array(lim_ptr, dtype=np.int64),
        np.array(lim_idx, dtype=np.int64),
        np.array(mus_ptr, dtype=np.int64),
        np.array(mus_idx, dtype=np.int64),
        np.array(mus_w),
        np.array(compiled.used_exercises, dtype=np.int64),
    )


@njit(inline="always")
def _round_half_away(x):
    t = np.trunc(x)
    return t + (np.sign(x) if abs(x - t) >= 0.5 else 0.0)


@njit(inline="always")
def _lift(fit, fat, k1, k2, lim_ptr, lim_idx, ex):
    if lim_ptr[ex + 1] == lim_ptr[ex]:
        return 1.0
    low = np.inf
    for q in range(lim_ptr[ex], lim_ptr[ex + 1]):
        m = lim_idx[q]
        low = min(low, 1.0 + k1[m] * fit[m] - k2[m] * fat[m])
    return max(low, 0.05)


@njit(parallel=True, cache=True)
def simulate(
    ints, floats, wave, wave_len, sday, srx, n_days, deload_week, deload_sets, deload_load,
    lim_ptr, lim_idx, mus_ptr, mus_idx, mus_w, used,
    one_rm_all, body_all, k1_all, k2_all, tau1_all, tau2_all,
    round_kg=2.5, default_rir=2.0,
):  # fmt: skip
    n, n_mu = k1_all.shape
    n_rx, n_sched = ints.shape[0], sday.size
    final_capacity = np.empty((n, n_mu))
    final_one_rm = np.empty((n, used.size))
    total_dose = np.zeros((n, n_mu))
    peak_fatigue = np.zeros(n)
    failures = np.zeros(n)
    for a in prange(n):
        k1, k2 = k1_all[a], k2_all[a]
        e1, e2 = np.exp(-1.0 / tau1_all[a]), np.exp(-1.0 / tau2_all[a])
        one_rm, body = one_rm_all[a], body_all[a]
        fit, fat, w, total = np.zeros(n_mu), np.zeros(n_mu), np.zeros(n_mu), total_dose[a]
        load, wave_added = np.empty(n_rx), np.zeros(n_rx)
        target, streak, s_week = np.empty(n_rx, np.int64), np.zeros(n_rx, np.int64), np.full(n_rx, -1)
        last_ok, last_deload, cycle_failed = (
            np.ones(n_rx, np.bool_),
            np.zeros(n_rx, np.bool_),
            np.zeros(n_rx, np.bool_),
        )
        for r in range(n_rx):
            ex = ints[r, 0]
            load[r] = floats[r, 0] / 100.0 * one_rm[ex] if ints[r, 4] == 1 else body[ex] + floats[r, 0]
            target[r] = ints[r, 2]
        lift_day = np.full(one_rm.size, -1)
        lift = np.ones(one_rm.size)
        peak, fails, nxt = 0.0, 0, 0
        for t in range(n_days):
            for m in range(n_mu):
                fit[m] *= e1[m]
                fat[m] *= e2[m]
            if nxt < n_sched and sday[nxt] == t:
                w[:] = 0.0
                week = t // 7
                deload = deload_week[week]
                while nxt < n_sched and sday[nxt] == t:
                    r = srx[nxt]
                    nxt += 1
                    ex, p_sets, reps_low, reps_high, intensity, rule, per_week, deload_after = ints[r]
                    value, increment, deload_fraction, min_kg, step_kg = floats[r]
                    if lift_day[ex] != t:
                        lift[ex] = _lift(fit, fat, k1, k2, lim_ptr, lim_idx, ex)
                        lift_day[ex] = t
                    rm, bw = one_rm[ex], body[ex]
                    rm_now = rm * lift[ex]
                    if week > s_week[r]:
                        if rule == 1 and per_week and s_week[r] >= 0 and not last_deload[r] and last_ok[r]:
                            load[r] += increment
                        if rule == 3 and week > 0 and week % wave_len[r] == 0:
                            if not cycle_failed[r]:
                                wave_added[r] += increment
                            cycle_failed[r] = False
                        s_week[r] = week
                    autoregulated = intensity == 2 or rule == 4
                    if rule == 3:
                        kg = wave[r, week % wave_len[r]] / 100.0 * rm + wave_added[r]
                    elif autoregulated:
                        rir = value if intensity == 2 else default_rir
                        kg = (37.0 - min(max(target[r] + rir, 1.0), 36.0)) / 36.0 * rm_now
                    else:
                        kg = load[r]
                    sets = float(p_sets)
                    if deload:
                        sets = float(max(1, int(_round_half_away(p_sets * deload_sets))))
                        kg = bw + (kg - bw) * deload_load
                    added = kg - bw
                    step = step_kg if step_kg >= 0.0 else round_kg  # the equipment's step, or round_kg
                    if step > 0.0:
                        added = _round_half_away(added / step) * step
                    kg = max(bw + added, max(min_kg, 0.0))
                    fraction = kg / rm_now
                    if np.isnan(fraction):
                        possible = 0.0
                    elif fraction <= 0.0:
                        possible = 36.0
                    else:
                        possible = min(max(37.0 - 36.0 * fraction, 0.0), 36.0)
                    achieved = min(float(target[r]), np.floor(possible + 1e-9))
                    failed = achieved < target[r]
                    effort = min(max((10.0 - max(possible - achieved, 0.0)) / 6.0, 0.0), 1.0)
                    for q in range(mus_ptr[ex], mus_ptr[ex + 1]):
                        w[mus_idx[q]] += sets * effort * mus_w[q]
                    fails += failed
                    cycle_failed[r] |= failed
                    if not deload:
                        if deload_after > 0 and not autoregulated:
                            streak[r] = streak[r] + 1 if failed else 0
                            if streak[r] >= deload_after:
                                if rule == 3:  # a deload cuts the added load only, never the body
                                    wave_added[r] -= deload_fraction * max(kg - bw, 0.0)
                                else:
                                    extra = load[r] - bw
                                    if extra > 0.0:
                                        load[r] = max(bw + extra * (1.0 - deload_fraction), min_kg)
                                    else:
                                        load[r] = max(load[r], min_kg)
                                streak[r] = 0
                        elif not failed:
                            streak[r] = 0
                        if rule == 1 and not per_week and not failed:
                            load[r] += increment
                        if rule == 2 and not failed:
                            if target[r] >= reps_high:
                                load[r] += increment
                                target[r] = reps_low
                            else:
                                target[r] += 1
                    last_ok[r] = not failed
                    last_deload[r] = deload
                    load[r] = max(load[r], min_kg)
                    load[r] = max(load[r], min_kg)
                for m in range(n_mu):
                    fit[m] += w[m]
                    fat[m] += w[m]
                    total[m] += w[m]
            for m in range(n_mu):
                peak = max(peak, k2[m] * fat[m])
        for m in range(n_mu):
            final_capacity[a, m] = 1.0 + k1[m] * fit[m] - k2[m] * fat[m]
        for j in range(used.size):
            final_one_rm[a, j] = one_rm[used[j]] * _lift(fit, fat, k1, k2, lim_ptr, lim_idx, used[j])
        peak_fatigue[a] = peak
        failures[a] = fails
    return final_capacity, final_one_rm, total_dose, peak_fatigue, failures


LANES = 64  # athletes per block of the struct-of-arrays kernel


@njit(parallel=True, cache=True)
def simulate_soa(
    ints, floats, wave, wave_len, sday, srx, n_days, deload_week, deload_sets, deload_load,
    lim_ptr, lim_idx, mus_ptr, mus_idx, mus_w, used,
    one_rm_all, body_all, k1_all, k2_all, tau1_all, tau2_all,
    round_kg=2.5, default_rir=2.0,
):  # fmt: skip
    """The same loop with the state laid out as struct-of-arrays over a block of athletes: each
    step runs over the block's lanes in its innermost loop, which LLVM vectorises."""
    n, n_mu = k1_all.shape
    n_rx, n_sched = ints.shape[0], sday.size
    final_capacity = np.empty((n, n_mu))
    final_one_rm = np.empty((n, used.size))
    total_dose = np.zeros((n, n_mu))
    peak_fatigue = np.zeros(n)
    failures = np.zeros(n)
    for blk in prange((n + LANES - 1) // LANES):
        lo = blk * LANES
        nl = min(LANES, n - lo)
        # (muscle, lane) and (exercise or prescription, lane) blocks, lanes contiguous
        k1 = np.ascontiguousarray(k1_all[lo : lo + nl].T)
        k2 = np.ascontiguousarray(k2_all[lo : lo + nl].T)
        e1 = np.exp(-1.0 / np.ascontiguousarray(tau1_all[lo : lo + nl].T))
        e2 = np.exp(-1.0 / np.ascontiguousarray(tau2_all[lo : lo + nl].T))
        one_rm = np.ascontiguousarray(one_rm_all[lo : lo + nl].T)
        body = np.ascontiguousarray(body_all[lo : lo + nl].T)
        fit, fat = np.zeros((n_mu, nl)), np.zeros((n_mu, nl))
        w, total = np.zeros((n_mu, nl)), np.zeros((n_mu, nl))
        load, wave_added = np.empty((n_rx, nl)), np.zeros((n_rx, nl))
        target, streak = np.empty((n_rx, nl)), np.zeros((n_rx, nl))
        last_ok, cycle_failed = np.ones((n_rx, nl), np.bool_), np.zeros((n_rx, nl), np.bool_)
        s_week, last_deload = np.full(n_rx, -1), np.zeros(n_rx, np.bool_)  # the same for every lane
        for r in range(n_rx):
            ex = ints[r, 0]
            for j in range(nl):
                if ints[r, 4] == 1:
                    load[r, j] = floats[r, 0] / 100.0 * one_rm[ex, j]
                else:
                    load[r, j] = body[ex, j] + floats[r, 0]
                target[r, j] = ints[r, 2]
        lift_day = np.full(one_rm.shape[0], -1)
        lift = np.ones((one_rm.shape[0], nl))
        kg, possible, achieved = np.empty(nl), np.empty(nl), np.empty(nl)
        peak, fails = np.zeros(nl), np.zeros(nl)
        nxt = 0
        for t in range(n_days):
            for m in range(n_mu):
                for j in range(nl):
                    fit[m, j] *= e1[m, j]
                    fat[m, j] *= e2[m, j]
            if nxt < n_sched and sday[nxt] == t:
                w[:] = 0.0
                week = t // 7
                deload = deload_week[week]
                while nxt < n_sched and sday[nxt] == t:
                    r = srx[nxt]
                    nxt += 1
                    ex, p_sets, reps_low, reps_high, intensity, rule, per_week, deload_after = ints[r]
                    value, increment, deload_fraction, min_kg, step_kg = floats[r]
                    if lift_day[ex] != t:
                        lift_day[ex] = t
                        if lim_ptr[ex + 1] == lim_ptr[ex]:
                            lift[ex, :] = 1.0
                        else:
                            lift[ex, :] = np.inf
                            for q in range(lim_ptr[ex], lim_ptr[ex + 1]):
                                m = lim_idx[q]
                                for j in range(nl):
                                    lift[ex, j] = min(
                                        lift[ex, j], 1.0 + k1[m, j] * fit[m, j] - k2[m, j] * fat[m, j]
                                    )
                            for j in range(nl):
                                lift[ex, j] = max(lift[ex, j], 0.05)
                    new_week = week > s_week[r]
                    if new_week:
                        if rule == 1 and per_week and s_week[r] >= 0 and not last_deload[r]:
                            for j in range(nl):
                                if last_ok[r, j]:
                                    load[r, j] += increment
                        if rule == 3 and week > 0 and week % wave_len[r] == 0:
                            for j in range(nl):
                                if not cycle_failed[r, j]:
                                    wave_added[r, j] += increment
                                cycle_failed[r, j] = False
                        s_week[r] = week
                    autoregulated = intensity == 2 or rule == 4
                    rir = value if intensity == 2 else default_rir
                    sets = float(p_sets)
                    if deload:
                        sets = float(max(1, int(_round_half_away(p_sets * deload_sets))))
                    for j in range(nl):
                        rm_now = one_rm[ex, j] * lift[ex, j]
                        if rule == 3:
                            x = wave[r, week % wave_len[r]] / 100.0 * one_rm[ex, j] + wave_added[r, j]
                        elif autoregulated:
                            x = (37.0 - min(max(target[r, j] + rir, 1.0), 36.0)) / 36.0 * rm_now
                        else:
                            x = load[r, j]
                        bw = body[ex, j]
                        if deload:
                            x = bw + (x - bw) * deload_load
                        added = x - bw
                        step = step_kg if step_kg >= 0.0 else round_kg  # the equipment's step, or round_kg
                        if step > 0.0:
                            added = _round_half_away(added / step) * step
                        x = max(bw + added, max(min_kg, 0.0))
                        kg[j] = x
                        fraction = x / rm_now
                        if np.isnan(fraction):
                            pos = 0.0
                        elif fraction <= 0.0:
                            pos = 36.0
                        else:
                            pos = min(max(37.0 - 36.0 * fraction, 0.0), 36.0)
                        possible[j] = pos
                        achieved[j] = min(target[r, j], np.floor(pos + 1e-9))
                    for q in range(mus_ptr[ex], mus_ptr[ex + 1]):
                        m, a = mus_idx[q], mus_w[q]
                        for j in range(nl):
                            effort = min(max((10.0 - max(possible[j] - achieved[j], 0.0)) / 6.0, 0.0), 1.0)
                            w[m, j] += sets * effort * a
                    for j in range(nl):
                        failed = achieved[j] < target[r, j]
                        fails[j] += failed
                        cycle_failed[r, j] |= failed
                        if not deload:
                            if deload_after > 0 and not autoregulated:
                                streak[r, j] = streak[r, j] + 1 if failed else 0
                                if streak[r, j] >= deload_after:
                                    if rule == 3:  # a deload cuts the added load only, never the body
                                        wave_added[r, j] -= deload_fraction * max(kg[j] - body[ex, j], 0.0)
                                    else:
                                        extra = load[r, j] - body[ex, j]
                                        if extra > 0.0:
                                            load[r, j] = max(
                                                body[ex, j] + extra * (1.0 - deload_fraction), min_kg
                                            )
                                        else:
                                            load[r, j] = max(load[r, j], min_kg)
                                    streak[r, j] = 0
                            elif not failed:
                                streak[r, j] = 0
                            if rule == 1 and not per_week and not failed:
                                load[r, j] += increment
                            if rule == 2 and not failed:
                                if target[r, j] >= reps_high:
                                    load[r, j] += increment
                                    target[r, j] = reps_low
                                else:
                                    target[r, j] += 1
                        last_ok[r, j] = not failed
                        load[r, j] = max(load[r, j], min_kg)
                    last_deload[r] = deload
                for m in range(n_mu):
                    for j in range(nl):
                        fit[m, j] += w[m, j]
                        fat[m, j] += w[m, j]
                        total[m, j] += w[m, j]
            for m in range(n_mu):
                for j in range(nl):
                    peak[j] = max(peak[j], k2[m, j] * fat[m, j])
        for j in range(nl):
            a = lo + j
            for m in range(n_mu):
                final_capacity[a, m] = 1.0 + k1[m, j] * fit[m, j] - k2[m, j] * fat[m, j]
                total_dose[a, m] = total[m, j]
            for u in range(used.size):
                ex = used[u]
                if lim_ptr[ex + 1] == lim_ptr[ex]:
                    c = 1.0
                else:
                    c = np.inf
                    for q in range(lim_ptr[ex], lim_ptr[ex + 1]):
                        m = lim_idx[q]
                        c = min(c, 1.0 + k1[m, j] * fit[m, j] - k2[m, j] * fat[m, j])
                    c = max(c, 0.05)
                final_one_rm[a, u] = one_rm[ex, j] * c
            peak_fatigue[a] = peak[j]
            failures[a] = fails[j]
    return final_capacity, final_one_rm, total_dose, peak_fatigue, failures
