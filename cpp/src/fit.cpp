// The public fit (fit.hpp): names, default bounds and their check, the starts and the bootstrap
// around the solver (detail/fit_solver.hpp, on the curves of detail/fit_curves.hpp), and the
// models' daily performance (fit_predict).
#include "chainload/fit.hpp"

#include "chainload/detail/fit_solver.hpp"
#include "chainload/detail/parallel.hpp"
#include "chainload/errors.hpp"
#include "chainload/kinetics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <sstream>

namespace chainload {

namespace {

using fit_detail::LmResult;
using fit_detail::make_curve;
using fit_detail::Problem;
using fit_detail::Vec;
using fit_detail::Work;
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
