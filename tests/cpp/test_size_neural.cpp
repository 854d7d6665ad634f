// The size_neural model (size_neural.hpp): its per-day kinetics and the lift 1RM it combines.
// Numbers are worked out by hand in the comments.
#include "catch.hpp"
#include "model_params.hpp"

#include "chainload/dose.hpp"
#include "chainload/errors.hpp"
#include "chainload/simulator.hpp"
#include "chainload/size_neural.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace chainload;
using chainload_test::Approx;
using chainload_test::default_params;
using chainload_test::test_size_neural_params;

namespace {

// Exercise 0 loads muscle 0 at 1.0 and muscle 1 at 0.5; exercise 1 the reverse (same pattern).
ActivationTable two_exercises() {
  RowMatrix dense(2, 2);
  dense << 1.0, 0.5, 0.5, 1.0;
  return ActivationTable(dense);
}

AthleteSpec athlete(SizeNeuralParams sn = test_size_neural_params()) {
  AthleteSpec a;
  a.one_rm = Eigen::VectorXd::Constant(2, 100.0);
  a.body_load = Eigen::VectorXd::Zero(2);
  a.params = default_params(2);
  a.sn = std::move(sn);
  return a;
}

// `sets` x `reps` of exercise 0 at `percent` of 1RM on each of `days`, over `n_days` days.
ProgramSpec program(std::int32_t n_days, std::vector<std::int32_t> days, std::int32_t sets = 3, std::int32_t reps = 8,
                    double percent = 80.0) {
  PrescriptionSpec p;
  p.exercise = 0;
  p.sets = sets;
  p.reps_low = p.reps_high = reps;
  p.intensity = Intensity::percent;
  p.value = percent;
  ProgramSpec prog;
  prog.n_days = n_days;
  prog.prescriptions = {p};
  for (const auto d : days) prog.schedule.push_back({d, 0});
  prog.deload_week.assign(static_cast<std::size_t>((n_days + 6) / 7), 0);
  return prog;
}

SimOptions options() {
  SimOptions o;
  o.model = ModelKind::size_neural;
  o.tests = {0, 1};
  o.pattern = {0, 0};
  o.single_joint = {0, 0};
  return o;
}

}  // namespace

TEST_CASE("exp_of equals libm exp within 2 ulp and calls no libm", "[size_neural]") {
  // Exact where the reduction leaves r = 0: e^0 = 1, e^(k ln 2) = 2^k for the ln 2 that k ln2_hi
  // + k ln2_lo rounds back to.
  CHECK(kinetics::exp_of(0.0) == 1.0);
  CHECK(kinetics::exp_of(-0.0) == 1.0);
  // Every x on a grid over the whole range, and densely where slow_proximity uses it (-40 .. 0):
  // |exp_of(x) / exp(x) - 1| <= 2 ulp (2^-52 = 2.2e-16).
  double worst = 0.0;
  for (int i = 0; i <= 200000; ++i) {
    const double x = -40.0 + 40.0 * i / 200000.0;
    worst = std::max(worst, std::abs(kinetics::exp_of(x) / std::exp(x) - 1.0));
  }
  for (int i = 0; i < 14170; ++i) {  // -707.999 .. 708.901
    const double x = -708.0 + 0.1 * i + 1e-3;
    worst = std::max(worst, std::abs(kinetics::exp_of(x) / std::exp(x) - 1.0));
  }
  CHECK(worst <= 2.0 * 0x1p-52);
  // Held to [-708, 709]: no subnormal, no inf.
  CHECK(kinetics::exp_of(-1000.0) == kinetics::exp_of(-708.0));
  CHECK(kinetics::exp_of(-708.0) == Approx(std::exp(-708.0)).epsilon(4.5e-16));
  CHECK(std::isfinite(kinetics::exp_of(1000.0)));
  // slow_proximity: e^(-rir / scale), rir below 0 counting as 0.
  CHECK(kinetics::slow_proximity(-1.0, 1.5) == 1.0);
  CHECK(kinetics::slow_proximity(3.0, 1.5) == Approx(std::exp(-2.0)).epsilon(4.5e-16));
}

