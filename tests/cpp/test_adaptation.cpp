// Adaptation models (adaptation.hpp): banister_open_loop, make_model + step/read/rested of the
// Banister, Busso and saturating models, ModelParams::validate and parse_model.
//
// Daily convention (README "Conventions"): fitness(t) = fitness(t-1) e^(-1/tau1) + w(t), the same for
// fatigue with tau2, performance(t) = p0 + k1 fitness(t) - k2 fatigue(t); day t's load counts on day t.
// So after one unit of load on day 0, fitness(t) = e^(-t/tau1) and fatigue(t) = e^(-t/tau2).
// Decay factors used below (rounded): e^(-1/42) = 0.976467, e^(-1/7) = 0.866878, e^(-1/10) = 0.904837,
// e^(-1/5) = 0.818731, e^(-1/4) = 0.778801, e^(-1/2) = 0.606531.
#include "catch.hpp"
#include "model_params.hpp"

#include "chainload/adaptation.hpp"
#include "chainload/errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace chainload;
using chainload_test::Approx;
using chainload_test::default_params;
using chainload_test::message_of;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double ex(double x) { return std::exp(x); }

// Rounded to 3 decimals, as the hand numbers are quoted.
double round3(double x) { return std::round(x * 1000.0) / 1000.0; }


Eigen::VectorXd vec2(double a, double b) {
  Eigen::VectorXd v(2);
  v << a, b;
  return v;
}

// A model with its state vector; read() returns all four per-muscle outputs.
struct Run {
  std::unique_ptr<Model> model;
  std::vector<double> state;

  Run(ModelKind kind, const ModelParams& p)
      : model(make_model(kind, p)), state(model->state_per_muscle() * model->n_muscles(), 0.0) {}
  void step(std::vector<double> w) {
    REQUIRE(w.size() == model->n_muscles());
    model->step(w.data(), state.data());
  }
  struct Out {
    std::vector<double> capacity, fitness, fatigue, rested;
  };
  Out read() const {
    const std::size_t n = model->n_muscles();
    // Filled with garbage: read and rested must overwrite every value.
    Out o{std::vector<double>(n, 99.0), std::vector<double>(n, 99.0), std::vector<double>(n, 99.0),
          std::vector<double>(n, 99.0)};
    model->read(state.data(), o.capacity.data(), o.fitness.data(), o.fatigue.data());
    model->rested(state.data(), o.rested.data());
    return o;
  }
};

