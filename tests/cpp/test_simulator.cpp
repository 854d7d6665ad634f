// The closed-loop simulator (simulator.hpp): progression rules, deloads, autoregulation, the
// effort-weighted dose, the limiting-muscle rule, simulate_batch and validation.
//
// Most cases use one exercise loading muscle 0 at 1.0 and muscle 1 at 0.5, a starting 1RM of 100 kg
// and model gains k1 = k2 = 0, so the relative capacity stays exactly 1 and the 1RM exactly 100 kg.
// Then a session at `kg` allows brzycki_reps(kg / 100) = 37 - 0.36 kg reps to failure
// (40 kg -> 22.6, 60 -> 15.4, 80 -> 8.2, 90 -> 4.6, 95 -> 2.8, 100 -> 1, 102.5 -> 0.1);
// achieved reps = min(target, floor(possible)); reps in reserve = possible - achieved;
// effort weight = clamp((10 - rir) / 6, 0, 1); loads round to 2.5 kg (half away from zero).
#include "catch.hpp"
#include "model_params.hpp"

#include "chainload/adaptation.hpp"
#include "chainload/dose.hpp"
#include "chainload/errors.hpp"
#include "chainload/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <utility>
#include <vector>

using namespace chainload;
using chainload_test::Approx;
using chainload_test::default_params;
using chainload_test::flat_params;
using chainload_test::message_of;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Eigen::VectorXd vec(std::initializer_list<double> xs) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (const double x : xs) v[i++] = x;
  return v;
}

// One exercise: muscle 0 at 1.0, muscle 1 at 0.5.
ActivationTable one_exercise() {
  RowMatrix dense(1, 2);
  dense << 1.0, 0.5;
  return ActivationTable(dense);
}

AthleteSpec athlete(Eigen::VectorXd one_rm, ModelParams params) {
  AthleteSpec a;
  a.body_load = Eigen::VectorXd::Zero(one_rm.size());
  a.one_rm = std::move(one_rm);
  a.params = std::move(params);
  return a;
}

AthleteSpec flat_athlete(double one_rm = 100.0) { return athlete(vec({one_rm}), flat_params(2)); }

PrescriptionSpec rx(double kg, std::int32_t sets, std::int32_t reps, Rule rule = Rule::none, double increment = 0.0) {
  PrescriptionSpec p;
  p.sets = sets;
  p.reps_low = p.reps_high = reps;
  p.intensity = Intensity::kg;
  p.value = kg;
  p.rule = rule;
  p.increment = increment;
  return p;
}

ProgramSpec program(std::int32_t n_days, std::vector<PrescriptionSpec> prescriptions,
                    std::vector<ScheduleEntry> schedule) {
  ProgramSpec p;
  p.n_days = n_days;
  p.prescriptions = std::move(prescriptions);
  p.schedule = std::move(schedule);
  p.deload_week.assign(static_cast<std::size_t>((n_days + 6) / 7), 0);
  return p;
}

// Prescription `prescription` on each of `days`.
std::vector<ScheduleEntry> on_days(std::initializer_list<std::int32_t> days, std::int32_t prescription = 0) {
  std::vector<ScheduleEntry> s;
  for (const auto d : days) s.push_back({d, prescription});
  return s;
}

SimResult sim(const ProgramSpec& prog, const AthleteSpec& a = flat_athlete(), const SimOptions& options = {}) {
  return simulate(one_exercise(), prog, a, options);
}

using Doubles = std::vector<double>;
using Ints = std::vector<std::int32_t>;
using Flags = std::vector<std::uint8_t>;

void check_same(const SimResult& a, const SimResult& b) {
  for (const auto& [x, y] : {std::pair<const RowMatrix*, const RowMatrix*>{&a.fitness, &b.fitness},
                             {&a.fatigue, &b.fatigue},
                             {&a.capacity, &b.capacity},
                             {&a.readiness, &b.readiness},
                             {&a.dose, &b.dose},
                             {&a.one_rm, &b.one_rm}}) {
    REQUIRE(x->rows() == y->rows());
    REQUIRE(x->cols() == y->cols());
    CHECK(*x == *y);
  }
  REQUIRE(a.final_capacity.size() == b.final_capacity.size());
  CHECK(a.final_capacity == b.final_capacity);
  REQUIRE(a.final_one_rm.size() == b.final_one_rm.size());
  CHECK(a.final_one_rm == b.final_one_rm);
  REQUIRE(a.total_dose.size() == b.total_dose.size());
  CHECK(a.total_dose == b.total_dose);
  CHECK(a.peak_fatigue == b.peak_fatigue);
  CHECK(a.failures == b.failures);
  CHECK(a.auto_deloads == b.auto_deloads);
  CHECK(a.sessions.day == b.sessions.day);
  CHECK(a.sessions.kg == b.sessions.kg);
  CHECK(a.sessions.achieved_reps == b.sessions.achieved_reps);
  CHECK(a.sessions.reps_in_reserve == b.sessions.reps_in_reserve);
  CHECK(a.sessions.one_rm == b.sessions.one_rm);
  CHECK(a.sessions.failed == b.sessions.failed);
  CHECK(a.sessions.auto_deload == b.sessions.auto_deload);
}

}  // namespace