TEST_CASE("size_neural kinetics: no input, no change", "[size_neural]") {
  // No dose: size stays at its start, a fatigue compartment only decays, neural stays at 0.
  CHECK(kinetics::size_step(1.0, kinetics::saturation(0.0, 10.0), 0.004, 1.3, 1.0, 1.0 / 45) == 1.0);
  CHECK(kinetics::saturate_add(0.0, 0.2, 0.0, 3.0) == 0.0);
  CHECK(kinetics::neural_step(0.0, 0.0, 0.1, 0.01) == 0.0);
  // A saturating input approaches the maximum and never passes it: y = 6 / 3 = 2 leaves
  // 1 / (1 + 2 + 2 + 4/3) = 3/19 of the room: 0.2 x 16/19 = 0.168421.
  CHECK(kinetics::saturate_add(0.0, 0.2, 6.0, 3.0) == Approx(0.2 * 16.0 / 19.0));
  CHECK(kinetics::saturate_add(0.19, 0.2, 1000.0, 3.0) <= 0.2);
  // Diminishing returns: 10 sets/week at half 10 -> 0.5, 30 -> 0.75.
  CHECK(kinetics::saturation(10.0, 10.0) == 0.5);
  CHECK(kinetics::saturation(30.0, 10.0) == 0.75);
  // A set 5 reps short of failure counts half for size (zero point 10); a single at 95 % fully.
  CHECK(kinetics::size_effort(5.0, 10.0) == 0.5);
  // Neural weight of a set by load: (0.475 / 0.95)^2 = 0.25; 0.95 and above count fully.
  CHECK(kinetics::load_weight(0.95, 2.0, 0.95) == 1.0);
  CHECK(kinetics::load_weight(0.475, 2.0, 0.95) == Approx(0.25));
  // Quarter powers without libm: 0.0625^1.25 = 0.0625 x 0.5 = 0.03125 exactly, 0.25^0.5 = 0.5,
  // 0.3^1.25 within 2 ULP of pow; any other power is pow itself.
  CHECK(kinetics::quarter_power(0.0625, 1.25) == 0.03125);
  CHECK(kinetics::quarter_power(0.25, 0.5) == 0.5);
  CHECK(kinetics::quarter_power(0.3, 2.0) == 0.3 * 0.3);
  CHECK(kinetics::quarter_power(0.3, 1.25) == Approx(std::pow(0.3, 1.25)).epsilon(4.5e-16));
  CHECK(kinetics::quarter_power(0.3, 1.3) == std::pow(0.3, 1.3));
  CHECK(kinetics::quarter_power(0.3, 0.0) == 1.0);
  // Neural target = mean load weight x volume saturation (by hand, half 0.5 sets/week): 6 sets at
  // weight 0.5 -> 3 / 6.5 = 0.4615; the same 6 sets at weight 1 -> 6 / 6.5, twice as much (load
  // grades the gain at equal volume); 2 vs 10 sets at weight 1 -> 0.8 vs 0.9524 (volume saturates).
  CHECK(kinetics::neural_target(0.0, 0.0, 0.5) == 0.0);
  CHECK(kinetics::neural_target(3.0, 6.0, 0.5) == Approx(3.0 / 6.5));
  CHECK(kinetics::neural_target(6.0, 6.0, 0.5) == Approx(2.0 * kinetics::neural_target(3.0, 6.0, 0.5)));
  CHECK(kinetics::neural_target(2.0, 2.0, 0.5) == Approx(0.8));
  CHECK(kinetics::neural_target(10.0, 10.0, 0.5) == Approx(10.0 / 10.5));
  // Two transfers combine bounded by the maximum: 0.1 + 0.1 - 0.1 x 0.1 / 0.2 = 0.15
  // = 0.2 (1 - (1 - 0.5)(1 - 0.5)); one alone gives itself.
  CHECK(0.2 * (1 - kinetics::neural_room(kinetics::neural_room(1.0, 0.1, 5.0), 0.1, 5.0)) == Approx(0.15));
  CHECK(0.2 * (1 - kinetics::neural_room(1.0, 0.1, 5.0)) == Approx(0.1));
}

TEST_CASE("size_neural: a program without sessions gives no gain and no fatigue", "[size_neural]") {
  const auto r = simulate(two_exercises(), program(28, {}), athlete(), options());
  for (Eigen::Index k = 0; k < 2; ++k) {
    CHECK(r.pre_test_one_rm[k] == 100.0);
    CHECK(r.post_test_one_rm[k] == 100.0);
    CHECK(r.pre_size[k] == 1.0);
    CHECK(r.post_size[k] == 1.0);
  }
  CHECK(r.peak_fatigue == 0.0);
  CHECK(r.fatigue.maxCoeff() == 0.0);
}

