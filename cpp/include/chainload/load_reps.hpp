#pragma once
// The load-reps relation of the whole engine: Brzycki (1993), 1RM = w * 36 / (37 - r)
// (SCIENCE.md 5.1). Chosen over Epley because it is exact at one rep (Epley gives 96.8 % there),
// equals Epley at ten reps (75 %), and bounds the reps possible at light loads (r < 37).
// Written as selects, not early returns, so that a loop over athletes around them vectorises
// (the batched closed loop's progression rules, progression.hpp).
#include "chainload/detail/isa_copy.hpp"

namespace chainload {
inline namespace CHAINLOAD_ISA_COPY {

// x / c rounded as IEEE division rounds it, for the constants below (c = 36 or 6, inv = 1 / c
// rounded) and their callers' dividends (finite, in [-26, 36], never -0). Where the instruction set
// has fused multiply-adds (the AVX2 and AVX-512 kernels): q = x inv is within an ulp of x / c,
// r = x - q c is exact in one FMA, and q + r inv rounds to the correctly rounded quotient
// (Markstein's theorem, IBM J. Res. Dev. 1990;34:111-119): a multiply and two FMAs instead of a
// division, whose 16-cycle throughput a vector of lanes waits on. Elsewhere the division itself:
// the same bits either way (tests/cpp/test_load_reps.cpp compares the two on the dividends' ranges).
inline double divide_by_constant(double x, double c, double inv) {
#if defined(__FMA__)
  const double q = x * inv;
  return __builtin_fma(__builtin_fma(-q, c, x), inv, q);
#else
  (void)inv;
  return x / c;
#endif
}

// The fraction of 1RM that allows `reps_to_failure` reps (clamped to 1 .. 36).
inline double brzycki_fraction(double reps_to_failure) {
  const double r = reps_to_failure < 1.0 ? 1.0 : (36.0 < reps_to_failure ? 36.0 : reps_to_failure);
  return divide_by_constant(37.0 - r, 36.0, 1.0 / 36.0);
}

// The reps possible at `fraction` of 1RM (0 .. 36; 36 at no load, 0 for NaN).
inline double brzycki_reps(double fraction) {
  const double raw = 37.0 - 36.0 * fraction;
  const double r = raw < 0.0 ? 0.0 : (36.0 < raw ? 36.0 : raw);
  return fraction != fraction ? 0.0 : (fraction <= 0.0 ? 36.0 : r);
}

// Effort weight of a set left `rir` reps short of failure: 1 up to 4 in reserve, falling linearly
// to 0 at 10 (engine choice: sets far from failure stimulate little; DESIGN.md "Dose").
inline double effort_weight(double rir) {
  const double e = divide_by_constant(10.0 - rir, 6.0, 1.0 / 6.0);
  return e < 0.0 ? 0.0 : (1.0 < e ? 1.0 : e);
}

}  // namespace CHAINLOAD_ISA_COPY
}  // namespace chainload
