#pragma once
// Fitting an adaptation model to observed performance (test results or e1RM history) on some days,
// given the daily load: bounded nonlinear least squares with multiple starts and a residual bootstrap.
//
// Models (the conventions of adaptation.hpp: day t's load counts on day t, state 0 before day 0):
//   banister    performance(t) = p0 + k1 * fitness(t) - k2 * fatigue(t),
//               fitness(t) = fitness(t-1) e^(-1/tau1) + w(t), fatigue the same with tau2.
//               Parameters, in this order: p0, k1, k2, tau1, tau2.
//   saturating  performance(t) = p0 * (1 + S(t) - k2 * fatigue(t)), S(t) the long-term capacity gain of
//               adaptation.cpp's saturating model (stored there as S - 1: 0 at the start):
//               S <- S e^(-1/tau_detrain), then S <- R - (R - S) e^(-gain w / R), R = ceiling - 1.
//               Parameters, in this order: p0, gain, ceiling, tau_detrain, k2, tau2.
//
// Method: variable projection. Performance is linear in some parameters (banister: p0, k1, k2;
// saturating: p0) for fixed values of the others (the time constants ...). For given nonlinear
// parameters theta, the linear ones are the exact box-bounded linear least-squares solution (active
// sets enumerated); theta is fitted by Levenberg-Marquardt on that reduced problem with the analytic
// Jacobian (Kaufman's approximation, exact at zero residual; its gradient is exact), in log
// coordinates for parameters whose lower bound is > 0, with box bounds kept by an active set
// (a coordinate at its bound with the gradient pointing out is held there) and projection.
// Starts: a seeded Latin hypercube over the box of the nonlinear parameters (in those coordinates).
// Uncertainty: residual bootstrap. The residuals of the best fit, centred and scaled by
// sqrt(n / (n - p)) (p = the parameters not fixed by equal bounds), are resampled with
// replacement onto the fitted values; each resample is refitted from the best fit. Per parameter:
// standard error (sample SD of the replicates) and the 2.5 / 97.5 % percentiles (linear
// interpolation, numpy's default).
#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chainload {

enum class FitModel { banister, saturating };
FitModel parse_fit_model(const std::string& name);
// Parameter names in the order used by every vector below.
std::vector<std::string> fit_param_names(FitModel model);

struct FitBounds {
  Eigen::VectorXd lower, upper;  // one value per parameter; lower == upper fixes a parameter
};
// banister: p0 free, k1, k2 in [0, inf), tau1, tau2 in [1, 100] d.
// saturating: p0 in [0, inf), gain in [1e-5, 10], ceiling in [1.01, 5], tau_detrain in [1, 1000] d,
// k2 in [0, 1], tau2 in [1, 100] d.
FitBounds default_fit_bounds(FitModel model);
// The one check of bounds (fit_model runs it, Python's fit.py calls it before any work): one
// lower and upper value per parameter, no NaN, lower <= upper, a fixed value finite; the
// nonlinear parameters' bounds finite, time constants > 0, ceiling > 1, gain and k2 >= 0;
// saturating p0 >= 0. Throws InvalidInput naming the parameter and the values.
void check_fit_bounds(FitModel model, const FitBounds& bounds);

struct FitOptions {
  int starts = 20;          // >= 1
  int bootstrap = 200;      // >= 0 resamples
  std::uint64_t seed = 0;   // starts and resamples are a function of the seed only
  int max_iterations = 200; // Levenberg-Marquardt iterations (accepted or rejected steps) per fit
  int lag = 0;              // 0: a test on day t sees performance(t); 1: performance(t-1) (a test taken
                            // before day t's load), with performance(-1) = the state-0 value
  unsigned threads = 1;     // for the bootstrap (0 = all cores); results do not depend on it
};

struct FitStart {
  Eigen::VectorXd initial;  // the start: nonlinear parameters set, linear ones NaN (solved for)
  Eigen::VectorXd params;   // where it ended
  double sse = 0.0;
  int iterations = 0;
  bool converged = false;   // stopped by a tolerance, not by max_iterations
};

struct FitResult {
  Eigen::VectorXd params;  // the best fit over the starts
  double sse = 0.0;
  std::size_t n_obs = 0;
  std::size_t n_free = 0;  // parameters not fixed by equal bounds
  Eigen::VectorXd fitted;  // model performance at each observation (in the input's order)
  std::vector<FitStart> starts;
  // Bootstrap: replicates (bootstrap x parameters), and per parameter the standard error and the
  // 2.5 / 97.5 % percentiles. NaN when bootstrap = 0 or n_obs <= n_free (no residual degrees of freedom).
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> replicates;
  Eigen::VectorXd se, ci_low, ci_high;
};

// Fits `model` to obs_value[i] observed on day obs_day[i] (0 <= day < days; any order, repeats
// allowed) given load[0 .. days-1] (finite, >= 0). Throws InvalidInput on bad input: a NaN or
// negative load, a day out of range, a non-finite observation, fewer observations than free
// parameters, or bounds that check_fit_bounds rejects.
FitResult fit_model(FitModel model, const double* load, std::size_t days, const std::int32_t* obs_day,
                    const double* obs_value, std::size_t n_obs, const FitBounds& bounds, const FitOptions& options);

// Daily performance of `model` with `params` (ordered as fit_param_names) over load[0 .. days-1]:
// performance(t) in the convention above (lag 0).
Eigen::VectorXd fit_predict(FitModel model, const Eigen::VectorXd& params, const double* load, std::size_t days);

}  // namespace chainload
