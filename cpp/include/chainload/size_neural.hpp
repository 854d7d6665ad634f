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
#include <limits>

namespace chainload {

// No defaults here: the model's values, units and sources are python/chainload/data/
// model_size_neural.toml, the one place for them (Python passes every field). A field left unset
// is NaN and validate() rejects it by name.
inline constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

struct SizeNeuralParams {
  // Size (per muscle, relative to the athlete's reference size).
  double dose_tau = kUnset;            // d: memory of the daily dose (weekly volume = 7 (1 - e^{-1/tau}) memory)
  double size_rate = kUnset;         // 1/d: growth per day at a saturating dose with all room left
  double size_half = kUnset;          // weekly effort-weighted fractional sets giving half the top rate
  double size_ceiling = kUnset;        // relative size the growth approaches
  double size_tau_detrain = kUnset;   // d: decay of size above its start value
  double size_rir_zero = kUnset;      // reps in reserve at which a set no longer counts for size (linear)
  double size_full_reps = kUnset;      // reps a set needs to count fully for size (1 rep counts 0)
  double size_force = kUnset;          // beta: share of a relative size change that shows as force
  // Neural / practice (per practised lift).
  double neural_max = kUnset;         // top relative neural gain
  double neural_half = kUnset;         // weekly sets of the lift giving half of its load-graded neural target
  double neural_tau_up = kUnset;      // d: approach to the volume-set target
  double neural_tau_down = kUnset;   // d: decay when the target is below the state (detraining)
  double load_power = kUnset;          // a set counts (fraction / load_full)^load_power for neural gain
  double load_full = kUnset;          // fraction of 1RM at which a set counts fully
  double transfer_same = kUnset;       // transfer factor x cosine similarity, same movement pattern
  double transfer_other = kUnset;      // transfer factor x cosine similarity, other pattern
  // Acute fatigue (per muscle), fractions of force; hours.
  double fast_max = kUnset, fast_sets = kUnset, fast_tau_h = kUnset;
  double slow_max = kUnset, slow_sets = kUnset, slow_tau_h = kUnset;
  double multi_joint = kUnset;         // slow-fatigue input of a multi-joint set relative to a single-joint one
  double slow_rir = kUnset;            // slow-fatigue input falls as exp(-rir / slow_rir)
  // The athlete.
  double size_scale = kUnset;          // the athlete's reference size (reported size = size_scale * s)
  Eigen::VectorXd size_start;       // per muscle, relative to size_scale (1 = normal; empty = all 1)
  Eigen::VectorXd size_response;    // per muscle multiplier of size_rate (empty = all 1)
  // Throws InvalidInput naming the field at fault.
  void validate(std::size_t n_muscles) const;
  // The scalar fields only, and the per-muscle rows read in place (null: all 1): validate's two
  // halves, for a population's rows without a copy.
  void validate_scalars() const;
  void validate_rows(const double* start, const double* response, std::size_t n_muscles) const;
};

// The scalar fields by name (the data file's parameter names, exported as
// _core.SIZE_NEURAL_PARAM_NAMES): the bindings fill them, validate() checks each is set.
struct SizeNeuralField {
  const char* name;
  double SizeNeuralParams::*field;
};
inline constexpr SizeNeuralField size_neural_fields[] = {
    {"dose_tau", &SizeNeuralParams::dose_tau},
    {"size_rate", &SizeNeuralParams::size_rate},
    {"size_half", &SizeNeuralParams::size_half},
    {"size_ceiling", &SizeNeuralParams::size_ceiling},
    {"size_tau_detrain", &SizeNeuralParams::size_tau_detrain},
    {"size_rir_zero", &SizeNeuralParams::size_rir_zero},
    {"size_full_reps", &SizeNeuralParams::size_full_reps},
    {"size_force", &SizeNeuralParams::size_force},
    {"neural_max", &SizeNeuralParams::neural_max},
    {"neural_half", &SizeNeuralParams::neural_half},
    {"neural_tau_up", &SizeNeuralParams::neural_tau_up},
    {"neural_tau_down", &SizeNeuralParams::neural_tau_down},
    {"load_power", &SizeNeuralParams::load_power},
    {"load_full", &SizeNeuralParams::load_full},
    {"transfer_same", &SizeNeuralParams::transfer_same},
    {"transfer_other", &SizeNeuralParams::transfer_other},
    {"fast_max", &SizeNeuralParams::fast_max},
    {"fast_sets", &SizeNeuralParams::fast_sets},
    {"fast_tau_h", &SizeNeuralParams::fast_tau_h},
    {"slow_max", &SizeNeuralParams::slow_max},
    {"slow_sets", &SizeNeuralParams::slow_sets},
    {"slow_tau_h", &SizeNeuralParams::slow_tau_h},
    {"multi_joint", &SizeNeuralParams::multi_joint},
    {"slow_rir", &SizeNeuralParams::slow_rir},
    {"size_scale", &SizeNeuralParams::size_scale},
};

}  // namespace chainload
