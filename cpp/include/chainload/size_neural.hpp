#pragma once
// The size_neural adaptation model (docs/model.md): per muscle a morphological size s and two acute
// fatigue compartments (fast, slow; hour time constants); per practised lift a neural/practice
// strength n with transfer to similar lifts. A lift's 1RM is
//   1RM = base * sum_m a_m (1 + beta (s_m - 1)) / sum_m a_m          (size capacity, activation-weighted)
//              * (1 + combine_u T(lift, u) n_u)                        (neural, own practice + transfer)
//              * (1 - sum_m a_m (fast_m + slow_m) / sum_m a_m)         (acute fatigue)
// Its per-day formulas are written once, in kinetics.hpp (the simulator, recovery() and the tests use them).
// Parameter values, units and sources: python/chainload/data/model_size_neural.toml.
#include "chainload/kinetics.hpp"

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

}  // namespace chainload
