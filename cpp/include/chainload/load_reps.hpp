#pragma once
// The load-reps relation of the whole engine: Brzycki (1993), 1RM = w * 36 / (37 - r)
// (SCIENCE.md 5.1). Chosen over Epley because it is exact at one rep (Epley gives 96.8 % there),
// equals Epley at ten reps (75 %), and bounds the reps possible at light loads (r < 37).
#include <algorithm>
#include <cmath>

namespace chainload {

// Fraction of 1RM at which `reps_to_failure` reps are possible (1 rep -> 1.0, 10 reps -> 0.75).
inline double brzycki_fraction(double reps_to_failure) {
  const double r = std::clamp(reps_to_failure, 1.0, 36.0);
  return (37.0 - r) / 36.0;
}

// Reps to failure possible at `fraction` of 1RM (the inverse): 1 at the 1RM, below 1 above it
// (0 from 37/36 of the 1RM on), at most 36 at light loads; 0 for a NaN fraction.
inline double brzycki_reps(double fraction) {
  if (std::isnan(fraction)) return 0.0;
  if (fraction <= 0.0) return 36.0;
  return std::clamp(37.0 - 36.0 * fraction, 0.0, 36.0);
}

}  // namespace chainload
