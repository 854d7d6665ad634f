#include "chainload/fit.hpp"

#include "chainload/detail/parallel.hpp"
#include "chainload/errors.hpp"
#include "chainload/kinetics.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <sstream>

namespace chainload {

namespace {

using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

// A number as Python writes a float (shortest round trip, "50.0"): for the message Python's
// fit_series users read (fit.py once checked low <= high itself, in these words).
std::string py_float(double x) {
  char buf[32];
  std::string out(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
  if (out.find_first_not_of("-0123456789") == std::string::npos) out += ".0";
  return out;
}

// SplitMix64 (Steele, Lea & Flood 2014): a small generator whose output is fixed by the seed on
// every platform (the <random> distributions are implementation-defined, so they are not used).
struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) {
    const auto i = static_cast<std::size_t>(uniform() * static_cast<double>(n));
    return std::min(i, n - 1);
  }
};

// ------------------------------------------------------------------------------- the models
// A model's performance at the observations is A(theta) c: c the parameters it is linear in,
// theta the others. eval() fills A (n_obs x n_lin) and dA[i] = dA/dtheta_i.
class Curve {
 public:
  Curve(const double* load, std::vector<std::int32_t> idx)
      : load_(load), idx_(std::move(idx)), order_(idx_.size()) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return idx_[a] < idx_[b]; });
    last_ = idx_.empty() ? -1 : idx_[order_.back()];
  }
  virtual ~Curve() = default;
  std::size_t n_obs() const { return idx_.size(); }
  virtual std::vector<std::size_t> linear() const = 0;     // positions of c in the parameter vector
  virtual std::vector<std::size_t> nonlinear() const = 0;  // positions of theta
  virtual void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const = 0;

 protected:
  // Calls row(i, t) for every observation i, in order of its day index t (t < 0 first: state 0),
  // after advance(t) has been called for each day 0 .. t.
  template <typename Advance, typename Row, typename Zero>
  void walk(Advance&& advance, Row&& row, Zero&& zero) const {
    std::size_t k = 0;
    const std::size_t n = order_.size();
    while (k < n && idx_[order_[k]] < 0) zero(order_[k++]);
    for (std::int32_t t = 0; t <= last_ && k < n; ++t) {
      advance(load_[t]);
      while (k < n && idx_[order_[k]] == t) row(order_[k++]);
    }
  }
  const double* load_;
  std::vector<std::int32_t> idx_;  // the day index whose performance each observation sees
  std::vector<std::size_t> order_;
  std::int32_t last_;
};

// Banister: A = [1, fitness(tau1), -fatigue(tau2)], c = (p0, k1, k2), theta = (tau1, tau2).
// d fitness(t) / d tau = e^(-1/tau) (d fitness(t-1) / d tau + fitness(t-1) / tau^2).
class BanisterCurve : public Curve {
 public:
  using Curve::Curve;
  std::vector<std::size_t> linear() const override { return {0, 1, 2}; }
  std::vector<std::size_t> nonlinear() const override { return {3, 4}; }
  void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const override {
    const double d1 = kinetics::day_decay(theta[0]), d2 = kinetics::day_decay(theta[1]);
    const double c1 = d1 / (theta[0] * theta[0]), c2 = d2 / (theta[1] * theta[1]);
    double f = 0.0, df = 0.0, g = 0.0, dg = 0.0;
    dA[0].col(0).setZero();
    dA[0].col(2).setZero();
    dA[1].col(0).setZero();
    dA[1].col(1).setZero();
    walk(
        [&](double w) {
          df = d1 * df + c1 * f;
          f = kinetics::trace_step(f, d1, w);
          dg = d2 * dg + c2 * g;
          g = kinetics::trace_step(g, d2, w);
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0;
          A(r, 1) = f;
          A(r, 2) = -g;
          dA[0](r, 1) = df;
          dA[1](r, 2) = -dg;
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A.row(r) << 1.0, 0.0, 0.0;
          dA[0](r, 1) = 0.0;
          dA[1](r, 2) = 0.0;
        });
  }
};

