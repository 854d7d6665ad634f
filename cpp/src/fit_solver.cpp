// The variable-projection solver of fit.hpp (fit_solver.hpp).
#include "chainload/detail/fit_solver.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <limits>

namespace chainload::fit_detail {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

// Box-bounded linear least squares min |A c - y| with lo <= c <= hi, by enumerating which
// coefficients sit at a bound (3^n_lin cases, n_lin <= 3): the optimum is the best case whose free
// coefficients, solved unconstrained, land inside their bounds. Leaves c, fitted and Q in w.
void solve_linear(const Problem& pb, const Vec& y, Work& w) {
  const Eigen::Index n = w.A.rows(), L = w.A.cols();
  auto attempt = [&](const std::vector<int>& state, Vec& c, bool& feasible) {
    // state: 0 free, 1 at lower bound, 2 at upper bound
    std::vector<Eigen::Index> free;
    Vec rhs = y;
    for (Eigen::Index j = 0; j < L; ++j) {
      const int s = state[static_cast<std::size_t>(j)];
      if (s == 0) {
        free.push_back(j);
      } else {
        c[j] = s == 1 ? pb.lin_lo[j] : pb.lin_hi[j];
        rhs.noalias() -= w.A.col(j) * c[j];
      }
    }
    feasible = true;
    if (free.empty()) return;
    Mat Af(n, static_cast<Eigen::Index>(free.size()));
    for (std::size_t k = 0; k < free.size(); ++k) Af.col(static_cast<Eigen::Index>(k)) = w.A.col(free[k]);
    Eigen::ColPivHouseholderQR<Mat> qr(Af);
    const Vec cf = qr.solve(rhs);
    for (std::size_t k = 0; k < free.size(); ++k) {
      const Eigen::Index j = free[k];
      const double v = cf[static_cast<Eigen::Index>(k)];
      const double tol = 1e-12 * (1.0 + std::abs(v));
      if (!std::isfinite(v) || v < pb.lin_lo[j] - tol || v > pb.lin_hi[j] + tol) feasible = false;
      c[j] = std::clamp(v, pb.lin_lo[j], pb.lin_hi[j]);
    }
  };
  std::vector<int> state(static_cast<std::size_t>(L), 0), best_state;
  Vec c(L), best_c;
  bool feasible = false;
  // Fixed coefficients (lo == hi) are always at their bound.
  for (Eigen::Index j = 0; j < L; ++j)
    if (pb.lin_lo[j] == pb.lin_hi[j]) state[static_cast<std::size_t>(j)] = 1;
  attempt(state, c, feasible);
  if (feasible) {
    best_state = state;
    best_c = c;
  } else {
    double best = kInf;
    std::size_t cases = 1;
    for (Eigen::Index j = 0; j < L; ++j) cases *= 3;
    for (std::size_t code = 0; code < cases; ++code) {
      std::size_t rest = code;
      bool valid = true;
      for (Eigen::Index j = 0; j < L; ++j) {
        const int s = static_cast<int>(rest % 3);
        rest /= 3;
        const bool fixed = pb.lin_lo[j] == pb.lin_hi[j];
        if ((s == 1 && !std::isfinite(pb.lin_lo[j])) || (s == 2 && !std::isfinite(pb.lin_hi[j])) ||
            (fixed && s != 1))
          valid = false;
        state[static_cast<std::size_t>(j)] = s;
      }
      if (!valid) continue;
      attempt(state, c, feasible);
      if (!feasible) continue;
      const double sse = (w.A * c - y).squaredNorm();
      if (sse < best) {
        best = sse;
        best_state = state;
        best_c = c;
      }
    }
    if (best_state.empty()) {  // rank-deficient corner case: keep the clamped unconstrained solution
      std::fill(state.begin(), state.end(), 0);
      attempt(state, c, feasible);
      best_state = state;
      best_c = c;
    }
  }
  w.c = best_c;
  w.fitted.noalias() = w.A * w.c;
  // Basis of the span of the free columns.
  std::vector<Eigen::Index> free;
  for (Eigen::Index j = 0; j < L; ++j)
    if (best_state[static_cast<std::size_t>(j)] == 0) free.push_back(j);
  if (free.empty()) {
    w.Q.resize(n, 0);
    return;
  }
  Mat Af(n, static_cast<Eigen::Index>(free.size()));
  for (std::size_t k = 0; k < free.size(); ++k) Af.col(static_cast<Eigen::Index>(k)) = w.A.col(free[k]);
  Eigen::ColPivHouseholderQR<Mat> qr(Af);
  w.Q = qr.householderQ() * Mat::Identity(n, qr.rank());
}

// The reduced problem at z: residuals r = A c(theta) - y, sse, and the Jacobian dr/dz
// (Kaufman: J_i = (I - Q Q') dA_i c, times dtheta/dz).
double evaluate(const Problem& pb, const Vec& y, const Vec& z, Work& w) {
  const Vec theta = pb.theta(z);
  pb.curve->eval(theta, w.A, w.dA);
  solve_linear(pb, y, w);
  w.r = w.fitted - y;
  for (std::size_t i = 0; i < w.dA.size(); ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    Vec v = w.dA[i] * w.c;
    if (w.Q.cols() > 0) v.noalias() -= w.Q * (w.Q.transpose() * v);
    w.J.col(k) = pb.logc[i] ? Vec(v * theta[k]) : v;
  }
  return w.r.squaredNorm();
}

// Levenberg-Marquardt (Marquardt's diagonal scaling) on the reduced problem, with box bounds:
// coordinates at a bound whose gradient points outwards are held; the step is projected on the box.
LmResult levenberg_marquardt(const Problem& pb, const Vec& y, Vec z, int max_iter, Work& w, Work& trial) {
  const Eigen::Index m = z.size();
  for (Eigen::Index i = 0; i < m; ++i) z[i] = std::clamp(z[i], pb.z_lo[i], pb.z_hi[i]);
  double sse = evaluate(pb, y, z, w);
  const double tiny = 1e-28 * std::max(y.squaredNorm(), 1e-300);
  double lambda = 1e-3;
  int iter = 0;
  bool converged = false;
  Vec ztry(m);
  while (!converged && iter < max_iter) {
    if (sse <= tiny) {
      converged = true;
      break;
    }
    const Vec g = w.J.transpose() * w.r;
    const Mat H = w.J.transpose() * w.J;
    std::vector<Eigen::Index> free;
    for (Eigen::Index i = 0; i < m; ++i) {
      if (pb.z_lo[i] == pb.z_hi[i]) continue;
      if (z[i] <= pb.z_lo[i] && g[i] > 0.0) continue;
      if (z[i] >= pb.z_hi[i] && g[i] < 0.0) continue;
      free.push_back(i);
    }
    if (free.empty()) {
      converged = true;
      break;
    }
    const auto nf = static_cast<Eigen::Index>(free.size());
    Mat Hf(nf, nf);
    Vec gf(nf);
    double dmax = 0.0;
    for (Eigen::Index a = 0; a < nf; ++a) {
      gf[a] = g[free[static_cast<std::size_t>(a)]];
      for (Eigen::Index b = 0; b < nf; ++b) Hf(a, b) = H(free[static_cast<std::size_t>(a)], free[static_cast<std::size_t>(b)]);
      dmax = std::max(dmax, Hf(a, a));
    }
    if (!(dmax > 0.0)) {  // no coordinate moves the fit: flat
      converged = true;
      break;
    }
    bool accepted = false;
    while (!accepted && iter < max_iter) {
      ++iter;
      Mat M = Hf;
      for (Eigen::Index a = 0; a < nf; ++a) M(a, a) += lambda * std::max(Hf(a, a), 1e-12 * dmax);
      const Vec step = M.ldlt().solve(-gf);
      ztry = z;
      for (Eigen::Index a = 0; a < nf; ++a) {
        const Eigen::Index i = free[static_cast<std::size_t>(a)];
        ztry[i] = std::clamp(z[i] + step[a], pb.z_lo[i], pb.z_hi[i]);
      }
      const double sse_try = std::isfinite(step.sum()) ? evaluate(pb, y, ztry, trial) : kInf;
      if (sse_try < sse) {
        const double moved = (ztry - z).cwiseAbs().maxCoeff();
        const double gain = sse - sse_try;
        std::swap(w, trial);
        z = ztry;
        lambda = std::max(lambda * 0.1, 1e-12);
        accepted = true;
        if (gain <= 1e-13 * sse || moved <= 1e-11 * (1.0 + z.cwiseAbs().maxCoeff()) || sse_try <= tiny)
          converged = true;
        sse = sse_try;
      } else {
        lambda *= 10.0;
        if (lambda > 1e12) {  // no descent left at machine precision: a minimum
          converged = true;
          break;
        }
      }
    }
  }
  return {pb.full(w.c, pb.theta(z)), sse, iter, converged};
}

}  // namespace chainload::fit_detail
