// Model fitting (fit.hpp): fit_predict against the adaptation models, exact recovery of known
// parameters from noise-free data made by the model, bounds, fixed parameters, determinism, the
// bootstrap, and the errors on bad input.
//
// The synthetic load series: 165 days (23.5 weeks), training on Monday, Wednesday and Friday,
// rest on the other days, the load of a session cycling 4, 5, 6 (tonnes, say) and every fourth
// week a deload at half load. Tests on the days listed in each test case.
#include "catch.hpp"

#include "chainload/adaptation.hpp"
#include "chainload/errors.hpp"
#include "chainload/fit.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace chainload;
using chainload_test::Approx;
using chainload_test::message_of;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> loads(std::size_t days = 165) {
  std::vector<double> w(days, 0.0);
  int session = 0;
  for (std::size_t t = 0; t < days; ++t) {
    const std::size_t weekday = t % 7, week = t / 7;
    if (weekday == 0 || weekday == 2 || weekday == 4) {
      w[t] = 4.0 + static_cast<double>(session % 3);
      if (week % 4 == 3) w[t] *= 0.5;
      ++session;
    }
  }
  return w;
}

Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) out[i++] = x;
  return out;
}

// Observations of `truth` on `days` (optionally with lag 1: the test sees the day before).
std::vector<double> observe(FitModel m, const Eigen::VectorXd& truth, const std::vector<double>& w,
                            const std::vector<std::int32_t>& days, int lag = 0) {
  const Eigen::VectorXd perf = fit_predict(m, truth, w.data(), w.size());
  std::vector<double> y;
  for (std::int32_t d : days) y.push_back(d - lag < 0 ? truth[0] : perf[d - lag]);
  return y;
}

FitOptions quick(int starts = 20, int bootstrap = 0) {
  FitOptions o;
  o.starts = starts;
  o.bootstrap = bootstrap;
  return o;
}

const std::vector<std::int32_t> kTestDays{0, 14, 28, 42, 56, 70, 84, 98, 112, 126, 140, 164};
const Eigen::VectorXd kTruth = vec({100.0, 0.1, 0.2, 40.0, 8.0});  // p0, k1, k2, tau1, tau2

}  // namespace

TEST_CASE("fit_predict is banister_open_loop and p0 x the saturating model's capacity", "[fit]") {
  const std::vector<double> w = loads(60);
  const Eigen::VectorXd b = fit_predict(FitModel::banister, kTruth, w.data(), w.size());
  std::vector<double> perf(w.size());
  const double p0 = 100.0, k1 = 0.1, k2 = 0.2, tau1 = 40.0, tau2 = 8.0;
  banister_open_loop(w.data(), w.size(), 1, &p0, &k1, &k2, &tau1, &tau2, nullptr, nullptr, perf.data());
  for (std::size_t t = 0; t < w.size(); ++t) CHECK(b[static_cast<Eigen::Index>(t)] == Approx(perf[t]).epsilon(1e-14));

  ModelParams p;
  auto one = [](double x) { return Eigen::VectorXd::Constant(1, x); };
  p.k1 = one(0.0);
  p.tau1 = one(1.0);
  p.k3 = one(0.0);
  p.tau3 = one(1.0);
  p.gain = one(0.02);
  p.ceiling = one(1.4);
  p.tau_detrain = one(120.0);
  p.k2 = one(0.01);
  p.tau2 = one(6.0);
  auto model = make_model(ModelKind::saturating, p);
  std::vector<double> state(2, 0.0);
  const Eigen::VectorXd s = fit_predict(FitModel::saturating, vec({80.0, 0.02, 1.4, 120.0, 0.01, 6.0}), w.data(), w.size());
  for (std::size_t t = 0; t < w.size(); ++t) {
    double cap = 0, fit = 0, fat = 0;
    model->step(&w[t], state.data());
    model->read(state.data(), &cap, &fit, &fat);
    CHECK(s[static_cast<Eigen::Index>(t)] == Approx(80.0 * cap).epsilon(1e-14));
  }
}

TEST_CASE("Banister fit recovers the parameters exactly from noise-free data", "[fit]") {
  const std::vector<double> w = loads();
  for (int lag : {0, 1}) {
    INFO("lag " << lag);
    const std::vector<double> y = observe(FitModel::banister, kTruth, w, kTestDays, lag);
    FitOptions o = quick();
    o.lag = lag;
    const FitResult r = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), y.data(), y.size(),
                                  default_fit_bounds(FitModel::banister), o);
    CHECK(r.n_obs == kTestDays.size());
    CHECK(r.n_free == 5);
    CHECK(r.sse < 1e-16);
    for (Eigen::Index j = 0; j < 5; ++j) CHECK(r.params[j] == Approx(kTruth[j]).epsilon(1e-6));
    REQUIRE(r.fitted.size() == static_cast<Eigen::Index>(y.size()));
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(r.fitted[static_cast<Eigen::Index>(i)] == Approx(y[i]).epsilon(1e-9));
    CHECK(r.starts.size() == 20);
  }
}

