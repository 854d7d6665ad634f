#pragma once
// Model parameters shared by the adaptation and simulator tests.
#include "chainload/adaptation.hpp"

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

}  // namespace chainload_test