TEST_CASE("effort_weight", "[simulator]") {
  // 1 up to 4 reps in reserve, (10 - rir) / 6 between, 0 from 10 on.
  CHECK(effort_weight(0) == 1.0);
  CHECK(effort_weight(-1) == 1.0);
  CHECK(effort_weight(4) == 1.0);
  CHECK(effort_weight(5.5) == 0.75);
  CHECK(effort_weight(7) == 0.5);
  CHECK(effort_weight(10) == 0.0);
  CHECK(effort_weight(12) == 0.0);
  CHECK(effort_weight(36) == 0.0);
}

TEST_CASE("simulate: linear progression adds the increment after every successful session", "[simulator]") {
  // 40 kg + 2.5 per session, 3 x 5, 1RM 100: at most 50 kg, 37 - 18 = 19 reps possible, every session succeeds.
  const auto prog = program(14, {rx(40, 3, 5, Rule::linear, 2.5)}, on_days({0, 2, 4, 7, 9}));
  const auto r = sim(prog);
  const auto& log = r.sessions;
  CHECK(log.day == Ints{0, 2, 4, 7, 9});
  CHECK(log.prescription == Ints{0, 0, 0, 0, 0});
  CHECK(log.sets == Ints{3, 3, 3, 3, 3});
  CHECK(log.kg == Doubles{40, 42.5, 45, 47.5, 50});
  CHECK(log.target_reps == Doubles{5, 5, 5, 5, 5});
  CHECK(log.achieved_reps == Doubles{5, 5, 5, 5, 5});
  CHECK(log.failed == Flags{0, 0, 0, 0, 0});
  CHECK(log.auto_deload == Flags{0, 0, 0, 0, 0});
  CHECK(log.planned_deload == Flags{0, 0, 0, 0, 0});
  CHECK(log.one_rm == Doubles{100, 100, 100, 100, 100});
  // 40 kg: 22.6 possible, 17.6 in reserve.
  CHECK(log.reps_in_reserve[0] == Approx(17.6));
  CHECK(r.failures == 0);
  CHECK(r.auto_deloads == 0);
  // Capacity exactly 1 throughout; the 1RM column stays at 100.
  REQUIRE(r.capacity.rows() == 14);
  REQUIRE(r.capacity.cols() == 2);
  CHECK((r.capacity.array() == 1.0).all());
  CHECK((r.readiness.array() == 100.0).all());
  REQUIRE(r.one_rm.cols() == 1);
  CHECK((r.one_rm.array() == 100.0).all());
  CHECK(r.final_capacity == vec({1.0, 1.0}));
  CHECK(r.final_one_rm == vec({100.0}));
  // At >= 10 reps in reserve a set carries no dose.
  CHECK(r.dose.isZero());
  CHECK(r.total_dose.isZero());
  CHECK(r.peak_fatigue == 0.0);
}

