#pragma once
// Model parameters shared by the adaptation and simulator tests.
#include "chainload/adaptation.hpp"
#include "chainload/size_neural.hpp"

namespace chainload_test {

// The core's defaults (adaptation.hpp model_param_fields) for every muscle: all valid.
inline chainload::ModelParams default_params(Eigen::Index n) {
  return chainload::default_model_params(static_cast<std::size_t>(n));
}

// The defaults with every gain 0: valid, and the capacity never leaves 1.
inline chainload::ModelParams flat_params(Eigen::Index n) {
  chainload::ModelParams p = default_params(n);
  p.k1.setZero();
  p.k2.setZero();
  p.k3.setZero();
  p.gain.setZero();
  return p;
}

// size_neural parameters for the C++ tests: round values the hand-worked expectations below use,
// NOT the model's (those are python/chainload/data/model_size_neural.toml; the core has none).
inline chainload::SizeNeuralParams test_size_neural_params() {
  chainload::SizeNeuralParams p;
  p.dose_tau = 7.0;
  p.size_rate = 0.004;
  p.size_half = 10.0;
  p.size_ceiling = 1.3;
  p.size_tau_detrain = 45.0;
  p.size_rir_zero = 10.0;
  p.size_full_reps = 6.0;
  p.size_force = 0.5;
  p.neural_max = 0.15;
  p.neural_half = 2.0;
  p.neural_tau_up = 14.0;
  p.neural_tau_down = 240.0;
  p.load_power = 2.0;
  p.load_full = 0.95;
  p.transfer_same = 0.5;
  p.transfer_other = 0.1;
  p.fast_max = 0.18, p.fast_sets = 3.0, p.fast_tau_h = 2.0;
  p.slow_max = 0.16, p.slow_sets = 4.0, p.slow_tau_h = 30.0;
  p.multi_joint = 0.3;
  p.slow_rir = 1.5;
  p.size_scale = 1.0;
  return p;
}

}  // namespace chainload_test
