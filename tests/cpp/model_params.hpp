#pragma once
// Model parameters shared by the adaptation and simulator tests.
#include "chainload/adaptation.hpp"

namespace chainload_test {

// The Python defaults (simulation.py DEFAULT_PARAMS) for every muscle: all valid.
inline chainload::ModelParams default_params(Eigen::Index n) {
  chainload::ModelParams p;
  p.k1 = Eigen::VectorXd::Constant(n, 0.002);
  p.k2 = Eigen::VectorXd::Constant(n, 0.004);
  p.tau1 = Eigen::VectorXd::Constant(n, 42.0);
  p.tau2 = Eigen::VectorXd::Constant(n, 7.0);
  p.k3 = Eigen::VectorXd::Constant(n, 0.0006);
  p.tau3 = Eigen::VectorXd::Constant(n, 4.0);
  p.gain = Eigen::VectorXd::Constant(n, 0.0035);
  p.ceiling = Eigen::VectorXd::Constant(n, 1.5);
  p.tau_detrain = Eigen::VectorXd::Constant(n, 120.0);
  return p;
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
