#pragma once
// The size_neural adaptation model (docs/model.md): per muscle a morphological size s and two acute
// fatigue compartments (fast, slow; hour time constants); per practised lift a neural/practice
// strength n with transfer to similar lifts. A lift's 1RM is
//   1RM = base * sum_m a_m (1 + beta (s_m - 1)) / sum_m a_m          (size capacity, activation-weighted)
//              * (1 + combine_u T(lift, u) n_u)                        (neural, own practice + transfer)
//              * (1 - sum_m a_m (fast_m + slow_m) / sum_m a_m)         (acute fatigue)
// The per-day formulas are written once here (the simulator, recovery() and the tests use them).
// Parameter values, units and sources: python/chainload/data/model_size_neural.toml.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace chainload {

struct SizeNeuralParams {
  // Size (per muscle, relative to the athlete's reference size).
  double dose_tau = 7.0;            // d: memory of the daily dose (weekly volume = 7 (1 - e^{-1/tau}) memory)
  double size_rate = 0.004;         // 1/d: growth per day at a saturating dose with all room left
  double size_half = 10.0;          // weekly effort-weighted fractional sets giving half the top rate
  double size_ceiling = 1.3;        // relative size the growth approaches
  double size_tau_detrain = 45.0;   // d: decay of size above its start value
  double size_rir_zero = 10.0;      // reps in reserve at which a set no longer counts for size (linear)
  double size_full_reps = 6.0;      // reps a set needs to count fully for size (1 rep counts 0)
  double size_force = 0.5;          // beta: share of a relative size change that shows as force
  // Neural / practice (per practised lift).
  double neural_max = 0.15;         // top relative neural gain
  double neural_half = 2.0;         // weekly sets of the lift giving half of its load-graded neural target
  double neural_tau_up = 14.0;      // d: approach to the volume-set target
  double neural_tau_down = 240.0;   // d: decay when the target is below the state (detraining)
  double load_power = 2.0;          // a set counts (fraction / load_full)^load_power for neural gain
  double load_full = 0.95;          // fraction of 1RM at which a set counts fully
  double transfer_same = 0.5;       // transfer factor x cosine similarity, same movement pattern
  double transfer_other = 0.1;      // transfer factor x cosine similarity, other pattern
  // Acute fatigue (per muscle), fractions of force; hours.
  double fast_max = 0.18, fast_sets = 3.0, fast_tau_h = 2.0;
  double slow_max = 0.16, slow_sets = 4.0, slow_tau_h = 30.0;
  double multi_joint = 0.3;         // slow-fatigue input of a multi-joint set relative to a single-joint one
  double slow_rir = 1.5;            // slow-fatigue input falls as exp(-rir / slow_rir)
  // The athlete.
  double size_scale = 1.0;          // the athlete's reference size (reported size = size_scale * s)
  Eigen::VectorXd size_start;       // per muscle, relative to size_scale (1 = normal; empty = all 1)
  Eigen::VectorXd size_response;    // per muscle multiplier of size_rate (empty = all 1)
  // Throws InvalidInput naming the field at fault.
  void validate(std::size_t n_muscles) const;
};

namespace kinetics {

// Weekly-equivalent volume of an exponentially weighted daily memory with per-day decay `decay`.
inline double weekly(double memory, double decay) { return memory * (1.0 - decay) * 7.0; }
// Diminishing returns: x / (x + half), 0 for x <= 0.
inline double saturation(double x, double half) { return x > 0.0 ? x / (x + half) : 0.0; }
// How much a set counts for size (and fast fatigue) by its reps in reserve: 1 at failure, linear to 0.
inline double size_effort(double rir, double rir_zero) { return std::clamp(1.0 - rir / rir_zero, 0.0, 1.0); }
// How much a set counts for size by the reps done: 0 for a single, linear to 1 at `full` reps.
inline double rep_weight(double reps, double full) { return std::clamp((reps - 1.0) / (full - 1.0), 0.0, 1.0); }
// How much a set counts for the neural state by its relative load (fraction of today's 1RM).
inline double load_weight(double fraction, double power, double full) {
  const double r = std::clamp(fraction / full, 0.0, 1.0);
  return power == 2.0 ? r * r : std::pow(r, power);
}
// Neural target (times neural_max) of weekly load-weighted sets q among weekly sets p of the lift:
// the sets' mean load weight q / p times the volume saturation p / (p + half). Load grades the
// gain at any volume (LOAD-2, LOAD-3); volume saturates early (VOL-1, VOL-3).
inline double neural_target(double q, double p, double half) { return q > 0.0 ? q / (p + half) : 0.0; }
// Neural gains x_u of several practised lifts combine as total = max (1 - prod_u (1 - x_u / max)):
// bounded by max, order-free, one lift alone gives its own gain (total + x - total x / max pairwise).
// `room` starts at 1; each lift multiplies it by (1 - x / max).
inline double neural_room(double room, double x, double inv_max) { return room * (1.0 - x * inv_max); }
// Slow-fatigue weight of a set by proximity to failure.
inline double slow_proximity(double rir, double scale) { return std::exp(-std::max(rir, 0.0) / scale); }
// A fatigue compartment after input x: the room left, max - state, shrinks by
// 1 / (1 + y + y^2/2 + y^3/6) with y = x / half (exp(-y)'s Taylor cubic, inverted: monotone, 1 at
// y = 0, within 0.03 of exp(-y) everywhere, no exp call in the session loop); never passes max.
inline double saturate_add(double state, double max, double x, double half) {
  const double y = x / half;
  return max - (max - state) / (1.0 + y * (1.0 + y * (0.5 + y * (1.0 / 6.0))));
}
// A fatigue compartment `hours` later (closed form; a day is 24 h of this).
inline double decay_hours(double state, double hours, double tau_h) { return state * std::exp(-hours / tau_h); }
// One day of size: growth by the saturating weekly dose g with the room left under the ceiling,
// rate (ceiling - s) / (ceiling - 1) g, and decay of the part above the start value.
// `rate_per_room` = rate / (ceiling - 1), precomputed.
inline double size_step(double s, double g, double rate_per_room, double ceiling, double start,
                        double inv_tau_detrain) {
  return s + rate_per_room * g * std::max(ceiling - s, 0.0) - std::max(s - start, 0.0) * inv_tau_detrain;
}
// One day of neural state towards its target (approach rate up, or decay rate down: 1 - e^{-1/tau}).
inline double neural_step(double n, double target, double k_up, double k_down) {
  return n + (target - n) * (target > n ? k_up : k_down);
}
// Force capacity of size s.
inline double size_capacity(double s, double beta) { return 1.0 + beta * (s - 1.0); }

}  // namespace kinetics
}  // namespace chainload
