// The athlete-batched closed loop (simulate_batch without trajectories) against the scalar loop
// (simulate, or CHAINLOAD_ISA=scalar): the same summaries bit for bit, for every instruction set
// this CPU runs, on 1 and 2 threads; and the plate rounding without libm against std::round.
#include "catch.hpp"
#include "model_params.hpp"

#include "chainload/detail/lanes.hpp"
#include "chainload/dose.hpp"
#include "chainload/errors.hpp"
#include "chainload/progression.hpp"
#include "chainload/simulator.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace chainload;

namespace {

std::uint64_t bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// Sets CHAINLOAD_ISA for its lifetime.
struct ForceIsa {
  explicit ForceIsa(const char* isa) { setenv("CHAINLOAD_ISA", isa, 1); }
  ~ForceIsa() { unsetenv("CHAINLOAD_ISA"); }
};

// Four exercises over six muscles: a squat (0 at 1.0, 1 at 0.6, 2 at 0.3), a curl (3 alone), a
// row sharing muscle 2 with the squat, and a test-only lift on muscle 4 (and 0) that the program
// never trains: muscles 4 and 5 are never loaded (the batched loop skips their day steps).
ActivationTable three_lifts() {
  RowMatrix dense(4, 6);
  dense << 1.0, 0.6, 0.3, 0.0, 0.0, 0.0,  //
      0.0, 0.0, 0.0, 1.0, 0.0, 0.0,        //
      0.0, 0.2, 0.9, 0.1, 0.0, 0.0,        //
      0.5, 0.0, 0.0, 0.0, 1.0, 0.0;
  return ActivationTable(dense);
}

PrescriptionSpec rx(std::int32_t exercise, Intensity intensity, double value, Rule rule, double increment) {
  PrescriptionSpec p;
  p.exercise = exercise;
  p.sets = 3;
  p.reps_low = 5;
  p.reps_high = 8;
  p.intensity = intensity;
  p.value = value;
  p.rule = rule;
  p.increment = increment;
  return p;
}

// 20 weeks, three sessions a week, every rule: linear per session (with automatic deloads), double
// progression, a wave, rpe, a weekly linear increment on an RIR target; planned deloads in weeks 5
// and 12; the last days are rest days.
ProgramSpec every_rule() {
  ProgramSpec p;
  p.n_days = 20 * 7;
  auto linear = rx(0, Intensity::percent, 82.0, Rule::linear, 2.5);
  linear.deload_after = 2;
  auto dbl = rx(1, Intensity::kg, 14.0, Rule::double_progression, 1.0);
  dbl.round_kg = 1.0;
  auto wave = rx(2, Intensity::percent, 0.0, Rule::wave, 2.5);
  wave.wave = {70.0, 77.5, 85.0, 65.0};
  wave.deload_after = 1;
  auto rpe = rx(0, Intensity::kg, 0.0, Rule::rpe, 0.0);
  auto weekly = rx(2, Intensity::rir, 2.0, Rule::linear, 1.25);
  weekly.per_week = true;
  p.prescriptions = {linear, dbl, wave, rpe, weekly};
  for (std::int32_t week = 0; week < 20; ++week) {
    p.schedule.push_back({7 * week, 0});
    p.schedule.push_back({7 * week, 1});
    p.schedule.push_back({7 * week + 2, 2});
    p.schedule.push_back({7 * week + 2, 3});
    if (week < 19) p.schedule.push_back({7 * week + 4, 4});
    p.schedule.push_back({7 * week + 4, 1});
  }
  p.deload_week.assign(20, 0);
  p.deload_week[4] = p.deload_week[11] = 1;
  return p;
}

// n athletes with spread 1RMs, body loads and parameters of both models (fixed seed).
std::vector<AthleteSpec> athletes(std::size_t n) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.7, 1.3);
  std::vector<AthleteSpec> out(n);
  for (auto& a : out) {
    a.one_rm = Eigen::Vector4d(120.0 * u(rng), 30.0 * u(rng), 90.0 * u(rng), 60.0 * u(rng));
    a.body_load = Eigen::Vector4d(50.0 * u(rng), 0.0, 0.0, 0.0);
    a.params = chainload_test::default_params(6);
    a.sn = chainload_test::test_size_neural_params();
    for (Eigen::Index m = 0; m < 6; ++m) {
      a.params.k1[m] *= u(rng);
      a.params.k2[m] *= u(rng);
      a.params.tau1[m] *= u(rng);
      a.params.tau2[m] *= u(rng);
    }
    a.sn.size_rate *= u(rng);
    a.sn.neural_max *= u(rng);
    a.sn.transfer_same *= u(rng);
    a.sn.fast_max *= u(rng);
    a.sn.slow_tau_h *= u(rng);
    a.sn.size_scale = u(rng);
    a.sn.size_start = Eigen::VectorXd(6);
    a.sn.size_start << u(rng), u(rng), 1.0, u(rng), u(rng), u(rng);
    a.sn.size_start *= 0.9;
    a.sn.size_response = Eigen::VectorXd(6);
    a.sn.size_response << u(rng), u(rng), u(rng), u(rng), u(rng), u(rng);
  }
  return out;
}