// Saturating: A = [1 + S - k2 fatigue], c = (p0), theta = (gain, ceiling, tau_detrain, k2, tau2).
// Each day S <- S e^(-1/tau_d); with load w > 0, S <- R - (R - S) E, E = e^(-gain w / R), R = ceiling - 1;
// the derivatives of S follow by differentiating these two steps.
class SaturatingCurve : public Curve {
 public:
  using Curve::Curve;
  std::vector<std::size_t> linear() const override { return {0}; }
  std::vector<std::size_t> nonlinear() const override { return {1, 2, 3, 4, 5}; }
  void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const override {
    const double gain = theta[0], room = theta[1] - 1.0, td = theta[2], k2 = theta[3], tau2 = theta[4];
    const double ed = kinetics::day_decay(td), ded = ed / (td * td);
    const double d2 = kinetics::day_decay(tau2), c2 = d2 / (tau2 * tau2);
    double s = 0.0, sg = 0.0, sc = 0.0, sd = 0.0, g = 0.0, dg = 0.0;
    walk(
        [&](double w) {
          sd = sd * ed + s * ded;
          s *= ed;
          sg *= ed;
          sc *= ed;
          if (w > 0.0) {
            const double e = kinetics::saturating_factor(gain, w, room), gap = room - s;
            sg = sg * e + gap * e * w / room;
            sc = 1.0 - (1.0 - sc) * e - gap * e * gain * w / (room * room);
            sd *= e;
            s = room - gap * e;
          }
          dg = d2 * dg + c2 * g;
          g = kinetics::trace_step(g, d2, w);
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0 + s - k2 * g;
          dA[0](r, 0) = sg;
          dA[1](r, 0) = sc;
          dA[2](r, 0) = sd;
          dA[3](r, 0) = -g;
          dA[4](r, 0) = -k2 * dg;
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0;
          for (auto& m : dA) m(r, 0) = 0.0;
        });
  }
};

std::unique_ptr<Curve> make_curve(FitModel model, const double* load, std::vector<std::int32_t> idx) {
  if (model == FitModel::saturating) return std::make_unique<SaturatingCurve>(load, std::move(idx));
  return std::make_unique<BanisterCurve>(load, std::move(idx));
}

// --------------------------------------------------------------------- the reduced problem
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

struct LmResult {
  Vec params;
  double sse;
  int iterations;
  bool converged;
};

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