TEST_CASE("simulate: failures at the 1RM and automatic deloads", "[simulator]") {
  // 100 kg (the 1RM) for 5: Brzycki allows 1 rep. deload_after 3, deload_fraction 0.1, +2.5 per success.
  // Stored load -> logged (rounded to 2.5) load, possible reps, outcome:
  //   s1-s3   100  -> 100    1    fail; 3rd failure in a row: load 100 x 0.9 = 90
  //   s4-s6    90  -> 90     4.6  fail (4 reps); 3rd: load 90 x 0.9 = 81
  //   s7       81  -> 80     8.2  ok -> 83.5
  //   s8     83.5  -> 82.5   7.3  ok -> 86
  //   s9       86  -> 85     6.4  ok -> 88.5
  //   s10    88.5  -> 87.5   5.5  ok -> 91
  //   s11-13   91  -> 90     4.6  fail; 3rd: load 91 x 0.9 = 81.9
  //   s14    81.9  -> 82.5   7.3  ok
  PrescriptionSpec p = rx(100, 3, 5, Rule::linear, 2.5);
  p.deload_after = 3;
  p.deload_fraction = 0.1;
  const auto prog = program(14, {p}, on_days({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
  const auto r = sim(prog);
  const auto& log = r.sessions;
  CHECK(log.kg == Doubles{100, 100, 100, 90, 90, 90, 80, 82.5, 85, 87.5, 90, 90, 90, 82.5});
  CHECK(log.achieved_reps == Doubles{1, 1, 1, 4, 4, 4, 5, 5, 5, 5, 4, 4, 4, 5});
  CHECK(log.failed == Flags{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0});
  CHECK(log.auto_deload == Flags{0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0});
  CHECK(r.failures == 9);
  CHECK(r.auto_deloads == 3);
  // At the 1RM: 1 possible, 1 achieved, 0 in reserve -> effort 1; at 90 kg: 4.6 - 4 = 0.6 in reserve.
  CHECK(log.reps_in_reserve[0] == 0.0);
  CHECK(log.reps_in_reserve[3] == Approx(0.6));
  // Dose of day 0: 3 sets x effort 1 x activation (1.0, 0.5).
  CHECK(r.dose(0, 0) == 3.0);
  CHECK(r.dose(0, 1) == 1.5);
}

TEST_CASE("simulate: double progression climbs the rep range, then adds the increment", "[simulator]") {
  // 60 kg for 8..10 reps (15.4 possible), +2.5 kg once 10 reps are done.
  PrescriptionSpec p = rx(60, 3, 8, Rule::double_progression, 2.5);
  p.reps_high = 10;
  const auto r = sim(program(7, {p}, on_days({0, 1, 2, 3, 4, 5, 6})));
  CHECK(r.sessions.kg == Doubles{60, 60, 60, 62.5, 62.5, 62.5, 65});
  CHECK(r.sessions.target_reps == Doubles{8, 9, 10, 8, 9, 10, 8});
  CHECK(r.sessions.achieved_reps == r.sessions.target_reps);
  CHECK(r.failures == 0);
}

TEST_CASE("simulate: weekly linear progression adds once per week", "[simulator]") {
  SECTION("three sessions a week share the week's load") {
    PrescriptionSpec p = rx(40, 3, 5, Rule::linear, 2.5);
    p.per_week = true;
    const auto r = sim(program(21, {p}, on_days({0, 2, 4, 7, 9, 11, 14, 16})));
    CHECK(r.sessions.kg == Doubles{40, 40, 40, 42.5, 42.5, 42.5, 45, 45});
    CHECK(r.failures == 0);
  }
  SECTION("no increment after a week that ended in failure") {
    // Singles from 97.5 kg: 1.9 possible at 97.5, 1 at 100, 0.1 at 102.5 (fail); then it stays at 102.5.
    PrescriptionSpec p = rx(97.5, 1, 1, Rule::linear, 2.5);
    p.per_week = true;
    const auto r = sim(program(28, {p}, on_days({0, 7, 14, 21})));
    CHECK(r.sessions.kg == Doubles{97.5, 100, 102.5, 102.5});
    CHECK(r.sessions.failed == Flags{0, 0, 1, 1});
    CHECK(r.sessions.achieved_reps == Doubles{1, 1, 0, 0});
  }
}

TEST_CASE("simulate: wave rule", "[simulator]") {
  // wave 70/80/90 % of the starting 1RM by week % 3, 3 reps, +2.5 kg per cycle completed without failure.
  //   weeks 0-2: 70, 80, 90; weeks 3-5: 72.5, 82.5, 92.5 (3.7 possible at 92.5: ok);
  //   weeks 6-8: 75, 85, 95 (2.8 possible at 95: fail); cycle failed -> no increment;
  //   weeks 9-11: 75, 85, 95 (fail again).
  PrescriptionSpec p = rx(0, 3, 3, Rule::wave, 2.5);
  p.wave = {70, 80, 90};
  const auto r = sim(program(84, {p}, on_days({0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77})));
  CHECK(r.sessions.kg == Doubles{70, 80, 90, 72.5, 82.5, 92.5, 75, 85, 95, 75, 85, 95});
  CHECK(r.sessions.failed == Flags{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1});
  CHECK(r.failures == 2);
}

TEST_CASE("simulate: planned deload weeks", "[simulator]") {
  SECTION("sets and load cut, no progression") {
    // +2.5 per session from 60; week 1 is a deload: sets round(3 x 0.5) = 2, load 67.5 x 0.9 = 60.75 -> 60,
    // and the sessions of that week add nothing: week 2 resumes at 67.5.
    auto prog = program(21, {rx(60, 3, 5, Rule::linear, 2.5)}, on_days({0, 2, 4, 7, 9, 11, 14, 16}));
    prog.deload_week = {0, 1, 0};
    prog.deload_sets = 0.5;
    prog.deload_load = 0.9;
    const auto r = sim(prog);
    CHECK(r.sessions.kg == Doubles{60, 62.5, 65, 60, 60, 60, 67.5, 70});
    CHECK(r.sessions.sets == Ints{3, 3, 3, 2, 2, 2, 3, 3});
    CHECK(r.sessions.planned_deload == Flags{0, 0, 0, 1, 1, 1, 0, 0});
    CHECK(r.failures == 0);
  }
  SECTION("sets are rounded, at least 1") {
    // deload_sets 0.4: 1 -> round(0.4) = 0 -> 1; 3 -> round(1.2) = 1; 4 -> round(1.6) = 2.
    // Load 60 x 0.9 = 54 -> 55 (21.6 plates of 2.5 round to 22).
    auto prog = program(7, {rx(60, 1, 5), rx(60, 3, 5), rx(60, 4, 5)}, {{0, 0}, {0, 1}, {0, 2}});
    prog.deload_week = {1};
    prog.deload_sets = 0.4;
    prog.deload_load = 0.9;
    const auto r = sim(prog);
    CHECK(r.sessions.sets == Ints{1, 1, 2});
    CHECK(r.sessions.kg == Doubles{55, 55, 55});
  }
  SECTION("a failure in a deload week counts but triggers no automatic deload") {
    // 100 kg for 5 with deload_after 1; week 0 is a deload at full load (deload_load 1).
    PrescriptionSpec p = rx(100, 2, 5, Rule::linear, 2.5);
    p.deload_after = 1;
    p.deload_fraction = 0.1;
    auto prog = program(14, {p}, on_days({0, 7, 8}));
    prog.deload_week = {1, 0};
    prog.deload_sets = 1.0;
    prog.deload_load = 1.0;
    const auto r = sim(prog);
    CHECK(r.sessions.kg == Doubles{100, 100, 90});
    CHECK(r.sessions.failed == Flags{1, 1, 1});
    CHECK(r.sessions.auto_deload == Flags{0, 1, 1});
    CHECK(r.failures == 3);
    CHECK(r.auto_deloads == 2);
  }
}

// Regression (fixed): weekly linear progression still advances over a planned deload week. In
// cpp/src/simulator.cpp (run) the weekly increment is added at the first session of a new week,
//   if (p.rule == Rule::linear && p.per_week && s.week >= 0 && s.last_ok) s.load += p.increment;
// and a deload-week session sets s.last_ok like any other; so the week after a deload gets an
// increment "earned" in the deload week, while the per-session rule adds nothing for deload sessions
// (its `else if (!deload)` branch). Here: 50 kg in week 0, week 1 deload at 52.5 x 0.9 = 47.25 -> 47.5;
// week 2 should resume at 52.5 but gets 55.
//   ./chainload_tests "simulate: weekly linear progression pauses over a deload week"
TEST_CASE("simulate: weekly linear progression pauses over a deload week", "[simulator]") {
  PrescriptionSpec p = rx(50, 3, 5, Rule::linear, 2.5);
  p.per_week = true;
  auto prog = program(21, {p}, on_days({0, 7, 14}));
  prog.deload_week = {0, 1, 0};
  prog.deload_load = 0.9;
  const auto r = sim(prog);
  CHECK(r.sessions.kg == Doubles{50, 47.5, 52.5});
}

TEST_CASE("simulate: negative increment stops at the min_kg floor", "[simulator]") {
  // 30 kg - 2.5 per session, floor 25: 30, 27.5, 25, then max(22.5, 25) = 25.
  PrescriptionSpec p = rx(30, 1, 5, Rule::linear, -2.5);
  p.min_kg = 25;
  const auto r = sim(program(7, {p}, on_days({0, 1, 2, 3})));
  CHECK(r.sessions.kg == Doubles{30, 27.5, 25, 25});
}

TEST_CASE("simulate: reps-in-reserve intensity is autoregulated", "[simulator]") {
  SECTION("rir intensity: load = brzycki_fraction(target + rir) x 1RM") {
    // 5 reps at 2 in reserve: fraction (37 - 7) / 36 = 0.8333.
    PrescriptionSpec p = rx(0, 3, 5);
    p.intensity = Intensity::rir;
    p.value = 2;
    // 1RM 100: 83.33 -> 82.5 kg (33.3 plates -> 33); 7.3 possible, 2.3 in reserve.
    auto r = sim(program(7, {p}, on_days({0, 3})));
    CHECK(r.sessions.kg == Doubles{82.5, 82.5});
    CHECK(r.sessions.achieved_reps == Doubles{5, 5});
    CHECK(r.sessions.reps_in_reserve[0] == Approx(2.3));
    // 1RM 120: exactly 100 kg; 37 - 30 = 7 possible, 2 in reserve.
    r = sim(program(7, {p}, on_days({0})), flat_athlete(120));
    CHECK(r.sessions.kg == Doubles{100});
    CHECK(r.sessions.reps_in_reserve[0] == Approx(2.0));
  }
  SECTION("rule rpe uses the default reps in reserve") {
    PrescriptionSpec p = rx(40, 3, 5, Rule::rpe);  // the kg value is ignored
    const auto prog = program(7, {p}, on_days({0}));
    SimOptions options;
    CHECK(sim(prog, flat_athlete(120), options).sessions.kg == Doubles{100});  // default_rir 2: 30/36 x 120
    options.default_rir = 5;  // (37 - 10) / 36 = 0.75: 90 kg
    CHECK(sim(prog, flat_athlete(120), options).sessions.kg == Doubles{90});
  }
}

TEST_CASE("simulate: the daily dose is sets x effort weight x activation", "[simulator]") {
  SECTION("5 in reserve (effort 5/6) and 0 in reserve on the same day") {
    // Prescription 0: rir 5 for 5 reps -> 0.75 x 100 = 75 kg, 10 possible, 5 in reserve, effort 5/6, 3 sets.
    // Prescription 1: a single at 100 kg, 1 possible, 0 in reserve, effort 1, 2 sets.
    // Day 0 dose: muscle 0 = 3 x 5/6 x 1 + 2 x 1 x 1 = 4.5, muscle 1 = half of that = 2.25.
    PrescriptionSpec a = rx(0, 3, 5);
    a.intensity = Intensity::rir;
    a.value = 5;
    const auto r = sim(program(7, {a, rx(100, 2, 1)}, {{0, 0}, {0, 1}, {3, 0}}));
    CHECK(r.sessions.kg == Doubles{75, 100, 75});
    CHECK(r.sessions.reps_in_reserve == Doubles{5, 0, 5});
    CHECK(r.dose(0, 0) == Approx(4.5));
    CHECK(r.dose(0, 1) == Approx(2.25));
    CHECK(r.dose(3, 0) == Approx(2.5));  // 3 x 5/6
    CHECK(r.dose(3, 1) == Approx(1.25));
    CHECK(r.dose.row(1).isZero());
    CHECK(r.total_dose[0] == Approx(7.0));
    CHECK(r.total_dose[1] == Approx(3.5));
  }
  SECTION("7 in reserve: effort 1/2") {
    // 100 kg with a 1RM of 144: 37 - 36 x 100/144 = 12 possible, 5 achieved, 7 in reserve, 4 sets -> 2 and 1.
    const auto r = sim(program(7, {rx(100, 4, 5)}, on_days({0})), flat_athlete(144));
    CHECK(r.sessions.reps_in_reserve[0] == Approx(7.0));
    CHECK(r.dose(0, 0) == Approx(2.0));
    CHECK(r.dose(0, 1) == Approx(1.0));
  }
}

TEST_CASE("simulate: the weakest heavily loaded muscle limits the 1RM", "[simulator]") {
  // Three exercises on two muscles:      muscle 0  muscle 1
  //   0 compound                             1.0       0.5
  //   1 isolation                            1.0       0
  //   2 light (top weight below 0.5)         0.25      0
  // Starting 1RMs 100, 100, 50. Prescriptions in first-use order 1, 0, 2: the 1RM columns are exercises 1, 0, 2.
  RowMatrix dense(3, 2);
  dense << 1.0, 0.5,  //
      1.0, 0.0,       //
      0.25, 0.0;
  const ActivationTable table(dense);
  const double e1 = std::exp(-1.0 / 42), e2 = std::exp(-1.0 / 7);

  PrescriptionSpec iso = rx(85, 3, 5), compound = rx(40, 1, 5), light = rx(20, 1, 5);
  iso.exercise = 1;
  compound.exercise = 0;
  light.exercise = 2;

  SECTION("fitness on muscle 0 only") {
    // k1 = 0.01 on muscle 0. Day 0: exercise 1 at 85 kg, 6.4 possible, 1.4 in reserve, effort 1:
    // w = (3, 0), so capacity of muscle 0 = 1 + 0.01 x 3 = 1.03 that evening and 1 + 0.03 e^(-1/42)
    // the next morning. Muscle 1 stays at 1. Day 2: exercises 0 and 2 far from failure (no dose).
    const auto prog = program(7, {iso, compound, light}, {{0, 0}, {2, 1}, {2, 2}});
    REQUIRE(used_exercises(prog) == Ints{1, 0, 2});
    ModelParams params = flat_params(2);
    params.k1 = vec({0.01, 0.0});
    const auto a = athlete(vec({100, 100, 50}), params);

    const auto r = simulate(table, prog, a, {});
    CHECK(r.dose(0, 0) == 3.0);
    CHECK(r.dose(0, 1) == 0.0);
    CHECK(r.capacity(0, 0) == Approx(1.03));
    CHECK(r.capacity(0, 1) == 1.0);
    // Morning 1RMs: day 0 at the start values.
    CHECK(r.one_rm.row(0) == (RowMatrix(1, 3) << 100, 100, 50).finished());
    // Day 1: exercise 1 follows muscle 0; the compound is held at 100 by muscle 1 (0.5 >= limit 0.5);
    // exercise 2's top weight 0.25 is below the limit, so its top muscle (0) limits it.
    const double cap1 = 1 + 0.03 * e1;
    CHECK(r.one_rm(1, 0) == Approx(100 * cap1));
    CHECK(r.one_rm(1, 1) == 100.0);
    CHECK(r.one_rm(1, 2) == Approx(50 * cap1));
    // The day-2 sessions log the 1RM of that morning.
    CHECK(r.sessions.one_rm[1] == 100.0);
    CHECK(r.sessions.one_rm[2] == Approx(50 * (1 + 0.03 * e1 * e1)));
    // After day 6: 1 + 0.03 e^(-6/42) on muscle 0.
    const double cap6 = 1 + 0.03 * std::pow(e1, 6);
    CHECK(r.final_capacity[0] == Approx(cap6));
    CHECK(r.final_one_rm[0] == Approx(100 * cap6));
    CHECK(r.final_one_rm[1] == 100.0);
    CHECK(r.final_one_rm[2] == Approx(50 * cap6));

    // With limit_weight 0.75, muscle 1 (0.5) no longer limits the compound: it follows muscle 0.
    SimOptions high_limit;
    high_limit.limit_weight = 0.75;
    const auto h = simulate(table, prog, a, high_limit);
    CHECK(h.one_rm(1, 1) == Approx(100 * cap1));
    CHECK(h.final_one_rm[1] == Approx(100 * cap6));
  }
  SECTION("fatigue on muscle 1 only lowers the compound") {
    // k2 = 0.01 on muscle 1. Day 0: compound at 85 kg (effort 1), 3 sets: w = (3, 1.5); the next morning
    // muscle 1 is at 1 - 0.015 e^(-1/7), muscle 0 at 1: the compound's 1RM drops, the others do not.
    compound.value = 85;
    compound.sets = 3;
    const auto prog = program(7, {iso, compound, light}, {{0, 1}});
    ModelParams params = flat_params(2);
    params.k2 = vec({0.0, 0.01});
    const auto r = simulate(table, prog, athlete(vec({100, 100, 50}), params), {});
    CHECK(r.dose(0, 1) == 1.5);
    CHECK(r.one_rm(1, 0) == 100.0);
    CHECK(r.one_rm(1, 1) == Approx(100 * (1 - 0.015 * e2)));
    CHECK(r.one_rm(1, 2) == 50.0);
  }
}

TEST_CASE("simulate: Banister capacity equals the open loop on the achieved dose", "[simulator]") {
  // Default gains; autoregulated 5 x 5 at 2 in reserve (effort 1) three times a week for 4 weeks, then
  // 2 weeks off. Each muscle's capacity column is banister_open_loop(dose column) with p0 = 1; the
  // morning 1RM is 100 x the lower capacity of the two muscles after one more day of decay.
  PrescriptionSpec p = rx(0, 5, 5);
  p.intensity = Intensity::rir;
  p.value = 2;
  const auto prog = program(42, {p}, on_days({0, 2, 4, 7, 9, 11, 14, 16, 18, 21, 23, 25}));
  ModelParams params = default_params(2);
  params.k1 = vec({0.002, 0.003});
  const auto r = simulate(one_exercise(), prog, athlete(vec({100}), params), {});
  REQUIRE(r.dose.rows() == 42);
  CHECK(r.dose(0, 0) == 5.0);
  CHECK(r.dose(0, 1) == 2.5);

  const double p0 = 1.0, tau1 = 42.0, tau2 = 7.0, k2 = 0.004;
  std::vector<double> fit[2], fat[2], perf[2];
  for (Eigen::Index m = 0; m < 2; ++m) {
    INFO("muscle " << m);
    const auto mi = static_cast<std::size_t>(m);
    const double k1 = params.k1[m];
    std::vector<double> loads(42);
    for (Eigen::Index t = 0; t < 42; ++t) loads[static_cast<std::size_t>(t)] = r.dose(t, m);
    fit[mi] = fat[mi] = perf[mi] = std::vector<double>(42);
    banister_open_loop(loads.data(), 42, 1, &p0, &k1, &k2, &tau1, &tau2, fit[mi].data(), fat[mi].data(),
                       perf[mi].data());
    for (Eigen::Index t = 0; t < 42; ++t) {
      const auto ti = static_cast<std::size_t>(t);
      CHECK(r.capacity(t, m) == Approx(perf[mi][ti]).epsilon(1e-12));
      CHECK(r.fitness(t, m) == Approx(k1 * fit[mi][ti]).epsilon(1e-12));
      CHECK(r.fatigue(t, m) == Approx(k2 * fat[mi][ti]).epsilon(1e-12));
    }
  }
  for (std::size_t t = 1; t < 42; ++t) {
    INFO("day " << t);
    const double c0 = 1 + 0.002 * fit[0][t - 1] * std::exp(-1.0 / 42) - k2 * fat[0][t - 1] * std::exp(-1.0 / 7);
    const double c1 = 1 + 0.003 * fit[1][t - 1] * std::exp(-1.0 / 42) - k2 * fat[1][t - 1] * std::exp(-1.0 / 7);
    CHECK(r.one_rm(static_cast<Eigen::Index>(t), 0) == Approx(100 * std::min(c0, c1)).epsilon(1e-12));
  }
  CHECK(r.total_dose[0] == Approx(12 * 5.0));
  CHECK(r.final_capacity[0] == Approx(perf[0].back()));
}

TEST_CASE("simulate_batch equals simulate for each athlete, on 1 or 2 threads", "[simulator]") {
  // 8 weeks of +2.5 kg per session from 60 kg and an autoregulated lift, a deload in week 4; three
  // athletes of different strength and parameters (athlete 2 fails from the start and deloads).
  PrescriptionSpec lin = rx(60, 3, 5, Rule::linear, 2.5);
  lin.deload_after = 2;
  PrescriptionSpec auto_reg = rx(0, 3, 8, Rule::rpe);
  std::vector<ScheduleEntry> schedule;
  for (std::int32_t week = 0; week < 8; ++week)
    for (const std::int32_t d : {0, 2, 4}) {
      schedule.push_back({7 * week + d, 0});
      schedule.push_back({7 * week + d, 1});
    }
  auto prog = program(56, {lin, auto_reg}, schedule);
  prog.deload_week[3] = 1;

  ModelParams strong = default_params(2), weak = default_params(2);
  strong.k1 = vec({0.004, 0.003});
  strong.tau1 = vec({30.0, 50.0});
  weak.k2 = vec({0.006, 0.008});
  const std::vector<AthleteSpec> athletes{athlete(vec({100}), default_params(2)), athlete(vec({140}), strong),
                                          athlete(vec({60}), weak)};
  const auto table = one_exercise();

  for (const auto model : {ModelKind::banister, ModelKind::busso, ModelKind::saturating}) {
    INFO("model " << static_cast<int>(model));
    SimOptions options;
    options.model = model;
    std::vector<SimResult> alone;
    for (const auto& a : athletes) alone.push_back(simulate(table, prog, a, options));
    CHECK(alone[2].failures > 0);
    CHECK(alone[2].auto_deloads > 0);
    CHECK(alone[1].final_one_rm[0] > 140.0);
    for (const unsigned threads : {1u, 2u}) {
      INFO("threads " << threads);
      const auto batch = simulate_batch(table, prog, athletes, options, threads);
      REQUIRE(batch.size() == 3);
      for (std::size_t i = 0; i < 3; ++i) {
        INFO("athlete " << i);
        check_same(batch[i], alone[i]);
      }
    }
    // Without recording: the summaries only, the same values.
    options.record = false;
    const auto quiet = simulate_batch(table, prog, athletes, options, 2);
    REQUIRE(quiet.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      INFO("athlete " << i);
      CHECK(quiet[i].capacity.size() == 0);
      CHECK(quiet[i].one_rm.size() == 0);
      CHECK(quiet[i].sessions.kg.empty());
      CHECK(quiet[i].final_capacity == alone[i].final_capacity);
      CHECK(quiet[i].final_one_rm == alone[i].final_one_rm);
      CHECK(quiet[i].total_dose == alone[i].total_dose);
      CHECK(quiet[i].peak_fatigue == alone[i].peak_fatigue);
      CHECK(quiet[i].failures == alone[i].failures);
      CHECK(quiet[i].auto_deloads == alone[i].auto_deloads);
    }
    // simulate_population: the same summaries as rows; sampled every 7 days, block 7 (the last)
    // holds the evening of day 55 and the dose summed over days 49-55.
    options.sample_days = 7;
    const PopulationResult rows = simulate_population(table, prog, athletes, options, 2);
    REQUIRE(rows.athletes() == 3);
    REQUIRE(rows.blocks == 8);
    for (std::size_t i = 0; i < 3; ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      CHECK(rows.final_one_rm(r, 0) == alone[i].final_one_rm[0]);
      CHECK(rows.total_dose.row(r) == alone[i].total_dose.transpose());
      CHECK(rows.failures[r] == alone[i].failures);
      for (std::size_t m = 0; m < 2; ++m) {
        const auto c = static_cast<Eigen::Index>(m);
        CHECK(rows.sampled_capacity[rows.sampled_at(i, 7, m)] == static_cast<float>(alone[i].capacity(55, c)));
        double dose = 0.0;
        for (Eigen::Index t = 49; t < 56; ++t) dose += alone[i].dose(t, c);
        CHECK(rows.sampled_dose[rows.sampled_at(i, 7, m)] == Approx(static_cast<float>(dose)));
      }
    }
  }
  CHECK(simulate_batch(table, prog, {}, {}, 2).empty());
  SimOptions recording;  // record on: a population run keeps no daily trajectories
  CHECK_THROWS_WITH(simulate_population(table, prog, athletes, recording, 1),
                    "simulate_population keeps summaries only: options.record must be off");
}

TEST_CASE("simulate rejects invalid programs and athletes", "[simulator][errors]") {
  const auto table = one_exercise();
  const auto good = program(14, {rx(60, 3, 5, Rule::linear, 2.5)}, on_days({0, 2, 9}));
  const auto a = flat_athlete();
  CHECK_NOTHROW(simulate(table, good, a, {}));
  CHECK_NOTHROW(good.validate(1));

  auto check_bad = [&](const char* what, auto&& mutate, const char* message) {
    INFO(what);
    ProgramSpec bad = good;
    mutate(bad);
    CHECK_THROWS_AS(bad.validate(1), InvalidInput);
    CHECK_THROWS_AS(simulate(table, bad, a, {}), InvalidInput);
    CHECK_THROWS_AS(simulate_batch(table, bad, {a}, {}, 1), InvalidInput);
    if (*message) CHECK(message_of([&] { bad.validate(1); }) == message);
  };
  check_bad("schedule out of order", [](ProgramSpec& p) { p.schedule = on_days({2, 0}); },
            "schedule must be in day order within the program");
  check_bad("schedule past the last day", [](ProgramSpec& p) { p.schedule = on_days({0, 14}); }, "");
  check_bad("schedule on a negative day", [](ProgramSpec& p) { p.schedule = on_days({-1}); }, "");
  check_bad("schedule names prescription 1", [](ProgramSpec& p) { p.schedule = on_days({0}, 1); },
            "schedule names a prescription that does not exist");
  check_bad("exercise index 1 of 1", [](ProgramSpec& p) { p.prescriptions[0].exercise = 1; },
            "prescription 0: exercise index out of range");
  check_bad("exercise index -1", [](ProgramSpec& p) { p.prescriptions[0].exercise = -1; }, "");
  check_bad("negative increment without floor", [](ProgramSpec& p) { p.prescriptions[0].increment = -2.5; },
            "prescription 0: a negative increment needs a min_kg floor > 0");
  check_bad("0 sets", [](ProgramSpec& p) { p.prescriptions[0].sets = 0; }, "");
  check_bad("reps_high < reps_low", [](ProgramSpec& p) { p.prescriptions[0].reps_high = 4; }, "");
  check_bad("NaN intensity", [](ProgramSpec& p) { p.prescriptions[0].value = kNaN; }, "");
  check_bad("deload_fraction 1", [](ProgramSpec& p) { p.prescriptions[0].deload_fraction = 1.0; }, "");
  check_bad("negative deload_after", [](ProgramSpec& p) { p.prescriptions[0].deload_after = -1; }, "");
  check_bad("wave without its list", [](ProgramSpec& p) { p.prescriptions[0].rule = Rule::wave; }, "");
  check_bad("deload_week too short", [](ProgramSpec& p) { p.deload_week = {0}; },
            "deload_week must have one entry per week");
  check_bad("no days", [](ProgramSpec& p) { p.n_days = 0; }, "");

  // A negative increment with a floor is fine.
  ProgramSpec floored = good;
  floored.prescriptions[0].increment = -2.5;
  floored.prescriptions[0].min_kg = 20;
  CHECK_NOTHROW(simulate(table, floored, a, {}));

  // Athletes.
  auto check_bad_athlete = [&](const char* what, auto&& mutate, const char* message) {
    INFO(what);
    AthleteSpec bad = a;
    mutate(bad);
    CHECK_THROWS_AS(simulate(table, good, bad, {}), InvalidInput);
    CHECK_THROWS_AS(simulate_batch(table, good, {a, bad}, {}, 2), InvalidInput);
    if (*message) CHECK(message_of([&] { simulate(table, good, bad, {}); }) == message);
  };
  check_bad_athlete("no 1RM", [](AthleteSpec& x) { x.one_rm[0] = kNaN; },
                    "1RM of exercise index 0 (prescribed by the program) is nan: it must be a finite number > 0 "
                    "(a missing 1RM, or a bad body weight or strength it was estimated from?)");
  check_bad_athlete("1RM 0", [](AthleteSpec& x) { x.one_rm[0] = 0.0; }, "");
  check_bad_athlete("one_rm of the wrong size", [](AthleteSpec& x) { x.one_rm = vec({100, 100}); },
                    "athlete one_rm and body_load need one value per catalogue exercise");
  check_bad_athlete("NaN body_load", [](AthleteSpec& x) { x.body_load[0] = kNaN; }, "");
  check_bad_athlete("parameters for 3 muscles", [](AthleteSpec& x) { x.params = flat_params(3); },
                    "model parameters need one value per muscle");
  check_bad_athlete("tau1 0", [](AthleteSpec& x) { x.params.tau1[1] = 0.0; },
                    "model parameter tau1 of muscle 1 must be > 0 and finite, got 0.000000");

  // An unknown 1RM of an exercise the program does not use is fine.
  RowMatrix dense(2, 2);
  dense << 1.0, 0.5,  //
      0.0, 1.0;
  const ActivationTable two(dense);
  AthleteSpec partial = athlete(vec({100, kNaN}), flat_params(2));
  CHECK_NOTHROW(simulate(two, good, partial, {}));
  ProgramSpec uses_1 = good;
  uses_1.prescriptions[0].exercise = 1;
  CHECK_THROWS_AS(simulate(two, uses_1, partial, {}), InvalidInput);
  CHECK(message_of([&] { simulate(two, uses_1, partial, {}); }) ==
        "1RM of exercise index 1 (prescribed by the program) is nan: it must be a finite number > 0 "
        "(a missing 1RM, or a bad body weight or strength it was estimated from?)");
  // In a batch the message names the athlete too (issue 14: "muscle 0" but not which athlete).
  AthleteSpec bad_tau = a;
  bad_tau.params.tau1[1] = 0.0;
  CHECK(message_of([&] { simulate_batch(table, good, {a, a, bad_tau}, {}, 1); }) ==
        "athlete 2: model parameter tau1 of muscle 1 must be > 0 and finite, got 0.000000");
}