TEST_CASE("size_neural: fatigue closed form at any hour equals daily stepping", "[size_neural]") {
  // One session on day 0; the recorded daily fatigue of day k is the state 24 k hours after it.
  SimOptions o = options();
  o.recovery_hours = {0.0, 24.0, 48.0, 72.0};
  const auto r = simulate(two_exercises(), program(7, {0}), athlete(), o);
  REQUIRE(r.recovery_muscle.rows() == 4);
  for (Eigen::Index k = 0; k < 4; ++k)
    for (Eigen::Index m = 0; m < 2; ++m) CHECK(r.recovery_muscle(k, m) == Approx(r.fatigue(k, m)).epsilon(1e-12));
  CHECK(r.recovery_muscle(0, 0) > r.recovery_muscle(1, 0));
  CHECK(r.recovery_muscle(0, 0) > r.recovery_muscle(0, 1));  // muscle 1 is loaded at half
  // Lift decrement at hour 0 = activation-weighted muscle fatigue: (1 f0 + 0.5 f1) / 1.5.
  CHECK(r.recovery_lift(0, 0) == Approx((r.recovery_muscle(0, 0) + 0.5 * r.recovery_muscle(0, 1)) / 1.5));
}

TEST_CASE("size_neural: a lift's 1RM is the activation-weighted mean of size capacities", "[size_neural]") {
  // size_start (0.8, 1.0), size_force 0.5: capacities 1 + 0.5 (0.8 - 1) = 0.9 and 1.0.
  // Exercise 0 (weights 1, 0.5): 100 (0.9 + 0.5) / 1.5 = 93.333 kg, not the minimum 90 kg.
  // Exercise 1 (weights 0.5, 1): 100 (0.45 + 1) / 1.5 = 96.667 kg.
  SizeNeuralParams sn = test_size_neural_params();
  sn.size_start = Eigen::Vector2d(0.8, 1.0);
  const auto r = simulate(two_exercises(), program(7, {}), athlete(sn), options());
  CHECK(r.pre_test_one_rm[0] == Approx(100.0 * 1.4 / 1.5));
  CHECK(r.pre_test_one_rm[1] == Approx(100.0 * 1.45 / 1.5));
  CHECK(r.pre_size[0] == 0.8);
}

TEST_CASE("size_neural: practice transfers by cosine similarity x the same-pattern factor", "[size_neural]") {
  // No size growth and no fatigue: 1RM = base (1 + neural). Exercise 1 is never practised; the
  // cosine of (1, 0.5) and (0.5, 1) is 1 / 1.25 = 0.8, so its gain is 0.8 x 0.5 = 0.4 of exercise 0's.
  SizeNeuralParams sn = test_size_neural_params();
  sn.size_rate = 0.0;
  sn.fast_max = 0.0;
  sn.slow_max = 0.0;
  std::vector<std::int32_t> days;
  for (std::int32_t d = 0; d < 56; d += 2) days.push_back(d);
  const auto r = simulate(two_exercises(), program(56, days, 3, 1, 95.0), athlete(sn), options());
  const double gain0 = r.post_test_one_rm[0] / 100.0 - 1.0;
  const double gain1 = r.post_test_one_rm[1] / 100.0 - 1.0;
  CHECK(gain0 > 0.05);
  CHECK(gain0 <= sn.neural_max);
  CHECK(gain1 == Approx(0.4 * gain0));
  // Another pattern: 0.8 x transfer_other (0.1).
  SimOptions o = options();
  o.pattern = {0, 1};
  const auto r2 = simulate(two_exercises(), program(56, days, 3, 1, 95.0), athlete(sn), o);
  CHECK(r2.post_test_one_rm[1] / 100.0 - 1.0 == Approx(0.08 * gain0));
}

TEST_CASE("size_neural: bad parameters name the field", "[size_neural]") {
  SizeNeuralParams sn = test_size_neural_params();
  sn.size_ceiling = 1.0;
  CHECK_THROWS_AS(simulate(two_exercises(), program(7, {0}), athlete(sn), options()), InvalidInput);
  sn = {};
  sn.size_start = Eigen::VectorXd::Constant(3, 1.0);
  CHECK_THROWS_AS(simulate(two_exercises(), program(7, {0}), athlete(sn), options()), InvalidInput);
  SimOptions o = options();
  o.recovery_hours = {-1.0};
  CHECK_THROWS_AS(simulate(two_exercises(), program(7, {0}), athlete(), o), InvalidInput);
}

TEST_CASE("size_neural has no defaults of its own: an unset parameter is named") {
  // The model's values live in python/chainload/data/model_size_neural.toml only.
  SizeNeuralParams sn = test_size_neural_params();
  sn.neural_half = kUnset;
  const std::string tail = " is not set (its value and source: python/chainload/data/model_size_neural.toml)";
  CHECK(chainload_test::message_of([&] { sn.validate(2); }) == "size_neural parameter neural_half" + tail);
  CHECK(chainload_test::message_of([] { SizeNeuralParams{}.validate(2); }) == "size_neural parameter dose_tau" + tail);
  REQUIRE_NOTHROW(test_size_neural_params().validate(2));
}