double percentile(std::vector<double> v, double q) {
  // numpy's default (linear interpolation between order statistics)
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

// ------------------------------------------------------------------------------- public API
FitModel parse_fit_model(const std::string& name) {
  if (name == "banister") return FitModel::banister;
  if (name == "saturating") return FitModel::saturating;
  throw_unknown("fit model", name, {"banister", "saturating"});
}

std::vector<std::string> fit_param_names(FitModel model) {
  if (model == FitModel::saturating) return {"p0", "gain", "ceiling", "tau_detrain", "k2", "tau2"};
  return {"p0", "k1", "k2", "tau1", "tau2"};
}

FitBounds default_fit_bounds(FitModel model) {
  FitBounds b;
  if (model == FitModel::saturating) {
    b.lower = Vec(6);
    b.upper = Vec(6);
    b.lower << 0.0, 1e-5, 1.01, 1.0, 0.0, 1.0;
    b.upper << kInf, 10.0, 5.0, 1000.0, 1.0, 100.0;
  } else {
    b.lower = Vec(5);
    b.upper = Vec(5);
    b.lower << -kInf, 0.0, 0.0, 1.0, 1.0;
    b.upper << kInf, kInf, kInf, 100.0, 100.0;
  }
  return b;
}

void check_fit_bounds(FitModel model, const FitBounds& bounds) {
  const std::vector<std::string> names = fit_param_names(model);
  const std::size_t P = names.size();
  if (static_cast<std::size_t>(bounds.lower.size()) != P || static_cast<std::size_t>(bounds.upper.size()) != P)
    throw InvalidInput("bounds need one lower and one upper value for each of the " + std::to_string(P) +
                       " parameters");
  for (std::size_t j = 0; j < P; ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    const double lo = bounds.lower[k], hi = bounds.upper[k];
    const std::string& nm = names[j];
    if (std::isnan(lo) || std::isnan(hi))
      throw InvalidInput("bounds of " + nm + " contain NaN");
    if (lo > hi) throw InvalidInput("bounds of " + nm + ": low " + py_float(lo) + " is above high " + py_float(hi));
    if (lo == hi && !std::isfinite(lo)) throw InvalidInput("parameter " + nm + " cannot be fixed at " + num(lo));
  }
  const auto curve = make_curve(model, nullptr, {});
  for (const std::size_t pj : curve->nonlinear()) {
    const std::string& nm = names[pj];
    const double lo = bounds.lower[static_cast<Eigen::Index>(pj)], hi = bounds.upper[static_cast<Eigen::Index>(pj)];
    if (!std::isfinite(lo) || !std::isfinite(hi))
      throw InvalidInput("bounds of " + nm + " must be finite (the starts are spread over them), got [" + num(lo) +
                         ", " + num(hi) + "]");
    const bool is_tau = nm.rfind("tau", 0) == 0;
    if (is_tau && !(lo > 0.0)) throw InvalidInput("lower bound of " + nm + " must be > 0 days, got " + num(lo));
    if (nm == "ceiling" && !(lo > 1.0))
      throw InvalidInput("lower bound of ceiling must be > 1 (relative to the starting capacity), got " + num(lo));
    if ((nm == "gain" || nm == "k2") && lo < 0.0)
      throw InvalidInput("lower bound of " + nm + " must be >= 0, got " + num(lo));
  }
  if (model == FitModel::saturating && bounds.lower[0] < 0.0)
    throw InvalidInput("lower bound of p0 must be >= 0 in the saturating model (performance = p0 x capacity)");
}

FitResult fit_model(FitModel model, const double* load, std::size_t days, const std::int32_t* obs_day,
                    const double* obs_value, std::size_t n_obs, const FitBounds& bounds, const FitOptions& options) {
  // --- input checks
  if (days == 0) throw InvalidInput("the load series is empty");
  if (days > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidInput("the load series is too long");
  for (std::size_t t = 0; t < days; ++t)
    if (!std::isfinite(load[t]) || load[t] < 0.0)
      throw InvalidInput("load on day " + std::to_string(t) + " is " + num(load[t]) +
                         "; loads must be finite and >= 0 (0 on rest days)");
  if (options.starts < 1) throw InvalidInput("starts must be >= 1, got " + std::to_string(options.starts));
  if (options.bootstrap < 0) throw InvalidInput("bootstrap must be >= 0, got " + std::to_string(options.bootstrap));
  if (options.max_iterations < 1) throw InvalidInput("max_iterations must be >= 1");
  if (options.lag < 0 || options.lag > 1) throw InvalidInput("lag must be 0 or 1, got " + std::to_string(options.lag));
  check_fit_bounds(model, bounds);
  const std::size_t P = fit_param_names(model).size();
  auto curve = make_curve(model, load, {});
  Problem pb{nullptr, curve->linear(), curve->nonlinear(), {}, {}, {}, {}, {}, {}, {}, P};
  std::size_t n_free = 0;
  for (Eigen::Index k = 0; k < bounds.lower.size(); ++k)
    if (bounds.lower[k] < bounds.upper[k]) ++n_free;
  const Eigen::Index n_nl = static_cast<Eigen::Index>(pb.nl.size()), n_lin = static_cast<Eigen::Index>(pb.lin.size());
  pb.lin_lo.resize(n_lin);
  pb.lin_hi.resize(n_lin);
  for (Eigen::Index j = 0; j < n_lin; ++j) {
    pb.lin_lo[j] = bounds.lower[static_cast<Eigen::Index>(pb.lin[static_cast<std::size_t>(j)])];
    pb.lin_hi[j] = bounds.upper[static_cast<Eigen::Index>(pb.lin[static_cast<std::size_t>(j)])];
  }
  pb.z_lo.resize(n_nl);
  pb.z_hi.resize(n_nl);
  pb.t_lo.resize(n_nl);
  pb.t_hi.resize(n_nl);
  for (Eigen::Index j = 0; j < n_nl; ++j) {
    const std::size_t pj = pb.nl[static_cast<std::size_t>(j)];
    const double lo = bounds.lower[static_cast<Eigen::Index>(pj)], hi = bounds.upper[static_cast<Eigen::Index>(pj)];
    const bool lg = lo > 0.0;
    pb.logc.push_back(lg);
    pb.t_lo[j] = lo;
    pb.t_hi[j] = hi;
    pb.z_lo[j] = lg ? std::log(lo) : lo;
    pb.z_hi[j] = lg ? std::log(hi) : hi;
  }
  if (n_obs == 0) throw InvalidInput("no observations: performance is needed on at least one day");
  if (n_obs < n_free)
    throw InvalidInput(std::to_string(n_obs) + " observation" + (n_obs == 1 ? "" : "s") + " for " +
                       std::to_string(n_free) + " free parameters: at least one observation per parameter is needed "
                       "(or fix some parameters with equal bounds)");
  std::vector<std::int32_t> idx(n_obs);
  Vec y(static_cast<Eigen::Index>(n_obs));
  for (std::size_t i = 0; i < n_obs; ++i) {
    if (obs_day[i] < 0 || static_cast<std::size_t>(obs_day[i]) >= days)
      throw InvalidInput("observation " + std::to_string(i) + " is on day " + std::to_string(obs_day[i]) +
                         ", outside the load series (days 0 to " + std::to_string(days - 1) + ")");
    if (!std::isfinite(obs_value[i]))
      throw InvalidInput("observation " + std::to_string(i) + " (day " + std::to_string(obs_day[i]) + ") is " +
                         num(obs_value[i]));
    idx[i] = obs_day[i] - options.lag;
    y[static_cast<Eigen::Index>(i)] = obs_value[i];
  }
  curve = make_curve(model, load, std::move(idx));
  pb.curve = curve.get();

  // --- starts: a Latin hypercube over the box of theta (LM coordinates)
  const auto S = static_cast<std::size_t>(options.starts);
  SplitMix rng{options.seed};
  std::vector<Vec> z0(S, Vec(n_nl));
  for (Eigen::Index j = 0; j < n_nl; ++j) {
    std::vector<std::size_t> perm(S);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = S; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
    for (std::size_t i = 0; i < S; ++i) {
      const double u = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(S);
      z0[i][j] = pb.z_lo[j] + u * (pb.z_hi[j] - pb.z_lo[j]);
    }
  }
  FitResult res;
  res.n_obs = n_obs;
  res.n_free = n_free;
  res.starts.resize(S);
  const auto n = n_obs;
  parallel_for(S, options.threads, [&](std::size_t begin, std::size_t end) {
    Work w(n, pb.lin.size(), pb.nl.size()), trial = w;
    for (std::size_t i = begin; i < end; ++i) {
      check_cancelled();  // between starts: Ctrl-C stops a fit within one start
      const LmResult r = levenberg_marquardt(pb, y, z0[i], options.max_iterations, w, trial);
      FitStart& st = res.starts[i];
      st.initial = pb.full(Vec::Constant(n_lin, kNaN), pb.theta(z0[i]));
      st.params = r.params;
      st.sse = r.sse;
      st.iterations = r.iterations;
      st.converged = r.converged;
    }
  });
  std::size_t best = 0;
  for (std::size_t i = 1; i < S; ++i)
    if (res.starts[i].sse < res.starts[best].sse) best = i;
  res.params = res.starts[best].params;
  res.sse = res.starts[best].sse;

  // Fitted values at the best fit (re-evaluated there).
  Vec zbest(n_nl);
  for (Eigen::Index j = 0; j < n_nl; ++j) {
    const double v = res.params[static_cast<Eigen::Index>(pb.nl[static_cast<std::size_t>(j)])];
    zbest[j] = pb.logc[static_cast<std::size_t>(j)] ? std::log(v) : v;
  }
  {
    Work w(n, pb.lin.size(), pb.nl.size());
    evaluate(pb, y, zbest, w);
    res.fitted = w.fitted;
  }

  // --- residual bootstrap
  const auto B = static_cast<std::size_t>(options.bootstrap);
  const auto Pi = static_cast<Eigen::Index>(P);
  res.se = Vec::Constant(Pi, kNaN);
  res.ci_low = Vec::Constant(Pi, kNaN);
  res.ci_high = Vec::Constant(Pi, kNaN);
  if (B > 0 && n_obs > n_free) {
    Vec e = y - res.fitted;
    e.array() -= e.mean();
    e *= std::sqrt(static_cast<double>(n_obs) / static_cast<double>(n_obs - n_free));
    res.replicates.resize(static_cast<Eigen::Index>(B), Pi);
    parallel_for(B, options.threads, [&](std::size_t begin, std::size_t end) {
      Work w(n, pb.lin.size(), pb.nl.size()), trial = w;
      Vec ystar(static_cast<Eigen::Index>(n));
      for (std::size_t b = begin; b < end; ++b) {
        check_cancelled();  // between bootstrap replicates
        SplitMix r{options.seed ^ (0xD1B54A32D192ED03ull * (b + 1))};
        r.next();
        for (std::size_t i = 0; i < n; ++i) {
          const auto k = static_cast<Eigen::Index>(i);
          ystar[k] = res.fitted[k] + e[static_cast<Eigen::Index>(r.below(n))];
        }
        const LmResult fit = levenberg_marquardt(pb, ystar, zbest, options.max_iterations, w, trial);
        res.replicates.row(static_cast<Eigen::Index>(b)) = fit.params.transpose();
      }
    });
    for (Eigen::Index j = 0; j < Pi; ++j) {
      std::vector<double> v(B);
      for (std::size_t b = 0; b < B; ++b) v[b] = res.replicates(static_cast<Eigen::Index>(b), j);
      if (B >= 2) {
        const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(B);
        double ss = 0.0;
        for (double x : v) ss += (x - mean) * (x - mean);
        res.se[j] = std::sqrt(ss / static_cast<double>(B - 1));
      }
      res.ci_low[j] = percentile(v, 0.025);
      res.ci_high[j] = percentile(v, 0.975);
    }
  } else {
    res.replicates.resize(0, Pi);
  }
  return res;
}

Eigen::VectorXd fit_predict(FitModel model, const Eigen::VectorXd& params, const double* load, std::size_t days) {
  const std::vector<std::string> names = fit_param_names(model);
  if (static_cast<std::size_t>(params.size()) != names.size())
    throw InvalidInput("fit_predict needs " + std::to_string(names.size()) + " parameters, got " +
                       std::to_string(params.size()));
  for (Eigen::Index j = 0; j < params.size(); ++j)
    if (!std::isfinite(params[j])) throw InvalidInput("parameter " + names[static_cast<std::size_t>(j)] + " is not finite");
  for (std::size_t t = 0; t < days; ++t)
    if (!std::isfinite(load[t]) || load[t] < 0.0)
      throw InvalidInput("load on day " + std::to_string(t) + " is " + num(load[t]) + "; loads must be finite and >= 0");
  Vec out(static_cast<Eigen::Index>(days));
  if (model == FitModel::banister) {
    const double p0 = params[0], k1 = params[1], k2 = params[2], tau1 = params[3], tau2 = params[4];
    if (!(tau1 > 0.0) || !(tau2 > 0.0)) throw InvalidInput("tau1 and tau2 must be > 0");
    const double d1 = kinetics::day_decay(tau1), d2 = kinetics::day_decay(tau2);
    double f = 0.0, g = 0.0;
    for (std::size_t t = 0; t < days; ++t) {
      f = kinetics::trace_step(f, d1, load[t]);
      g = kinetics::trace_step(g, d2, load[t]);
      out[static_cast<Eigen::Index>(t)] = kinetics::banister_performance(p0, k1, f, k2, g);
    }
  } else {
    const double p0 = params[0], gain = params[1], room = params[2] - 1.0, td = params[3], k2 = params[4];
    const double tau2 = params[5];
    if (!(td > 0.0) || !(tau2 > 0.0)) throw InvalidInput("tau_detrain and tau2 must be > 0");
    if (!(room > 0.0)) throw InvalidInput("ceiling must be > 1");
    const double ed = kinetics::day_decay(td), d2 = kinetics::day_decay(tau2);
    double s = 0.0, g = 0.0;
    for (std::size_t t = 0; t < days; ++t) {
      s *= ed;
      if (load[t] > 0.0) s = kinetics::saturating_step(s, room, gain, load[t]);
      g = kinetics::trace_step(g, d2, load[t]);
      out[static_cast<Eigen::Index>(t)] = p0 * (1.0 + s - k2 * g);
    }
  }
  return out;
}

}  // namespace chainload
