#pragma once
// The load-reps relation of the whole engine: Brzycki (1993), 1RM = w * 36 / (37 - r)
// (SCIENCE.md 5.1). Chosen over Epley because it is exact at one rep (Epley gives 96.8 % there),
// equals Epley at ten reps (75 %), and bounds the reps possible at light loads (r < 37).
#include <algorithm>

namespace chainload {

// Fraction of 1RM at which `reps_to_failure` reps are possible (1 rep -> 1.0, 10 reps -> 0.75).
inline double brzycki_fraction(double reps_to_failure) {
  const double r = std::clamp(reps_to_failure, 1.0, 36.0);
  return (37.0 - r) / 36.0;
}

// Reps to failure possible at `fraction` of 1RM (the inverse; 0 above 1RM, at most 36).
inline double brzycki_reps(double fraction) {
  if (!(fraction > 0.0)) return 36.0;
  return std::clamp(37.0 - 36.0 * fraction, 0.0, 36.0);
}

}  // namespace chainload