TEST_CASE("Banister fit from 9 test days and the fewest starts that find the optimum", "[fit]") {
  const std::vector<double> w = loads();
  const std::vector<std::int32_t> days{3, 21, 38, 59, 77, 96, 118, 140, 162};
  const std::vector<double> y = observe(FitModel::banister, kTruth, w, days);
  const FitResult r = fit_model(FitModel::banister, w.data(), w.size(), days.data(), y.data(), y.size(),
                                default_fit_bounds(FitModel::banister), quick(20));
  for (Eigen::Index j = 0; j < 5; ++j) CHECK(r.params[j] == Approx(kTruth[j]).epsilon(1e-6));
  int at_optimum = 0;
  for (const FitStart& s : r.starts) {
    CHECK(std::isnan(s.initial[0]));  // linear parameters are solved for, not started
    CHECK(s.initial[3] >= 1.0);
    CHECK(s.initial[4] <= 100.0);
    if (s.sse < 1e-12) ++at_optimum;
  }
  CHECK(at_optimum >= 5);
}

TEST_CASE("Saturating fit recovers the parameters from noise-free data", "[fit]") {
  const std::vector<double> w = loads();
  std::vector<std::int32_t> days;
  for (std::int32_t d = 1; d < 165; d += 6) days.push_back(d);
  const Eigen::VectorXd truth = vec({80.0, 0.02, 1.4, 120.0, 0.01, 6.0});
  const std::vector<double> y = observe(FitModel::saturating, truth, w, days);
  const FitResult r = fit_model(FitModel::saturating, w.data(), w.size(), days.data(), y.data(), y.size(),
                                default_fit_bounds(FitModel::saturating), quick(30));
  CHECK(r.sse < 1e-12);
  for (Eigen::Index j = 0; j < 6; ++j) CHECK(r.params[j] == Approx(truth[j]).epsilon(1e-4));
}

TEST_CASE("Fits stay inside the bounds; equal bounds fix a parameter", "[fit]") {
  const std::vector<double> w = loads();
  const std::vector<double> y = observe(FitModel::banister, kTruth, w, kTestDays);
  FitBounds b = default_fit_bounds(FitModel::banister);
  SECTION("a bound that excludes the truth is where the fit ends") {
    b.upper[3] = 30.0;  // tau1 <= 30 < 40
    b.lower[4] = 10.0;  // tau2 >= 10 > 8
    b.upper[2] = 0.15;  // k2 <= 0.15 < 0.2
    const FitResult r = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), y.data(), y.size(), b, quick());
    CHECK(r.sse > 1e-6);
    for (const FitStart& s : r.starts)
      for (Eigen::Index j = 0; j < 5; ++j) {
        CHECK(s.params[j] >= b.lower[j]);
        CHECK(s.params[j] <= b.upper[j]);
      }
    CHECK(r.params[3] <= 30.0);
    CHECK(r.params[4] >= 10.0);
    CHECK(r.params[2] <= 0.15);
  }
  SECTION("fixed time constants: only the gains are fitted") {
    b.lower[3] = b.upper[3] = 40.0;
    b.lower[4] = b.upper[4] = 8.0;
    const std::vector<std::int32_t> three{14, 70, 140};
    const std::vector<double> y3 = observe(FitModel::banister, kTruth, w, three);
    const FitResult r = fit_model(FitModel::banister, w.data(), w.size(), three.data(), y3.data(), 3, b, quick(3, 10));
    CHECK(r.n_free == 3);
    CHECK(r.params[3] == 40.0);
    CHECK(r.params[4] == 8.0);
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(r.params[j] == Approx(kTruth[j]).epsilon(1e-8));
    CHECK(std::isnan(r.se[0]));  // 3 observations, 3 free parameters: no residual to resample
    CHECK(r.replicates.rows() == 0);
  }
  SECTION("non-negative gains: a negative optimum is held at zero") {
    std::vector<double> flat(y.size(), 100.0);
    for (std::size_t i = 0; i < flat.size(); ++i) flat[i] -= 0.5 * static_cast<double>(i);  // declines with training
    const FitResult r = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), flat.data(), flat.size(), b, quick());
    CHECK(r.params[1] >= 0.0);
    CHECK(r.params[2] >= 0.0);
  }
}