// Open-loop Banister on one column of loads; returns {fitness, fatigue, performance} per day.
struct Series {
  std::vector<double> fitness, fatigue, performance;
};
Series open_loop(const std::vector<double>& loads, double p0, double k1, double k2, double tau1, double tau2) {
  const std::size_t days = loads.size();
  Series s{std::vector<double>(days), std::vector<double>(days), std::vector<double>(days)};
  banister_open_loop(loads.data(), days, 1, &p0, &k1, &k2, &tau1, &tau2, s.fitness.data(), s.fatigue.data(),
                     s.performance.data());
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// banister_open_loop

TEST_CASE("banister_open_loop: response to one unit of load on day 0", "[adaptation]") {
  // k1 = 1, k2 = 2, tau1 = 42, tau2 = 7, p0 = 0: performance(t) = e^(-t/42) - 2 e^(-t/7).
  //   day 0: 1 - 2 = -1;  day 1: 0.976467 - 2 x 0.866878 = -0.757.
  //   Positive once e^(t (1/7 - 1/42)) > 2, i.e. t > 42 ln 2 / 5 = 5.82: first on day 6.
  //   Continuous maximum where e^(t (1/7 - 1/42)) = 12 (derivative zero), t = 42 ln 12 / 5 = 20.87;
  //   days 20, 21, 22 give 0.50628, 0.50696, 0.50594: day 21, e^(-1/2) - 2 e^(-3) = 0.507.
  std::vector<double> loads(60, 0.0);
  loads[0] = 1.0;
  const auto s = open_loop(loads, 0.0, 1.0, 2.0, 42.0, 7.0);

  CHECK(s.fitness[0] == 1.0);
  CHECK(s.fatigue[0] == 1.0);
  CHECK(s.performance[0] == -1.0);
  CHECK(round3(s.performance[1]) == Approx(-0.757));
  CHECK(s.performance[1] == Approx(ex(-1.0 / 42) - 2 * ex(-1.0 / 7)));
  for (std::size_t t = 0; t < loads.size(); ++t) {
    INFO("day " << t);
    CHECK(s.fitness[t] == Approx(ex(-static_cast<double>(t) / 42)));
    CHECK(s.fatigue[t] == Approx(ex(-static_cast<double>(t) / 7)));
  }

  const auto first_positive = std::find_if(s.performance.begin(), s.performance.end(), [](double p) { return p > 0; });
  CHECK(first_positive - s.performance.begin() == 6);
  CHECK(s.performance[5] < 0.0);
  const auto peak = std::max_element(s.performance.begin(), s.performance.end());
  CHECK(peak - s.performance.begin() == 21);
  CHECK(round3(*peak) == Approx(0.507));
  CHECK(*peak == Approx(ex(-0.5) - 2 * ex(-3.0)));
}

TEST_CASE("banister_open_loop: constant load reaches the geometric steady state", "[adaptation]") {
  // w = 100 every day: fitness(t) = 100 (1 + e1 + ... + e1^t) -> 100 / (1 - e^(-1/42)) = 4250.2,
  // fatigue -> 100 / (1 - e^(-1/7)) = 751.2. After 1500 days e1^1500 ~ 3e-16: converged.
  const std::vector<double> loads(1500, 100.0);
  const auto s = open_loop(loads, 0.0, 1.0, 2.0, 42.0, 7.0);
  CHECK(s.fitness[0] == 100.0);
  CHECK(s.fitness[1] == Approx(100 * ex(-1.0 / 42) + 100));
  CHECK(s.fitness.back() == Approx(4250.0).margin(0.5));
  CHECK(s.fatigue.back() == Approx(751.0).margin(0.5));
  CHECK(s.fitness.back() == Approx(100 / (1 - ex(-1.0 / 42))));
  CHECK(s.fatigue.back() == Approx(100 / (1 - ex(-1.0 / 7))));
  CHECK(s.performance.back() == Approx(s.fitness.back() - 2 * s.fatigue.back()));
}

TEST_CASE("banister_open_loop: many columns equal each column alone", "[adaptation]") {
  // 3 series with their own parameters and loads, row-major days x columns.
  const std::size_t days = 30, cols = 3;
  const double p0[] = {0.0, 1.0, 100.0}, k1[] = {1.0, 0.002, 0.5}, k2[] = {2.0, 0.004, 0.1};
  const double tau1[] = {42.0, 30.0, 60.0}, tau2[] = {7.0, 5.0, 11.0};
  std::vector<double> loads(days * cols);
  for (std::size_t t = 0; t < days; ++t)
    for (std::size_t j = 0; j < cols; ++j) loads[t * cols + j] = static_cast<double>((t * 7 + j * 3) % 5) * (1.0 + static_cast<double>(j));

  std::vector<double> fit(days * cols, 99.0), fat(days * cols, 99.0), perf(days * cols, 99.0);
  banister_open_loop(loads.data(), days, cols, p0, k1, k2, tau1, tau2, fit.data(), fat.data(), perf.data());
  for (std::size_t j = 0; j < cols; ++j) {
    INFO("column " << j);
    std::vector<double> alone(days);
    for (std::size_t t = 0; t < days; ++t) alone[t] = loads[t * cols + j];
    const auto s = open_loop(alone, p0[j], k1[j], k2[j], tau1[j], tau2[j]);
    for (std::size_t t = 0; t < days; ++t) {
      CHECK(fit[t * cols + j] == s.fitness[t]);
      CHECK(fat[t * cols + j] == s.fatigue[t]);
      CHECK(perf[t * cols + j] == s.performance[t]);
    }
  }
  // Column 1 (p0 = 1) by hand on day 0: load 3 x 2 = 6 -> 1 + 0.002 x 6 - 0.004 x 6 = 0.988.
  CHECK(loads[1] == 6.0);
  CHECK(perf[1] == Approx(0.988));
}

TEST_CASE("banister_open_loop skips null outputs", "[adaptation]") {
  const std::vector<double> loads{1.0, 0.0, 2.0, 0.0};
  const double p0 = 0.5, k1 = 1.0, k2 = 2.0, tau1 = 42.0, tau2 = 7.0;
  const auto all = open_loop(loads, p0, k1, k2, tau1, tau2);
  std::vector<double> only(4, 99.0);
  banister_open_loop(loads.data(), 4, 1, &p0, &k1, &k2, &tau1, &tau2, only.data(), nullptr, nullptr);
  CHECK(only == all.fitness);
  std::fill(only.begin(), only.end(), 99.0);
  banister_open_loop(loads.data(), 4, 1, &p0, &k1, &k2, &tau1, &tau2, nullptr, only.data(), nullptr);
  CHECK(only == all.fatigue);
  std::fill(only.begin(), only.end(), 99.0);
  banister_open_loop(loads.data(), 4, 1, &p0, &k1, &k2, &tau1, &tau2, nullptr, nullptr, only.data());
  CHECK(only == all.performance);
  CHECK_NOTHROW(banister_open_loop(loads.data(), 4, 1, &p0, &k1, &k2, &tau1, &tau2, nullptr, nullptr, nullptr));
  // Zero days: nothing written, nothing thrown.
  CHECK_NOTHROW(banister_open_loop(loads.data(), 0, 1, &p0, &k1, &k2, &tau1, &tau2, only.data(), nullptr, nullptr));
}

TEST_CASE("banister_open_loop rejects non-positive or non-finite time constants", "[adaptation][errors]") {
  const std::vector<double> loads(4, 1.0);  // 2 days x 2 columns
  const double p0[] = {0, 0}, k1[] = {1, 1}, k2[] = {2, 2};
  std::vector<double> perf(4);
  auto run = [&](double t1, double t2) {
    const double tau1[] = {42.0, t1}, tau2[] = {7.0, t2};
    banister_open_loop(loads.data(), 2, 2, p0, k1, k2, tau1, tau2, nullptr, nullptr, perf.data());
  };
  CHECK_NOTHROW(run(42.0, 7.0));
  for (const double bad : {0.0, -1.0, kNaN, kInf, -kInf}) {
    INFO("bad tau " << bad);
    CHECK_THROWS_AS(run(bad, 7.0), InvalidInput);
    CHECK_THROWS_AS(run(42.0, bad), InvalidInput);
  }
  CHECK(message_of([&] { run(0.0, 7.0); }) == "tau1 and tau2 must be finite and > 0 (series 1)");
}

// ---------------------------------------------------------------------------------------------
// make_model and the models

TEST_CASE("Banister model on two muscles by hand", "[adaptation]") {
  ModelParams p = default_params(2);
  p.k1 = vec2(0.5, 0.25);
  p.k2 = vec2(1.0, 0.125);
  p.tau1 = vec2(42.0, 10.0);
  p.tau2 = vec2(7.0, 5.0);
  Run r(ModelKind::banister, p);
  REQUIRE(r.model->n_muscles() == 2);
  REQUIRE(r.model->state_per_muscle() == 2);

  // Zero state: capacity 1, rested 1.
  auto o = r.read();
  CHECK(o.capacity == std::vector<double>{1.0, 1.0});
  CHECK(o.rested == std::vector<double>{1.0, 1.0});

  // Day 0, loads 1 and 2: fit = fat = (1, 2). Fitness term k1 fit = (0.5, 0.5), fatigue term
  // k2 fat = (1, 0.25); capacity = 1 + 0.5 - 1 = 0.5 and 1 + 0.5 - 0.25 = 1.25; rested = 1 + k1 fit = 1.5.
  r.step({1.0, 2.0});
  CHECK(r.state == std::vector<double>{1.0, 2.0, 1.0, 2.0});  // fitness of both muscles, then fatigue
  o = r.read();
  CHECK(o.fitness == std::vector<double>{0.5, 0.5});
  CHECK(o.fatigue == std::vector<double>{1.0, 0.25});
  CHECK(o.capacity == std::vector<double>{0.5, 1.25});
  CHECK(o.rested == std::vector<double>{1.5, 1.5});

  // Day 1, no load: one day of decay.
  //   muscle 0: 1 + 0.5 x 0.976467 - 1 x 0.866878 = 0.621358
  //   muscle 1: 1 + 0.25 x 2 x 0.904837 - 0.125 x 2 x 0.818731 = 1.247736
  r.step({0.0, 0.0});
  o = r.read();
  CHECK(o.fitness[0] == Approx(0.5 * ex(-1.0 / 42)));
  CHECK(o.fatigue[0] == Approx(ex(-1.0 / 7)));
  CHECK(o.capacity[0] == Approx(0.621358).epsilon(1e-5));
  CHECK(o.capacity[1] == Approx(1.247736).epsilon(1e-5));
  CHECK(o.capacity[1] == Approx(1 + 0.5 * ex(-1.0 / 10) - 0.25 * ex(-1.0 / 5)));
  CHECK(o.rested[0] == Approx(1 + 0.5 * ex(-1.0 / 42)));
  CHECK(o.rested[1] == Approx(1 + 0.5 * ex(-1.0 / 10)));
}

TEST_CASE("Busso model on two muscles by hand", "[adaptation]") {
  // Fatigue term = k3 h(t) fat(t), h(t) = h(t-1) e^(-1/tau3) + w(t); k2 plays no part (set huge to show it).
  ModelParams p = default_params(2);
  p.k1 = vec2(0.01, 0.02);
  p.k2 = vec2(100.0, 100.0);
  p.k3 = vec2(0.001, 0.002);
  p.tau1 = vec2(42.0, 10.0);
  p.tau2 = vec2(7.0, 5.0);
  p.tau3 = vec2(4.0, 2.0);
  Run r(ModelKind::busso, p);
  REQUIRE(r.model->state_per_muscle() == 3);
  CHECK(r.read().capacity == std::vector<double>{1.0, 1.0});

  // Day 0, loads (2, 1): fit = fat = h = (2, 1).
  //   fitness term k1 fit = (0.02, 0.02); fatigue term k3 h fat = (0.001 x 4, 0.002 x 1) = (0.004, 0.002)
  //   capacity = (1.016, 1.018); rested = 1 + k1 fit = (1.02, 1.02).
  r.step({2.0, 1.0});
  auto o = r.read();
  CHECK(o.fitness[0] == Approx(0.02));
  CHECK(o.fitness[1] == Approx(0.02));
  CHECK(o.fatigue[0] == Approx(0.004));
  CHECK(o.fatigue[1] == Approx(0.002));
  CHECK(o.capacity[0] == Approx(1.016));
  CHECK(o.capacity[1] == Approx(1.018));
  CHECK(o.rested[0] == Approx(1.02));

  // Day 1, loads (1, 0):
  //   muscle 0: fit = 2 x 0.976467 + 1 = 2.952934, fat = 2 x 0.866878 + 1 = 2.733756,
  //             h = 2 x 0.778801 + 1 = 2.557602; fatigue term 0.001 x 2.557602 x 2.733756 = 0.006992;
  //             capacity = 1 + 0.029529 - 0.006992 = 1.022538
  //   muscle 1: fit = 0.904837, fat = 0.818731, h = 0.606531; fatigue 0.002 x 0.606531 x 0.818731 = 0.000993;
  //             capacity = 1 + 0.018097 - 0.000993 = 1.017104
  r.step({1.0, 0.0});
  o = r.read();
  CHECK(o.fitness[0] == Approx(0.029529).epsilon(1e-4));
  CHECK(o.fatigue[0] == Approx(0.006992).epsilon(1e-3));
  CHECK(o.fatigue[0] == Approx(0.001 * (2 * ex(-1.0 / 4) + 1) * (2 * ex(-1.0 / 7) + 1)));
  CHECK(o.capacity[0] == Approx(1.022538).epsilon(1e-6));
  CHECK(o.fitness[1] == Approx(0.018097).epsilon(1e-4));
  CHECK(o.fatigue[1] == Approx(0.000993).epsilon(1e-3));
  CHECK(o.fatigue[1] == Approx(0.002 * ex(-1.0 / 2) * ex(-1.0 / 5)));
  CHECK(o.capacity[1] == Approx(1.017104).epsilon(1e-6));
  CHECK(o.rested[0] == Approx(1 + 0.01 * (2 * ex(-1.0 / 42) + 1)));
  CHECK(o.rested[1] == Approx(1 + 0.02 * ex(-1.0 / 10)));
}

TEST_CASE("Saturating model on two muscles by hand", "[adaptation]") {
  // Stored S - 1 (0 at the start). Each day: decay, (S-1) *= e^(-1/tau_detrain); then the load,
  // integrated exactly: (S-1) = room - (room - (S-1)) e^(-gain w / room), room = ceiling - 1.
  // capacity = S - k2 fat (Banister fatigue on top), rested = S.
  ModelParams p = default_params(2);
  p.gain = vec2(0.01, 0.02);
  p.ceiling = vec2(1.5, 2.0);
  p.tau_detrain = vec2(120.0, 60.0);
  p.k2 = vec2(0.004, 0.0);
  p.tau2 = vec2(7.0, 7.0);
  Run r(ModelKind::saturating, p);
  REQUIRE(r.model->state_per_muscle() == 2);
  CHECK(r.read().capacity == std::vector<double>{1.0, 1.0});

  // Day 0, loads (10, 5): gain w / room = 0.01 x 10 / 0.5 = 0.2 and 0.02 x 5 / 1 = 0.1, so
  //   S - 1 = 0.5 (1 - e^-0.2) = 0.090635 and 1 (1 - e^-0.1) = 0.095163;
  //   fatigue term = (0.004 x 10, 0) = (0.04, 0); capacity = (1.050635, 1.095163).
  r.step({10.0, 5.0});
  auto o = r.read();
  CHECK(o.fitness[0] == Approx(0.5 * (1 - ex(-0.2))));
  CHECK(o.fitness[0] == Approx(0.090635).epsilon(1e-5));
  CHECK(o.fitness[1] == Approx(1 - ex(-0.1)));
  CHECK(o.fitness[1] == Approx(0.095163).epsilon(1e-5));
  CHECK(o.fatigue[0] == Approx(0.04));
  CHECK(o.fatigue[1] == 0.0);
  CHECK(o.capacity[0] == Approx(1.050635).epsilon(1e-6));
  CHECK(o.capacity[1] == Approx(1.095163).epsilon(1e-6));
  CHECK(o.rested[0] == Approx(1 + o.fitness[0]));
  CHECK(o.rested[1] == Approx(1 + o.fitness[1]));

  // Day 1, same loads: decay first, then the load:
  //   muscle 0: 0.5 - (0.5 - 0.090635 e^(-1/120)) e^-0.2 = 0.164224
  //   muscle 1: 1 - (1 - 0.095163 e^(-1/60)) e^-0.1 = 0.179846
  const double m0 = 0.5 - (0.5 - 0.5 * (1 - ex(-0.2)) * ex(-1.0 / 120)) * ex(-0.2);
  const double m1 = 1 - (1 - (1 - ex(-0.1)) * ex(-1.0 / 60)) * ex(-0.1);
  r.step({10.0, 5.0});
  o = r.read();
  CHECK(o.fitness[0] == Approx(m0));
  CHECK(o.fitness[0] == Approx(0.164224).epsilon(1e-5));
  CHECK(o.fitness[1] == Approx(m1));
  CHECK(o.fitness[1] == Approx(0.179846).epsilon(1e-5));
  CHECK(o.fatigue[0] == Approx(0.004 * (10 * ex(-1.0 / 7) + 10)));
  CHECK(o.capacity[0] == Approx(1 + o.fitness[0] - o.fatigue[0]));

  // Day 2, no load: S - 1 decays by e^(-1/tau_detrain), fatigue by e^(-1/tau2).
  const auto before = o;
  r.step({0.0, 0.0});
  o = r.read();
  CHECK(o.fitness[0] == Approx(before.fitness[0] * ex(-1.0 / 120)));
  CHECK(o.fitness[1] == Approx(before.fitness[1] * ex(-1.0 / 60)));
  CHECK(o.fatigue[0] == Approx(before.fatigue[0] * ex(-1.0 / 7)));
  CHECK(o.rested[1] == Approx(1 + before.fitness[1] * ex(-1.0 / 60)));
}

TEST_CASE("Saturating capacity reaches its fixed point under constant load", "[adaptation]") {
  // Default gain 0.0035, ceiling 1.5, no fatigue (k2 = 0, so capacity = S). With q = e^(-gain w / room)
  // and d = e^(-1/120), the fixed point of x -> room - (room - x d) q is x* = room (1 - q) / (1 - d q).
  ModelParams p = default_params(1);
  p.k2 = Eigen::VectorXd::Zero(1);
  for (const double w : {0.5, 1.0, 3.0, 10.0, 30.0, 100.0, 140.0}) {
    INFO("load " << w);
    Run r(ModelKind::saturating, p);
    double highest = 1.0;
    for (int t = 0; t < 3000; ++t) {
      r.step({w});
      highest = std::max(highest, r.read().capacity[0]);
    }
    CHECK(highest <= 1.5);
    const double q = ex(-0.0035 * w / 0.5), d = ex(-1.0 / 120);
    CHECK(r.read().capacity[0] == Approx(1 + 0.5 * (1 - q) / (1 - d * q)));
  }
}

// Regression (fixed): the saturating model overshoots its ceiling when gain x w > ceiling - 1. The explicit
// update in cpp/src/adaptation.cpp (Saturating::step)
//   const double growth = gain_[i] * w[m] * (room - cap[m]) / room;  cap[m] = cap[m] * ed_[m] + max(growth, 0)
// adds gain w (ceiling - S) / (ceiling - 1) in one step; from S = 1 that is gain x w, so with the default
// gain 0.0035 and ceiling 1.5 a daily load of 200 gives S = 1.7 on day 0, and 1000 gives S = 4.5 (a user
// gain of 0.05 overshoots from 10 sets a day).
//   ./chainload_tests "Saturating capacity never exceeds the ceiling, however large the load"
TEST_CASE("Saturating capacity never exceeds the ceiling, however large the load", "[adaptation]") {
  ModelParams p = default_params(1);
  p.k2 = Eigen::VectorXd::Zero(1);
  for (const double w : {200.0, 1000.0}) {
    INFO("load " << w);
    Run r(ModelKind::saturating, p);
    double highest = 1.0;
    for (int t = 0; t < 3000; ++t) {
      r.step({w});
      highest = std::max(highest, r.read().rested[0]);
    }
    CHECK(highest <= 1.5);
  }
}

TEST_CASE("Saturating capacity detrains towards 1 once loading stops", "[adaptation]") {
  ModelParams p = default_params(1);
  Run r(ModelKind::saturating, p);
  for (int t = 0; t < 365; ++t) r.step({5.0});
  double previous = r.read().rested[0];
  REQUIRE(previous > 1.1);
  // 1000 unloaded days: S - 1 shrinks by e^(-1/120) a day and stays positive; e^(-1000/120) = 2.4e-4.
  const double start = previous - 1.0;
  int not_decaying = 0;
  for (int t = 1; t <= 1000; ++t) {
    r.step({0.0});
    const auto o = r.read();
    if (!(o.rested[0] < previous && o.rested[0] > 1.0)) ++not_decaying;
    previous = o.rested[0];
  }
  CHECK(not_decaying == 0);
  CHECK(previous - 1.0 == Approx(start * ex(-1000.0 / 120)));
  CHECK(r.read().capacity[0] == Approx(1.0).margin(1e-3));
}

// ---------------------------------------------------------------------------------------------
// ModelParams::validate and parse_model

TEST_CASE("ModelParams::validate names the parameter and muscle at fault", "[adaptation][errors]") {
  CHECK_NOTHROW(default_params(2).validate());
  CHECK_NOTHROW(default_params(0).validate());
  // Zero gains are allowed (k1 = k2 = 0 is a model that never changes).
  ModelParams zero = default_params(2);
  zero.k1.setZero();
  zero.k2.setZero();
  zero.k3.setZero();
  zero.gain.setZero();
  CHECK_NOTHROW(zero.validate());

  auto check_bad = [](const char* what, auto&& mutate, const std::string& message) {
    INFO(what);
    ModelParams p = default_params(2);
    mutate(p);
    CHECK_THROWS_AS(p.validate(), InvalidInput);
    for (const auto kind : {ModelKind::banister, ModelKind::busso, ModelKind::saturating})
      CHECK_THROWS_AS(make_model(kind, p), InvalidInput);
    if (!message.empty()) CHECK(message_of([&] { p.validate(); }) == message);
  };
  check_bad("tau1 0", [](ModelParams& p) { p.tau1[1] = 0.0; },
            "model parameter tau1 of muscle 1 must be > 0 and finite, got 0.000000");
  check_bad("tau2 negative", [](ModelParams& p) { p.tau2[0] = -7.0; }, "");
  check_bad("tau3 NaN", [](ModelParams& p) { p.tau3[0] = kNaN; }, "");
  check_bad("tau_detrain 0", [](ModelParams& p) { p.tau_detrain[1] = 0.0; }, "");
  check_bad("tau1 infinite", [](ModelParams& p) { p.tau1[0] = kInf; }, "");
  check_bad("k1 negative", [](ModelParams& p) { p.k1[0] = -0.1; },
            "model parameter k1 of muscle 0 must be >= 0 and finite, got -0.100000");
  check_bad("k2 negative", [](ModelParams& p) { p.k2[1] = -1e-3; }, "");
  check_bad("k3 negative", [](ModelParams& p) { p.k3[1] = -1.0; }, "");
  check_bad("gain negative", [](ModelParams& p) { p.gain[0] = -0.0035; }, "");
  check_bad("k1 NaN", [](ModelParams& p) { p.k1[1] = kNaN; }, "");
  check_bad("ceiling 1", [](ModelParams& p) { p.ceiling[1] = 1.0; },
            "model parameter ceiling of muscle 1 must be > 1 (relative to the starting capacity), got 1.000000");
  check_bad("ceiling 0.5", [](ModelParams& p) { p.ceiling[0] = 0.5; }, "");
  check_bad("ceiling 0", [](ModelParams& p) { p.ceiling[0] = 0.0; }, "");
  check_bad("gain with 3 values", [](ModelParams& p) { p.gain = Eigen::VectorXd::Constant(3, 0.0035); },
            "model parameter gain has 3 values for 2 muscles");
  check_bad("tau2 with 1 value", [](ModelParams& p) { p.tau2 = Eigen::VectorXd::Constant(1, 7.0); }, "");
  check_bad("k2 empty", [](ModelParams& p) { p.k2.resize(0); }, "");
}

TEST_CASE("parse_model knows the three models", "[adaptation][errors]") {
  CHECK(parse_model("banister") == ModelKind::banister);
  CHECK(parse_model("busso") == ModelKind::busso);
  CHECK(parse_model("saturating") == ModelKind::saturating);
  CHECK_THROWS_AS(parse_model("x"), UnknownName);
  CHECK_THROWS_AS(parse_model(""), UnknownName);
  CHECK_THROWS_AS(parse_model("Banister"), UnknownName);
  // "x" is far from every name (distances >= 8): no suggestion. "bussu" -> "busso" is 1 substitution.
  CHECK(message_of([] { parse_model("x"); }) == "unknown model 'x'");
  CHECK(message_of([] { parse_model("bussu"); }) == "unknown model 'bussu'; did you mean 'busso'?");
}

// model_values_ok is the population check's fast pass (simulator.cpp): a value it accepts is never
// checked again, so it must reject exactly what validate_model_values rejects, at every position
// (its vector pairs and its odd tail).
TEST_CASE("model_values_ok agrees with validate_model_values at every position", "[adaptation][errors]") {
  constexpr std::size_t count = 5;
  std::vector<std::vector<double>> values(chainload::model_param_fields.size());
  chainload::ModelParamRows rows{};
  for (std::size_t f = 0; f < values.size(); ++f) {
    values[f].assign(count, chainload::model_param_fields[f].default_value);
    rows[f] = values[f].data();
  }
  auto validates = [&] {
    try {
      chainload::validate_model_values(rows, count);
      return true;
    } catch (const chainload::InvalidInput&) {
      return false;
    }
  };
  REQUIRE(chainload::model_values_ok(rows, count));
  REQUIRE(validates());
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t f = 0; f < values.size(); ++f)
    for (std::size_t m = 0; m < count; ++m)
      for (double bad : {nan, inf, -inf, -1.0, 0.0, -0.0, 1.0, 0.5}) {
        const double kept = values[f][m];
        values[f][m] = bad;
        INFO(chainload::model_param_fields[f].name << "[" << m << "] = " << bad);
        CHECK(chainload::model_values_ok(rows, count) == validates());
        values[f][m] = kept;
      }
}
