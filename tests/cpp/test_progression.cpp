// The progression hooks (progression.hpp), one rule at a time, on hand-worked numbers; one lane
// (the scalar loop's N = 1), then the same session across 8 lanes against 8 single lanes.
#include "catch.hpp"

#include "chainload/progression.hpp"

#include <cmath>
#include <vector>

using namespace chainload;
using progression::Plans;
using progression::Prescription;
using State = progression::State<1>;

namespace {
Prescription rx(Rule rule, double increment) {
  Prescription p;
  p.rule = rule;
  p.increment = increment;
  p.reps_low = 6;
  p.reps_high = 8;
  return p;
}
const double kOk = 1.0;
}  // namespace

TEST_CASE("start: the bottom of the range; %1RM of the day-0 1RM, or the body share plus the kg added") {
  Prescription p = rx(Rule::none, 0.0);
  State s;
  p.intensity = Intensity::percent;
  p.value = 75.0;
  const double no_body = 0.0, day0 = 120.0;
  progression::start(p, s, &no_body, &day0);
  CHECK(s.target[0] == 6);
  CHECK(s.load[0] == 90.0);  // 0.75 x 120
  p.intensity = Intensity::kg;
  p.value = 10.0;
  const double body = 80.0, other = 100.0;
  progression::start(p, s, &body, &other);
  CHECK(s.load[0] == 90.0);  // 80 kg of body + 10 kg added
}

TEST_CASE("double progression climbs the range, then adds the increment and starts again") {
  const Prescription p = rx(Rule::double_progression, 2.5);
  State s;
  s.target[0] = 6;
  s.load[0] = 60.0;
  progression::on_success(p, s, &kOk);  // 6 -> 7
  progression::on_success(p, s, &kOk);  // 7 -> 8
  CHECK((s.target[0] == 8 && s.load[0] == 60.0));
  progression::on_success(p, s, &kOk);  // at the top: +2.5 kg, back to 6
  CHECK((s.target[0] == 6 && s.load[0] == 62.5));
  const double failed = 0.0;
  progression::on_success(p, s, &failed);  // a lane that failed does not move
  CHECK((s.target[0] == 6 && s.load[0] == 62.5));
}

TEST_CASE("weekly linear: a week's increment is earned by last week's last session, not in a deload") {
  Prescription p = rx(Rule::linear, 5.0);
  p.per_week = true;
  State s;
  s.load[0] = 100.0;
  progression::new_week(p, s, 0);  // the first week earns nothing
  CHECK(s.load[0] == 100.0);
  progression::on_success(p, s, &kOk);  // per week: a session adds nothing
  progression::new_week(p, s, 1);
  CHECK(s.load[0] == 105.0);
  s.last_deload = true;
  progression::new_week(p, s, 2);
  CHECK((s.load[0] == 105.0 && s.week == 2));
  s.last_deload = false;
  s.last_ok[0] = 0.0;  // last week's last session failed
  progression::new_week(p, s, 3);
  CHECK(s.load[0] == 105.0);
}

TEST_CASE("wave: %1RM of the starting 1RM per week, + the increment per cycle without a failure") {
  Prescription p = rx(Rule::wave, 2.5);
  const std::vector<double> wave{80.0, 90.0};
  p.wave = wave.data();
  p.wave_len = wave.size();
  State s;
  const double start = 100.0, now = 95.0;
  double load = 0.0;
  progression::planned_load(p, s, 1, &start, &now, 2.0, &load);
  CHECK(load == 90.0);             // week 1: 90 % of 100
  progression::new_week(p, s, 2);  // cycle done, no failure
  progression::planned_load(p, s, 2, &start, &now, 2.0, &load);
  CHECK(load == 82.5);  // 80 + 2.5
  s.cycle_failed[0] = 1.0;
  progression::new_week(p, s, 4);  // a failed cycle earns nothing
  CHECK((s.wave_added[0] == 2.5 && s.cycle_failed[0] == 0.0));
}

TEST_CASE("autoregulated: the target reps plus the RIR at today's 1RM, by Brzycki") {
  Prescription p = rx(Rule::rpe, 0.0);
  State s;
  s.target[0] = 8;
  const double start = 100.0, now = 96.0, weaker = 90.0;
  double load = 0.0;
  // 8 reps + 2 RIR (default) = 10 to failure: (37 - 10) / 36 = 0.75 of today's 1RM 96 kg = 72 kg.
  progression::planned_load(p, s, 0, &start, &now, 2.0, &load);
  CHECK(load == 72.0);
  p.rule = Rule::none;
  p.intensity = Intensity::rir;
  p.value = 1.0;  // 8 + 1 = 9: 28 / 36 x 90 = 70 kg
  progression::planned_load(p, s, 0, &start, &weaker, 2.0, &load);
  CHECK(load == 70.0);
}

TEST_CASE("an automatic deload cuts the added load only: never below the body") {
  Prescription p = rx(Rule::linear, 0.0);
  p.deload_fraction = 0.1;
  State s;
  const double cut = 1.0, body = 80.0, none = 0.0;
  double today = 80.0;
  s.load[0] = 80.0;  // a pull-up at body mass 80 kg, nothing added
  progression::on_deload(p, s, &cut, &today, &body);
  CHECK(s.load[0] == 80.0);
  s.load[0] = today = 100.0;  // + 20 kg: 10 % of 20 = 2 kg off
  progression::on_deload(p, s, &cut, &today, &body);
  CHECK(s.load[0] == Approx(98.0));
  s.load[0] = 100.0;  // an external lift (body 0): 10 % of the whole load
  progression::on_deload(p, s, &cut, &today, &none);
  CHECK(s.load[0] == Approx(90.0));
  const double keep = 0.0;  // a lane without a deload keeps its load
  progression::on_deload(p, s, &keep, &today, &none);
  CHECK(s.load[0] == Approx(90.0));
  p.rule = Rule::wave;  // the wave moves down by 10 % of today's added load: 20 kg -> 2 kg
  s.wave_added[0] = 0.0;
  progression::on_deload(p, s, &cut, &today, &body);
  CHECK(s.wave_added[0] == Approx(-2.0));
}

