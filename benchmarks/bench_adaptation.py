"""Open-loop Banister kernel: muscle-day updates per second, against numpy in the same run.

The workload: 2,000 athletes x 22 muscles (44,000 series) x 364 days of random daily loads, each
series with its own parameters; the kernel writes the daily performance of every series. It moves
16 bytes a muscle-day (the load read, the performance written), quoted as a fraction of a
STREAM-like triad measured in the same run (bench_dose.triad_bandwidth, numba: the bench extra),
both with a fresh output array per call and writing into the caller's buffer (``out=``, the
pages already mapped, as the triad's are). Run: python benchmarks/bench_adaptation.py [athletes]
"""

from __future__ import annotations

import sys

import numpy as np

from chainload import _core
from timing import best


def numpy_banister(loads, p0, k1, k2, tau1, tau2):
    """The same update vectorised over series, one numpy step per day."""
    e1, e2 = np.exp(-1 / tau1), np.exp(-1 / tau2)
    fit = np.zeros(loads.shape[1])
    fat = np.zeros(loads.shape[1])
    perf = np.empty_like(loads)
    for t in range(loads.shape[0]):
        fit = fit * e1 + loads[t]
        fat = fat * e2 + loads[t]
        perf[t] = p0 + k1 * fit - k2 * fat
    return perf


def numpy_banister_final(loads, p0, k1, k2, tau1, tau2):
    """The same update keeping only the state: the last day's performance."""
    e1, e2 = np.exp(-1 / tau1), np.exp(-1 / tau2)
    fit = np.zeros(loads.shape[1])
    fat = np.zeros(loads.shape[1])
    for t in range(loads.shape[0]):
        fit *= e1
        fit += loads[t]
        fat *= e2
        fat += loads[t]
    return p0 + k1 * fit - k2 * fat


def main() -> None:
    athletes = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rng = np.random.default_rng(1)
    days, cols = 364, athletes * 22
    loads = rng.uniform(0, 3, (days, cols)) * (rng.random((days, cols)) < 3 / 7)
    p0 = np.ones(cols)
    k1, k2 = rng.uniform(0.001, 0.003, cols), rng.uniform(0.002, 0.006, cols)
    tau1, tau2 = rng.uniform(20, 50, cols), rng.uniform(4, 12, cols)
    updates = days * cols

    t_np, ref = best(lambda: numpy_banister(loads, p0, k1, k2, tau1, tau2))
    t_c, (_, _, perf) = best(lambda: _core.banister_open_loop(loads, p0, k1, k2, tau1, tau2, False))
    np.testing.assert_allclose(perf, ref, rtol=1e-12, atol=1e-12)
    print(f"open-loop Banister, {cols:,} series x {days} days = {updates / 1e6:.1f} M muscle-days")
    print(f"numpy (vectorised over series)   {t_np:7.3f} s   {updates / t_np / 1e6:8.0f} M muscle-days/s")
    print(
        f"chainload (1 thread)             {t_c:7.3f} s   {updates / t_c / 1e6:8.0f} M muscle-days/s   {t_np / t_c:5.1f}x numpy"
    )
    out = np.empty_like(loads)
    t_out, (_, _, perf_out) = best(
        lambda: _core.banister_open_loop(loads, p0, k1, k2, tau1, tau2, False, True, out)
    )
    np.testing.assert_array_equal(perf_out, perf)
    print(
        f"chainload, out= (1 thread)       {t_out:7.3f} s   {updates / t_out / 1e6:8.0f} M muscle-days/s   {t_np / t_out:5.1f}x numpy"
    )
    print("results identical to numpy: yes (rtol 1e-12); with out=: bit for bit")
    try:
        from bench_dose import triad_bandwidth
    except ImportError:  # numba not installed
        triad_bandwidth = None
    if triad_bandwidth is not None:
        bw = triad_bandwidth(1)
        print(f"triad (numba, 1 thread) {bw / 1e9:.2f} GB/s; chainload moves 16 B a muscle-day:")
        for name, t in (("fresh output", t_c), ("out=", t_out)):
            print(
                f"  {name:<13} {16 * updates / t / 1e9:5.2f} GB/s = {16 * updates / t / bw:4.0%} of the triad"
            )
    t_npf, ref_f = best(lambda: numpy_banister_final(loads, p0, k1, k2, tau1, tau2))
    t_cf, (_, _, final) = best(lambda: _core.banister_open_loop(loads, p0, k1, k2, tau1, tau2, False, False))
    np.testing.assert_allclose(final[0], ref_f, rtol=1e-12, atol=1e-12)
    print("state only (the last day's performance; loads still read from memory):")
    print(f"numpy (in-place, vectorised)     {t_npf:7.3f} s   {updates / t_npf / 1e6:8.0f} M muscle-days/s")
    print(
        f"chainload (1 thread)             {t_cf:7.3f} s   {updates / t_cf / 1e6:8.0f} M muscle-days/s   {t_npf / t_cf:5.1f}x numpy"
    )


if __name__ == "__main__":
    main()
