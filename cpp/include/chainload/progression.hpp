#pragma once
// The progression rules of the closed loop, in one unit: each hook of a session (a new week, the
// day's planned load, a success, an automatic deload) is one switch over the rules, so a new rule
// adds one case per hook here (docs/DESIGN.md "A new progression rule"). Inline: the hooks run in
// the allocation-free day loop of simulator.cpp.
#include "chainload/load_reps.hpp"
#include "chainload/simulator.hpp"

#include <algorithm>
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

}  // namespace progression
}  // namespace chainload