TEST_CASE("Fits are a function of the seed only; the bootstrap brackets the estimate", "[fit]") {
  const std::vector<double> w = loads();
  std::vector<double> y = observe(FitModel::banister, kTruth, w, kTestDays);
  const double noise[] = {0.8, -1.1, 0.3, 1.5, -0.6, -0.2, 0.9, -1.4, 0.4, 0.1, -0.7, 1.0};
  for (std::size_t i = 0; i < y.size(); ++i) y[i] += noise[i];
  FitOptions o = quick(10, 50);
  o.threads = 1;
  const FitResult a = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), y.data(), y.size(),
                                default_fit_bounds(FitModel::banister), o);
  o.threads = 2;
  const FitResult b = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), y.data(), y.size(),
                                default_fit_bounds(FitModel::banister), o);
  CHECK(a.params == b.params);
  CHECK(a.replicates == b.replicates);
  o.seed = 1;
  const FitResult c = fit_model(FitModel::banister, w.data(), w.size(), kTestDays.data(), y.data(), y.size(),
                                default_fit_bounds(FitModel::banister), o);
  CHECK(c.replicates != a.replicates);
  REQUIRE(a.replicates.rows() == 50);
  for (Eigen::Index j = 0; j < 5; ++j) {
    CHECK(a.se[j] > 0.0);
    CHECK(a.ci_low[j] <= a.ci_high[j]);
    CHECK(a.replicates.col(j).minCoeff() <= a.ci_low[j]);
    CHECK(a.replicates.col(j).maxCoeff() >= a.ci_high[j]);
  }
  // The SSE is the best over the starts, and the fitted values reproduce it.
  double sse = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) sse += (y[i] - a.fitted[static_cast<Eigen::Index>(i)]) * (y[i] - a.fitted[static_cast<Eigen::Index>(i)]);
  CHECK(a.sse == Approx(sse).epsilon(1e-10));
  for (const FitStart& s : a.starts) CHECK(s.sse >= a.sse);
}

TEST_CASE("Fit rejects bad input with a message naming it", "[fit][errors]") {
  std::vector<double> w = loads(30);
  const std::vector<std::int32_t> days{0, 5, 10, 15, 20, 25};
  std::vector<double> y(days.size(), 100.0);
  const FitBounds b = default_fit_bounds(FitModel::banister);
  const FitOptions o = quick(2);
  auto fit = [&](const std::vector<double>& load, const std::vector<std::int32_t>& d, const std::vector<double>& v,
                 const FitBounds& bb, const FitOptions& oo) {
    fit_model(FitModel::banister, load.data(), load.size(), d.data(), v.data(), d.size(), bb, oo);
  };
  CHECK_NOTHROW(fit(w, days, y, b, o));
  std::vector<double> bad = w;
  bad[3] = kNaN;
  CHECK(message_of([&] { fit(bad, days, y, b, o); }) ==
        "load on day 3 is nan; loads must be finite and >= 0 (0 on rest days)");
  bad[3] = -1.0;
  CHECK_THROWS_AS(fit(bad, days, y, b, o), InvalidInput);
  CHECK(message_of([&] { fit(w, {}, {}, b, o); }) == "no observations: performance is needed on at least one day");
  CHECK(message_of([&] { fit(w, {1, 2, 3, 4}, {1, 2, 3, 4}, b, o); }) ==
        "4 observations for 5 free parameters: at least one observation per parameter is needed (or fix some "
        "parameters with equal bounds)");
  CHECK(message_of([&] { fit(w, {0, 5, 10, 15, 30}, {1, 2, 3, 4, 5}, b, o); }) ==
        "observation 4 is on day 30, outside the load series (days 0 to 29)");
  std::vector<double> ynan = y;
  ynan[2] = kNaN;
  CHECK(message_of([&] { fit(w, days, ynan, b, o); }) == "observation 2 (day 10) is nan");
  FitBounds bb = b;
  bb.lower[3] = 50.0;
  bb.upper[3] = 20.0;
  CHECK(message_of([&] { fit(w, days, y, bb, o); }) == "bounds of tau1: low 50.0 is above high 20.0");
  bb = b;
  bb.lower[4] = 0.0;
  CHECK(message_of([&] { fit(w, days, y, bb, o); }) == "lower bound of tau2 must be > 0 days, got 0");
  bb = b;
  bb.upper[3] = kInf;
  CHECK_THROWS_AS(fit(w, days, y, bb, o), InvalidInput);
  bb = b;
  bb.lower[1] = kNaN;
  CHECK(message_of([&] { fit(w, days, y, bb, o); }) == "bounds of k1 contain NaN");
  bb.lower.resize(3);
  CHECK_THROWS_AS(fit(w, days, y, bb, o), InvalidInput);
  FitOptions oo = o;
  oo.starts = 0;
  CHECK(message_of([&] { fit(w, days, y, b, oo); }) == "starts must be >= 1, got 0");
  CHECK(message_of([&] { fit({}, days, y, b, o); }) == "the load series is empty");
  CHECK_THROWS_AS(parse_fit_model("banniser"), UnknownName);
  CHECK(parse_fit_model("saturating") == FitModel::saturating);
  FitBounds sb = default_fit_bounds(FitModel::saturating);
  sb.lower[2] = 1.0;
  CHECK(message_of([&] {
          fit_model(FitModel::saturating, w.data(), w.size(), days.data(), y.data(), y.size(), sb, o);
        }) == "lower bound of ceiling must be > 1 (relative to the starting capacity), got 1");
}