void check_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  REQUIRE(a.size() == b.size());
  for (Eigen::Index i = 0; i < a.size(); ++i) CHECK(bits(a[i]) == bits(b[i]));
}

void check_summaries(const SimResult& a, const SimResult& b) {
  check_bits(a.final_capacity, b.final_capacity);
  check_bits(a.final_one_rm, b.final_one_rm);
  check_bits(a.total_dose, b.total_dose);
  check_bits(a.pre_test_one_rm, b.pre_test_one_rm);
  check_bits(a.post_test_one_rm, b.post_test_one_rm);
  check_bits(a.pre_size, b.pre_size);
  check_bits(a.post_size, b.post_size);
  CHECK(bits(a.peak_fatigue) == bits(b.peak_fatigue));
  CHECK(a.failures == b.failures);
  CHECK(a.auto_deloads == b.auto_deloads);
}

}  // namespace

TEST_CASE("round_to_step equals std::round(x / step) * step, sign of zero included", "[simulator][batched]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-400.0, 400.0);
  std::vector<double> xs{0.0, -0.0, 1.25, -1.25, 2.5, 3.75, -3.75, 0.624999999, -0.625, 1e300, -1e300, 4503599627370497.0};
  for (int k = -400; k <= 400; ++k) xs.push_back(1.25 * k + 0.625);  // exact halves for step 2.5 and 1.25
  for (int i = 0; i < 100000; ++i) xs.push_back(u(rng));
  for (const double step : {2.5, 1.25, 1.0, 0.5, 0.1, 5.0}) {
    std::size_t mismatches = 0;
    for (const double x : xs)
      if (bits(progression::round_to_step(x, step)) != bits(std::round(x / step) * step)) ++mismatches;
    INFO("step " << step);
    CHECK(mismatches == 0);
  }
  CHECK(progression::round_to_step(3.7, 0.0) == 3.7);  // no step: no rounding
  CHECK(progression::round_to_step(3.75, 2.5) == 5.0);  // 1.5 steps: half away from zero
  CHECK(progression::round_to_step(-3.75, 2.5) == -5.0);
  CHECK(std::isnan(progression::round_to_step(std::nan(""), 2.5)));
}

TEST_CASE("floor_exact equals std::floor, sign of zero included", "[simulator][batched]") {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> u(-50.0, 50.0);
  std::vector<double> xs{0.0, -0.0, 1.0, -1.0, 0.999999999, 36.0 + 1e-9, -1e-300, 1e300, -1e300, 4503599627370495.5};
  for (int k = -100; k <= 100; ++k) xs.push_back(k * 0.5);
  for (int i = 0; i < 100000; ++i) xs.push_back(u(rng));
  std::size_t mismatches = 0;
  for (const double x : xs)
    if (bits(progression::floor_exact(x)) != bits(std::floor(x))) ++mismatches;
  CHECK(mismatches == 0);
  CHECK(progression::floor_exact(2.7) == 2.0);
  CHECK(progression::floor_exact(-2.2) == -3.0);
  CHECK(std::isnan(progression::floor_exact(std::nan(""))));
}

TEST_CASE("the batched loop equals the scalar loop bit for bit, every ISA, 1 and 2 threads", "[simulator][batched]") {
  const auto table = three_lifts();
  const auto prog = every_rule();
  const auto group = athletes(2 * lanes::kLanes + 3);  // two full blocks and a padded one of 3
  for (const auto model : {ModelKind::size_neural, ModelKind::banister}) {
    INFO("model " << model_names[model == ModelKind::size_neural ? 0 : 1]);
    SimOptions options;
    options.model = model;
    options.record = false;
    options.tests = {0, 2, 3};
    options.pattern = {0, 1, 0, 2};  // the squat and the row share a pattern
    options.single_joint = {0, 1, 0, 0};
    std::vector<SimResult> scalar;
    {
      const ForceIsa isa("scalar");
      scalar = simulate_batch(table, prog, group, options, 1);
    }
    // The scalar batch is simulate() itself, athlete by athlete; the program exercises every rule.
    int failures = 0, deloads = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      check_summaries(scalar[i], simulate(table, prog, group[i], options));
      failures += scalar[i].failures;
      deloads += scalar[i].auto_deloads;
    }
    CHECK(failures > 0);
    CHECK(deloads > 0);
    for (const char* isa : {"baseline", "avx2", "avx512", "auto"}) {
      const bool fma = __builtin_cpu_supports("fma") != 0;  // both kernels need it (choose_kernels)
      if (std::string(isa) == "avx2" && !(__builtin_cpu_supports("avx2") && fma)) continue;
      if (std::string(isa) == "avx512" && !(__builtin_cpu_supports("avx512f") && fma)) continue;
      const ForceIsa force(isa);
      for (const unsigned threads : {1u, 2u}) {
        INFO("isa " << isa << ", threads " << threads);
        const auto batched = simulate_batch(table, prog, group, options, threads);
        REQUIRE(batched.size() == group.size());
        for (std::size_t i = 0; i < group.size(); ++i) {
          INFO("athlete " << i);
          check_summaries(batched[i], scalar[i]);
        }
      }
    }
  }
}