TEST_CASE("a session: 100 kg x 5 planned at a 1RM of 110 kg gives 5 reps of the 9.2 possible") {
  Prescription p = rx(Rule::linear, 2.5);
  p.sets = 3;
  p.reps_low = p.reps_high = 5;
  p.deload_after = 2;
  State s;
  const double body = 0.0, day0 = 110.0, now = 110.0;
  p.value = 100.0;
  progression::start(p, s, &body, &day0);
  const progression::Day day{0, false, 0.5, 0.9, 2.0};
  Plans<1> plan;
  progression::plan(p, s, day, &day0, &now, &body, plan);
  // Brzycki: 37 - 36 x 100 / 110 = 4.27 reps possible: 4 done of 5, a failure, 0.27 in reserve.
  CHECK(plan.load[0] == 100.0);
  CHECK(plan.achieved[0] == 4.0);
  CHECK(plan.failed[0] == 1.0);
  CHECK(plan.rir[0] == Approx(37.0 - 36.0 * 100.0 / 110.0 - 4.0));
  progression::finish(p, s, plan, false, &body);
  CHECK((s.streak[0] == 1.0 && plan.auto_deload[0] == 0.0 && s.load[0] == 100.0));
  progression::plan(p, s, day, &day0, &now, &body, plan);
  progression::finish(p, s, plan, false, &body);  // the second failure in a row: 10 % off
  CHECK((s.streak[0] == 0.0 && plan.auto_deload[0] == 1.0 && s.load[0] == Approx(90.0)));
  const progression::Day deload{1, true, 0.5, 0.9, 2.0};
  progression::plan(p, s, deload, &day0, &now, &body, plan);
  CHECK(plan.sets == 2);  // 3 x 0.5 = 1.5 rounds half away to 2
  CHECK(plan.load[0] == 80.0);  // 90 x 0.9 = 81 kg, to the 2.5 kg step: 80 kg
}

TEST_CASE("8 lanes give each lane's single-lane result: the lanes never mix") {
  Prescription p = rx(Rule::double_progression, 2.5);
  p.sets = 3;
  p.deload_after = 1;
  p.step = 2.5;
  State one[8];
  progression::State<8> many;
  double body[8], start[8], now[8];
  for (std::size_t l = 0; l < 8; ++l) {
    body[l] = l % 2 ? 70.0 : 0.0;  // bodyweight and external lifts side by side
    start[l] = 100.0 + 10.0 * static_cast<double>(l);
  }
  for (std::size_t l = 0; l < 8; ++l) progression::start(p, one[l], body + l, start + l);
  progression::start(p, many, body, start);
  double failures = 0.0, deloads = 0.0;
  for (std::int32_t session = 0; session < 40; ++session) {
    const progression::Day day{session / 3, session % 12 >= 9, 0.5, 0.9, 2.0};
    // Lanes 0, 3, 6 lose 1.5 % of their capacity a session, so they fail and deload; the rest gain.
    for (std::size_t l = 0; l < 8; ++l) now[l] = start[l] * (1.0 + session * (l % 3 ? 0.004 : -0.015));
    Plans<8> plans;
    progression::plan(p, many, day, start, now, body, plans);
    progression::finish(p, many, plans, day.deload, body);
    for (std::size_t l = 0; l < 8; ++l) {
      Plans<1> plan;
      progression::plan(p, one[l], day, start + l, now + l, body + l, plan);
      progression::finish(p, one[l], plan, day.deload, body + l);
      CHECK(plan.load[0] == plans.load[l]);
      CHECK(plan.failed[0] == plans.failed[l]);
      CHECK(plan.auto_deload[0] == plans.auto_deload[l]);
      CHECK(one[l].load[0] == many.load[l]);
      CHECK(one[l].target[0] == many.target[l]);
      failures += plans.failed[l];
      deloads += plans.auto_deload[l];
    }
  }
  // The comparison covers the branches that differ per lane: failures and automatic deloads.
  CHECK(failures > 0.0);
  CHECK(deloads > 0.0);
}

TEST_CASE("rounding to the plate step without libm: half away from zero, exact integers kept") {
  CHECK(progression::round_to_step(101.25, 2.5) == 102.5);  // 40.5 steps: half away, up
  CHECK(progression::round_to_step(-101.25, 2.5) == -102.5);
  CHECK(progression::round_to_step(101.0, 2.5) == 100.0);
  CHECK(progression::round_to_step(7.3, 0.0) == 7.3);  // no step: unchanged
  CHECK(progression::round_to_step(1e300, 2.5) == 1e300 / 2.5 * 2.5);
  CHECK(std::signbit(progression::round_to_step(-0.1, 2.5)));  // -0.0, as std::round gives
  CHECK(progression::floor_exact(-0.5) == -1.0);
  CHECK(progression::floor_exact(3.0) == 3.0);
  CHECK(progression::floor_exact(4.999999) == 4.0);
}
