#pragma once
// Variable projection (fit.hpp "Method"): the reduced problem in the nonlinear parameters theta
// (the linear ones solved exactly in a box), and Levenberg-Marquardt on it with box bounds.
#include "chainload/detail/fit_curves.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace chainload::fit_detail {

struct Problem {
  const Curve* curve;
  std::vector<std::size_t> lin, nl;
  Vec lin_lo, lin_hi;      // natural units
  Vec z_lo, z_hi;          // LM coordinates of theta
  Vec t_lo, t_hi;          // theta's bounds in natural units
  std::vector<bool> logc;  // theta_i = exp(z_i)
  std::size_t n_params;

  Vec theta(const Vec& z) const {
    Vec t(z.size());
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      const auto u = static_cast<std::size_t>(i);
      // exp(log(x)) can differ from x by an ulp: a coordinate on its bound gives the bound itself
      if (z[i] <= z_lo[i]) t[i] = t_lo[i];
      else if (z[i] >= z_hi[i]) t[i] = t_hi[i];
      else t[i] = std::clamp(logc[u] ? std::exp(z[i]) : z[i], t_lo[i], t_hi[i]);
    }
    return t;
  }
  Vec full(const Vec& c, const Vec& theta) const {
    Vec p(static_cast<Eigen::Index>(n_params));
    for (std::size_t j = 0; j < lin.size(); ++j) p[static_cast<Eigen::Index>(lin[j])] = c[static_cast<Eigen::Index>(j)];
    for (std::size_t j = 0; j < nl.size(); ++j) p[static_cast<Eigen::Index>(nl[j])] = theta[static_cast<Eigen::Index>(j)];
    return p;
  }
};

// Scratch space of one fit (one per thread).
struct Work {
  Mat A;
  std::vector<Mat> dA;
  Mat Q;  // orthonormal basis of the span of A's free columns (for the projection)
  Vec c, r, fitted;
  Mat J;
  Work(std::size_t n, std::size_t n_lin, std::size_t n_nl)
      : A(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n_lin)),
        dA(n_nl, Mat::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n_lin))),
        J(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n_nl)) {}
};

struct LmResult {
  Vec params;
  double sse;
  int iterations;
  bool converged;
};

// Box-bounded linear least squares min |A c - y| with lo <= c <= hi (active sets enumerated):
// leaves c, fitted and Q in w.
void solve_linear(const Problem& pb, const Vec& y, Work& w);
// The reduced problem at z: fills w.r, w.J and returns the sse.
double evaluate(const Problem& pb, const Vec& y, const Vec& z, Work& w);
// Levenberg-Marquardt from z with box bounds; w and trial are scratch of the problem's size.
LmResult levenberg_marquardt(const Problem& pb, const Vec& y, Vec z, int max_iter, Work& w, Work& trial);

}  // namespace chainload::fit_detail