TEST_CASE("CHAINLOAD_ISA names an instruction set or fails clearly", "[simulator][batched][errors]") {
  const auto table = three_lifts();
  SimOptions options;
  options.record = false;
  const ForceIsa isa("avx9000");
  try {
    simulate_batch(table, every_rule(), athletes(2), options, 1);
    FAIL("no exception");
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    CHECK(what.find("avx9000") != std::string::npos);
    CHECK(what.find("baseline") != std::string::npos);
  }
}

TEST_CASE("a population read in place from arrays equals its athletes run one by one", "[simulator][batched]") {
  // Athletes 0-9 as row-major arrays (the layout _core.simulate_population reads from numpy);
  // even athletes without size rows: the arrays hold rows of 1 for them, which must give the
  // same results as no rows at all (size 1 at the start, size_rate unscaled).
  const auto table = three_lifts();
  const auto prog = every_rule();
  auto group = athletes(10);
  for (std::size_t i = 0; i < group.size(); i += 2) {
    group[i].sn.size_start.resize(0);
    group[i].sn.size_response.resize(0);
  }
  const std::size_t n = group.size(), n_ex = 4, n_m = 6;
  std::vector<double> one_rm, body, start, response;
  std::array<std::vector<double>, model_param_fields.size()> params;
  std::array<std::vector<double>, std::size(size_neural_fields)> sn;
  for (const auto& a : group) {
    for (std::size_t e = 0; e < n_ex; ++e) one_rm.push_back(a.one_rm[static_cast<Eigen::Index>(e)]);
    for (std::size_t e = 0; e < n_ex; ++e) body.push_back(a.body_load[static_cast<Eigen::Index>(e)]);
    for (std::size_t f = 0; f < params.size(); ++f)
      for (std::size_t m = 0; m < n_m; ++m) params[f].push_back((a.params.*(model_param_fields[f].field))[static_cast<Eigen::Index>(m)]);
    for (std::size_t f = 0; f < sn.size(); ++f) sn[f].push_back(a.sn.*(size_neural_fields[f].field));
    for (std::size_t m = 0; m < n_m; ++m) {
      start.push_back(a.sn.size_start.size() ? a.sn.size_start[static_cast<Eigen::Index>(m)] : 1.0);
      response.push_back(a.sn.size_response.size() ? a.sn.size_response[static_cast<Eigen::Index>(m)] : 1.0);
    }
  }
  PopulationView view{n, n_ex, n_m, one_rm.data(), body.data(), {}, {}, start.data(), response.data()};
  for (std::size_t f = 0; f < params.size(); ++f) view.params[f] = params[f].data();
  for (std::size_t f = 0; f < sn.size(); ++f) view.sn[f] = sn[f].data();

  for (const auto model : {ModelKind::size_neural, ModelKind::banister}) {
    INFO("model " << model_names[model == ModelKind::size_neural ? 0 : 1]);
    SimOptions options;
    options.model = model;
    options.record = false;
    options.tests = {0, 3};
    for (const char* isa : {"scalar", "auto"}) {
      const ForceIsa force(isa);
      INFO("isa " << isa);
      const PopulationResult rows = simulate_population(table, prog, view, options, 2);
      REQUIRE(rows.athletes() == n);
      for (std::size_t i = 0; i < n; ++i) {
        INFO("athlete " << i);
        check_summaries(rows.athlete(i), simulate(table, prog, group[i], options));
      }
    }
  }

  // Bad values are named by athlete before any work starts.
  SimOptions options;
  options.model = ModelKind::size_neural;
  options.record = false;
  start[5 * n_m + 2] = 5.0;  // athlete 5, muscle 2: above the ceiling
  CHECK_THROWS_WITH(simulate_population(table, prog, view, options, 1),
                    "athlete 5: size_neural parameter size_start of muscle 2 must be below size_ceiling, got 5.000000");
  start[5 * n_m + 2] = 1.0;
  params[2][3 * n_m + 4] = -1.0;  // tau1 of athlete 3, muscle 4
  CHECK_THROWS_WITH(simulate_population(table, prog, view, options, 1),
                    "athlete 3: model parameter tau1 of muscle 4 must be > 0 and finite, got -1.000000");
  params[2][3 * n_m + 4] = 42.0;
  view.sn[0] = nullptr;  // dose_tau not given
  CHECK_THROWS_WITH(simulate_population(table, prog, view, options, 1),
                    "athlete 0: size_neural parameter dose_tau is not set (its value and source: "
                    "python/chainload/data/model_size_neural.toml)");
  view.sn[0] = sn[0].data();
  view.muscles = 5;
  CHECK_THROWS_WITH(simulate_population(table, prog, view, options, 1), "model parameters need one value per muscle");
}
