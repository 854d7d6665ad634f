#pragma once
// The progression rules of the closed loop, in one unit: each hook of a session (a new week, the
// day's planned load, a success, an automatic deload) is one switch over the rules, so a new rule
// adds one case per hook here (docs/DESIGN.md "A new progression rule"). A whole session is
// plan_session + finish_session, called by both closed loops (scalar and athlete-batched). Inline:
// the hooks run in the allocation-free day loops of simulator.cpp.
#include "chainload/load_reps.hpp"
#include "chainload/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace chainload {

// What one prescription remembers between sessions.
struct PrescriptionState {
  double load = 0.0;       // total moved load (kg) for kg / percent intensities
  double wave_added = 0.0; // kg added to the wave's base after each completed cycle
  std::int32_t target = 0; // current target reps (double progression climbs the range)
  std::int32_t streak = 0; // failed sessions in a row
  std::int32_t week = -1;  // week of the last session
  bool last_ok = true;
  bool last_deload = false;  // the last session fell in a planned deload week
  bool cycle_failed = false;
};

namespace progression {

// The load follows the day's capacity (an RIR target, or rule rpe): no automatic deload needed.
inline bool autoregulated(const PrescriptionSpec& p) { return p.intensity == Intensity::rir || p.rule == Rule::rpe; }

// Before the first session: the bottom of the rep range, and the starting load (a %1RM load is a
// percentage of the day-0 1RM `day0_one_rm`; otherwise the body share plus the kg added).
inline void start(const PrescriptionSpec& p, PrescriptionState& s, double body, double day0_one_rm) {
  s.target = p.reps_low;
  s.load = p.intensity == Intensity::percent ? p.value / 100.0 * day0_one_rm : body + p.value;
}

// The first session of a new week: a weekly linear increment is earned by the previous week's
// last session (a deload week earns none); a wave completes a cycle.
inline void new_week(const PrescriptionSpec& p, PrescriptionState& s, std::int32_t week) {
  switch (p.rule) {
    case Rule::linear:
      if (p.per_week && s.week >= 0 && s.last_ok && !s.last_deload) s.load += p.increment;
      break;
    case Rule::wave:
      if (week > 0 && week % static_cast<std::int32_t>(p.wave.size()) == 0) {
        if (!s.cycle_failed) s.wave_added += p.increment;
        s.cycle_failed = false;
      }
      break;
    case Rule::none:
    case Rule::double_progression:
    case Rule::rpe:
      break;
  }
  s.week = week;
}

// Today's load before a planned deload and rounding: the wave's %1RM of the starting 1RM plus what
// it has earned; an autoregulated load leaves the target reps `rir` short of failure today;
// otherwise the load the rule has reached.
inline double planned_load(const PrescriptionSpec& p, const PrescriptionState& s, std::int32_t week,
                           double start_one_rm, double one_rm_now, double default_rir) {
  switch (p.rule) {
    case Rule::wave: {
      const double pct = p.wave[static_cast<std::size_t>(week) % p.wave.size()];
      return pct / 100.0 * start_one_rm + s.wave_added;
    }
    case Rule::none:
    case Rule::linear:
    case Rule::double_progression:
    case Rule::rpe:
      break;
  }
  if (autoregulated(p)) {
    const double rir = p.intensity == Intensity::rir ? p.value : default_rir;
    return brzycki_fraction(s.target + rir) * one_rm_now;
  }
  return s.load;
}

// A session done in full, outside a planned deload week.
inline void on_success(const PrescriptionSpec& p, PrescriptionState& s) {
  switch (p.rule) {
    case Rule::linear:
      if (!p.per_week) s.load += p.increment;
      break;
    case Rule::double_progression:
      if (s.target >= p.reps_high) {
        s.load += p.increment;
        s.target = p.reps_low;
      } else {
        ++s.target;
      }
      break;
    case Rule::none:
    case Rule::wave:
    case Rule::rpe:
      break;
  }
}

// An automatic deload after `load` (today's) failed: it cuts the added load only, so a bodyweight
// lift never goes below the body it moves (body = 0 for an external load, whose whole load is cut).
inline void on_deload(const PrescriptionSpec& p, PrescriptionState& s, double load, double body) {
  switch (p.rule) {
    case Rule::wave:  // the whole wave moves down
      s.wave_added -= p.deload_fraction * std::max(load - body, 0.0);
      break;
    case Rule::none:
    case Rule::linear:
    case Rule::double_progression:
    case Rule::rpe: {
      const double added = s.load - body;
      s.load = added > 0.0 ? std::max(body + added * (1.0 - p.deload_fraction), p.min_kg) : std::max(s.load, p.min_kg);
      break;
    }
  }
}

// x / step rounded half away from zero (std::round's rule), times step; x itself for step <= 0.
// No libm call (the batched loop runs this per athlete and session): the integer conversion
// truncates, and the remainder x/step - trunc is exact for |x/step| < 2^52; at or above that a
// double is already an integer (and NaN or inf pass through, as with std::round).
inline double round_to_step(double x, double step) {
  if (!(step > 0.0)) return x;
  const double q = x / step;
  if (!(std::fabs(q) < 4503599627370496.0)) return q * step;  // 2^52
  double r = static_cast<double>(static_cast<std::int64_t>(q));
  const double rest = q - r;
  if (rest >= 0.5) r += 1.0;
  else if (rest <= -0.5) r -= 1.0;
  return std::copysign(r, q) * step;  // -0.0 for a small negative q, as std::round gives
}

// std::floor without a libm call (the baseline x86-64 has no rounding instruction): the integer
// conversion truncates, exact for |x| < 2^52; larger doubles are integers already (NaN, inf pass).
inline double floor_exact(double x) {
  if (!(std::fabs(x) < 4503599627370496.0)) return x;  // 2^52
  double t = static_cast<double>(static_cast<std::int64_t>(x));
  if (t > x) t -= 1.0;
  return std::copysign(t, x);  // -0.0 stays -0.0, as std::floor gives
}

// One prescribed session of one athlete, as planned before the model sees it.
struct SessionPlan {
  std::int32_t sets = 0;
  std::int32_t target = 0;  // target reps when the session started
  double load = 0.0;        // kg moved (rounded)
  double one_rm = 0.0;      // today's 1RM (kg)
  double fraction = 0.0;    // load / one_rm
  double achieved = 0.0;    // reps done
  double rir = 0.0;         // reps left in reserve
  double effort = 0.0;      // effort_weight(rir)
  bool failed = false;
};

// Everything a session decides before its dose: the week's rule step, today's load (planned,
// deloaded, rounded to the plate step, floored), the reps done. `start_one_rm` is the athlete's
// starting 1RM, `one_rm_now` today's, `body` the body share of the load, `round_kg` the
// options' step for a prescription without its own. Both closed loops (scalar and batched) call
// this. It fills `plan` in place: returned by value into the batched loop's array of plans, the
// plan was built on the stack and copied, and the copy's wide loads of the just-written fields
// stalled on store forwarding (perf).
inline void plan_session(const PrescriptionSpec& p, PrescriptionState& s, std::int32_t week, bool deload,
                         const ProgramSpec& program, double start_one_rm, double one_rm_now, double body,
                         double round_kg, double default_rir, SessionPlan& plan) {
  if (week > s.week) new_week(p, s, week);
  double load = planned_load(p, s, week, start_one_rm, one_rm_now, default_rir);
  plan.sets = p.sets;
  if (deload) {  // fewer sets, and less added load (a deload never lightens the body)
    plan.sets = std::max(1, static_cast<std::int32_t>(std::lround(p.sets * program.deload_sets)));
    load = body + (load - body) * program.deload_load;
  }
  const double step = p.round_kg >= 0.0 ? p.round_kg : round_kg;
  plan.load = std::max(body + round_to_step(load - body, step), std::max(p.min_kg, 0.0));
  plan.one_rm = one_rm_now;
  plan.fraction = plan.load / one_rm_now;
  const double possible = brzycki_reps(plan.fraction);
  plan.target = s.target;
  plan.achieved = std::min(static_cast<double>(s.target), floor_exact(possible + 1e-9));
  plan.failed = plan.achieved < s.target;
  plan.rir = std::max(possible - plan.achieved, 0.0);
  plan.effort = effort_weight(plan.rir);
}

// After the session: the failure streak, an automatic deload (returns true), or the rule's step
// on a success (none during a planned deload week).
inline bool finish_session(const PrescriptionSpec& p, PrescriptionState& s, const SessionPlan& plan, bool deload,
                           double body) {
  bool auto_deload = false;
  if (plan.failed) {
    s.cycle_failed = true;
    // An autoregulated load already follows the day's capacity: no automatic deload there.
    if (!deload && !autoregulated(p) && p.deload_after > 0 && ++s.streak >= p.deload_after) {
      on_deload(p, s, plan.load, body);
      s.streak = 0;
      auto_deload = true;
    }
  } else if (!deload) {
    s.streak = 0;
    on_success(p, s);
  }
  s.last_ok = !plan.failed;
  s.last_deload = deload;
  s.load = std::max(s.load, p.min_kg);
  return auto_deload;
}

}  // namespace progression
}  // namespace chainload
