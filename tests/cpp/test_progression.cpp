// The progression hooks (progression.hpp), one rule at a time, on hand-worked numbers.
#include "catch.hpp"

#include "chainload/progression.hpp"

using namespace chainload;

namespace {
PrescriptionSpec rx(Rule rule, double increment) {
  PrescriptionSpec p;
  p.rule = rule;
  p.increment = increment;
  p.reps_low = 6;
  p.reps_high = 8;
  return p;
}
}  // namespace

TEST_CASE("start: the bottom of the range; %1RM of the day-0 1RM, or the body share plus the kg added") {
  PrescriptionSpec p = rx(Rule::none, 0.0);
  PrescriptionState s;
  p.intensity = Intensity::percent;
  p.value = 75.0;
  progression::start(p, s, 0.0, 120.0);
  CHECK(s.target == 6);
  CHECK(s.load == 90.0);  // 0.75 x 120
  p.intensity = Intensity::kg;
  p.value = 10.0;
  progression::start(p, s, 80.0, 100.0);
  CHECK(s.load == 90.0);  // 80 kg of body + 10 kg added
}

TEST_CASE("double progression climbs the range, then adds the increment and starts again") {
  const PrescriptionSpec p = rx(Rule::double_progression, 2.5);
  PrescriptionState s;
  s.target = 6;
  s.load = 60.0;
  progression::on_success(p, s);  // 6 -> 7
  progression::on_success(p, s);  // 7 -> 8
  CHECK((s.target == 8 && s.load == 60.0));
  progression::on_success(p, s);  // at the top: +2.5 kg, back to 6
  CHECK((s.target == 6 && s.load == 62.5));
}

TEST_CASE("weekly linear: a week's increment is earned by last week's last session, not in a deload") {
  PrescriptionSpec p = rx(Rule::linear, 5.0);
  p.per_week = true;
  PrescriptionState s;
  s.load = 100.0;
  progression::new_week(p, s, 0);  // the first week earns nothing
  CHECK(s.load == 100.0);
  progression::on_success(p, s);  // per week: a session adds nothing
  progression::new_week(p, s, 1);
  CHECK(s.load == 105.0);
  s.last_deload = true;
  progression::new_week(p, s, 2);
  CHECK((s.load == 105.0 && s.week == 2));
}

TEST_CASE("wave: %1RM of the starting 1RM per week, + the increment per cycle without a failure") {
  PrescriptionSpec p = rx(Rule::wave, 2.5);
  p.wave = {80.0, 90.0};
  PrescriptionState s;
  CHECK(progression::planned_load(p, s, 1, 100.0, 95.0, 2.0) == 90.0);  // week 1: 90 % of 100
  progression::new_week(p, s, 2);                                       // cycle done, no failure
  CHECK(progression::planned_load(p, s, 2, 100.0, 95.0, 2.0) == 82.5);  // 80 + 2.5
  s.cycle_failed = true;
  progression::new_week(p, s, 4);  // a failed cycle earns nothing
  CHECK((s.wave_added == 2.5 && !s.cycle_failed));
}

TEST_CASE("autoregulated: the target reps plus the RIR at today's 1RM, by Brzycki") {
  PrescriptionSpec p = rx(Rule::rpe, 0.0);
  PrescriptionState s;
  s.target = 8;
  // 8 reps + 2 RIR (default) = 10 to failure: (37 - 10) / 36 = 0.75 of today's 1RM 96 kg = 72 kg.
  CHECK(progression::planned_load(p, s, 0, 100.0, 96.0, 2.0) == 72.0);
  p.rule = Rule::none;
  p.intensity = Intensity::rir;
  p.value = 1.0;  // 8 + 1 = 9: 28 / 36 x 90 = 70 kg
  CHECK(progression::planned_load(p, s, 0, 100.0, 90.0, 2.0) == 70.0);
}

TEST_CASE("an automatic deload cuts the added load only: never below the body") {
  PrescriptionSpec p = rx(Rule::linear, 0.0);
  p.deload_fraction = 0.1;
  PrescriptionState s;
  s.load = 80.0;  // a pull-up at body mass 80 kg, nothing added
  progression::on_deload(p, s, 80.0, 80.0);
  CHECK(s.load == 80.0);
  s.load = 100.0;  // + 20 kg: 10 % of 20 = 2 kg off
  progression::on_deload(p, s, 100.0, 80.0);
  CHECK(s.load == Approx(98.0));
  s.load = 100.0;  // an external lift (body 0): 10 % of the whole load
  progression::on_deload(p, s, 100.0, 0.0);
  CHECK(s.load == Approx(90.0));
  p.rule = Rule::wave;  // the wave moves down by 10 % of today's added load: 20 kg -> 2 kg
  s.wave_added = 0.0;
  progression::on_deload(p, s, 100.0, 80.0);
  CHECK(s.wave_added == Approx(-2.0));
}
