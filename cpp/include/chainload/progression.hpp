#pragma once
// The progression rules of the closed loop, in one unit, written across N athletes (lanes): each
// hook of a session (a new week, the day's planned load, a success, an automatic deload) is one
// switch over the rules, so a new rule adds one case per hook here (docs/DESIGN.md "A new
// progression rule"). A whole session is plan + finish. The scalar loop runs them with N = 1, the
// batched loop with N = lanes::kLanes inside each instruction set's kernels (batch_kernels.cpp),
// so the rules exist once and give the same numbers in both loops.
//
// Why it vectorises: every lane runs the same prescription on the same day, so what the rule,
// the week and the deload decide is uniform (a branch outside the lane loop); what differs per lane
// (a failure, a streak, the top of the range) is a select inside it. Lane state is all doubles
// (counts and flags are exact small integers), so each lane loop is one vector width throughout.
// Plain structs and inline templates, no Eigen: the kernel objects include this header.
#include "chainload/detail/isa_copy.hpp"
#include "chainload/load_reps.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace chainload {

enum class Rule : std::int32_t { none, linear, double_progression, wave, rpe };
enum class Intensity : std::int32_t { kg, percent, rir, bodyweight };
// The names programs use, in enum order: the one list, exported as _core.RULE_NAMES and
// _core.INTENSITY_NAMES and read by Python (program.RULES).
inline constexpr std::array<const char*, 5> rule_names{"none", "linear", "double", "wave", "rpe"};
inline constexpr std::array<const char*, 4> intensity_names{"kg", "percent", "rir", "bodyweight"};

namespace progression {

// One prescription as the rules read it (from a PrescriptionSpec and the options,
// simulator.cpp rules_of): the same for every lane.
struct Prescription {
  Rule rule = Rule::none;
  Intensity intensity = Intensity::kg;
  bool per_week = false;
  std::int32_t sets = 1, reps_low = 1, reps_high = 1;
  std::int32_t deload_after = 0;  // failed sessions in a row before an automatic deload (0 = never)
  double value = 0.0;             // kg added to the body share / %1RM / reps in reserve
  double increment = 0.0;         // kg
  double deload_fraction = 0.1;   // load cut of an automatic deload
  double min_kg = 0.0;            // floor of the total load
  double step = 2.5;              // rounding step of the added load (kg; <= 0: none)
  const double* wave = nullptr;   // %1RM per week of the cycle (rule wave)
  std::size_t wave_len = 0;
};

// The day, the same for every lane: its week, whether it falls in a planned deload week, and the
// program's and options' constants.
struct Day {
  std::int32_t week = 0;
  bool deload = false;
  double deload_sets = 0.5, deload_load = 0.9;  // ProgramSpec's
  double default_rir = 2.0;                     // SimOptions'
};

// What one prescription remembers between sessions, per lane.
template <std::size_t N>
struct State {
  double load[N] = {};        // total moved load (kg) for kg / percent intensities
  double wave_added[N] = {};  // kg added to the wave's base after each completed cycle
  double target[N] = {};      // current target reps (double progression climbs the range)
  double streak[N] = {};      // failed sessions in a row
  double last_ok[N] = {};     // 1: the last session was done in full
  double cycle_failed[N] = {};
  std::int32_t week = -1;     // week of the last session (the same in every lane)
  bool last_deload = false;   // the last session fell in a planned deload week
  State() {
    for (std::size_t l = 0; l < N; ++l) last_ok[l] = 1.0;
  }
};

// One prescribed session, per lane, as planned (plan) and finished (finish).
template <std::size_t N>
struct Plans {
  std::int32_t sets = 0;    // the same in every lane
  double target[N] = {};    // target reps when the session started
  double load[N] = {};      // kg moved (rounded)
  double one_rm[N] = {};    // today's 1RM (kg)
  double fraction[N] = {};  // load / one_rm
  double achieved[N] = {};  // reps done
  double rir[N] = {};       // reps left in reserve
  double effort[N] = {};    // effort_weight(rir)
  double failed[N] = {};    // 1: fewer reps than the target
  double auto_deload[N] = {};  // 1: the failure triggered an automatic deload (finish)
};

inline namespace CHAINLOAD_ISA_COPY {

// The load follows the day's capacity (an RIR target, or rule rpe): no automatic deload needed.
inline bool autoregulated(const Prescription& p) { return p.intensity == Intensity::rir || p.rule == Rule::rpe; }

// std::trunc without a libm call, so that it vectorises on every instruction set (GCC vectorises
// trunc only without trapping math). Where SSE4.1 exists (the AVX2 and AVX-512 kernels) it is one
// rounding instruction; otherwise (the baseline and the core): below 2^52, adding and subtracting
// 2^52 rounds a magnitude to the nearest integer exactly, one less if that passed it gives the
// floor; at or above 2^52 a double is an integer already (NaN, inf pass). Both are exact, so every
// instruction set gives the same bits (tests/cpp/test_batched_loop.cpp).
inline double trunc_exact(double x) {
#if defined(__SSE4_1__)
  return __builtin_trunc(x);
#else
  const double a = std::fabs(x);
  const double nearest = (a + 0x1p52) - 0x1p52;
  const double floor = nearest > a ? nearest - 1.0 : nearest;
  return a < 0x1p52 ? std::copysign(floor, x) : x;
#endif
}
// x / step rounded half away from zero (std::round's rule), times step; x itself for step <= 0.
inline double round_steps(double q) {
  const double t = trunc_exact(q);
  const double rest = q - t;  // NaN for inf: neither test holds, inf passes
  const double r = rest >= 0.5 ? t + 1.0 : (rest <= -0.5 ? t - 1.0 : t);
  return std::copysign(r, q);  // -0.0 for a small negative q, as std::round gives
}
inline double round_to_step(double x, double step) { return step > 0.0 ? round_steps(x / step) * step : x; }

// std::floor without a libm call (as trunc_exact: one instruction with SSE4.1).
inline double floor_exact(double x) {
#if defined(__SSE4_1__)
  return __builtin_floor(x);
#else
  const double t = trunc_exact(x);
  return t > x ? t - 1.0 : t;
#endif
}

// Before the first session: the bottom of the rep range, and the starting load (a %1RM load is a
// percentage of the day-0 1RM `day0_one_rm`; otherwise the body share plus the kg added).
template <std::size_t N>
void start(const Prescription& p, State<N>& __restrict s, const double* __restrict body,
           const double* __restrict day0_one_rm) {
  for (std::size_t l = 0; l < N; ++l) {
    s.target[l] = p.reps_low;
    s.load[l] = p.intensity == Intensity::percent ? p.value / 100.0 * day0_one_rm[l] : body[l] + p.value;
  }
}

// The first session of a new week: a weekly linear increment is earned by the previous week's
// last session (a deload week earns none); a wave completes a cycle.
template <std::size_t N>
void new_week(const Prescription& p, State<N>& __restrict s, std::int32_t week) {
  switch (p.rule) {
    case Rule::linear:
      if (p.per_week && s.week >= 0 && !s.last_deload) {
        const double inc = p.increment;
        for (std::size_t l = 0; l < N; ++l) {
          const double load = s.load[l];
          s.load[l] = s.last_ok[l] != 0.0 ? load + inc : load;
        }
      }
      break;
    case Rule::wave:
      if (week > 0 && week % static_cast<std::int32_t>(p.wave_len) == 0) {
        const double inc = p.increment;
        for (std::size_t l = 0; l < N; ++l) {
          const double added = s.wave_added[l];
          s.wave_added[l] = s.cycle_failed[l] != 0.0 ? added : added + inc;
          s.cycle_failed[l] = 0.0;
        }
      }
      break;
    case Rule::none:
    case Rule::double_progression:
    case Rule::rpe:
      break;
  }
  s.week = week;
}

// Today's load before a planned deload and rounding, into out[l]: the wave's %1RM of the starting
// 1RM plus what it has earned; an autoregulated load leaves the target reps `rir` short of failure
// today; otherwise the load the rule has reached.
template <std::size_t N>
void planned_load(const Prescription& p, const State<N>& __restrict s, std::int32_t week,
                  const double* __restrict start_one_rm, const double* __restrict one_rm_now, double default_rir,
                  double* __restrict out) {
  switch (p.rule) {
    case Rule::wave: {
      const double pct = p.wave[static_cast<std::size_t>(week) % p.wave_len];
      for (std::size_t l = 0; l < N; ++l) out[l] = pct / 100.0 * start_one_rm[l] + s.wave_added[l];
      return;
    }
    case Rule::none:
    case Rule::linear:
    case Rule::double_progression:
    case Rule::rpe:
      break;
  }
  if (autoregulated(p)) {
    const double rir = p.intensity == Intensity::rir ? p.value : default_rir;
    for (std::size_t l = 0; l < N; ++l) out[l] = brzycki_fraction(s.target[l] + rir) * one_rm_now[l];
  } else {
    for (std::size_t l = 0; l < N; ++l) out[l] = s.load[l];
  }
}

// A session done in full (ok[l] = 1), outside a planned deload week.
template <std::size_t N>
void on_success(const Prescription& p, State<N>& __restrict s, const double* __restrict ok) {
  switch (p.rule) {
    case Rule::linear:
      if (!p.per_week) {
        const double inc = p.increment;
        for (std::size_t l = 0; l < N; ++l) {
          const double load = s.load[l];
          s.load[l] = ok[l] != 0.0 ? load + inc : load;
        }
      }
      break;
    case Rule::double_progression: {
      const double inc = p.increment, high = p.reps_high, low = p.reps_low;
      for (std::size_t l = 0; l < N; ++l) {
        const double load = s.load[l], target = s.target[l];
        const bool go = ok[l] != 0.0, top = target >= high;
        s.load[l] = go & top ? load + inc : load;
        s.target[l] = go ? (top ? low : target + 1.0) : target;
      }
      break;
    }
    case Rule::none:
    case Rule::wave:
    case Rule::rpe:
      break;
  }
}

// An automatic deload (cut[l] = 1) after `load` (today's) failed: it cuts the added load only, so
// a bodyweight lift never goes below the body it moves (body = 0 for an external load, whose whole
// load is cut).
template <std::size_t N>
void on_deload(const Prescription& p, State<N>& __restrict s, const double* __restrict cut,
               const double* __restrict load, const double* __restrict body) {
  switch (p.rule) {
    case Rule::wave:  // the whole wave moves down
      for (std::size_t l = 0; l < N; ++l) {
        const double added = load[l] - body[l];
        const double down = s.wave_added[l] - p.deload_fraction * (added < 0.0 ? 0.0 : added);
        s.wave_added[l] = cut[l] != 0.0 ? down : s.wave_added[l];
      }
      return;
    case Rule::none:
    case Rule::linear:
    case Rule::double_progression:
    case Rule::rpe:
      break;
  }
  for (std::size_t l = 0; l < N; ++l) {
    const double added = s.load[l] - body[l];
    const double kept = body[l] + added * (1.0 - p.deload_fraction);
    const double base = added > 0.0 ? kept : s.load[l];
    const double next = base < p.min_kg ? p.min_kg : base;  // std::max(base, min_kg)
    s.load[l] = cut[l] != 0.0 ? next : s.load[l];
  }
}

// Everything a session decides before its dose: the week's rule step, today's load (planned,
// deloaded, rounded to the plate step, floored), the reps done. `start_one_rm` is each lane's
// starting 1RM, `one_rm_now` today's, `body` the body share of the load.
template <std::size_t N>
void plan(const Prescription& p, State<N>& __restrict s, const Day& day, const double* __restrict start_one_rm,
          const double* __restrict one_rm_now, const double* __restrict body, Plans<N>& __restrict out) {
  if (day.week > s.week) new_week(p, s, day.week);
  double load[N];
  planned_load(p, s, day.week, start_one_rm, one_rm_now, day.default_rir, load);
  out.sets = p.sets;
  if (day.deload) {  // fewer sets, and less added load (a deload never lightens the body)
    const auto fewer = static_cast<std::int32_t>(std::lround(p.sets * day.deload_sets));
    out.sets = fewer < 1 ? 1 : fewer;
    for (std::size_t l = 0; l < N; ++l) load[l] = body[l] + (load[l] - body[l]) * day.deload_load;
  }
  const double least = p.min_kg < 0.0 ? 0.0 : p.min_kg;  // std::max(min_kg, 0)
  const double step = p.step;
  const bool rounds = step > 0.0;
  // Four lane loops, not one: each a shorter chain of dependent operations (two divisions in
  // the first two), so the CPU overlaps more lanes' chains; the single loop measured ~4 %
  // slower on the whole closed loop (10,000 athletes x 52 weeks, AVX-512, alternating runs).
  for (std::size_t l = 0; l < N; ++l) {  // round_to_step, its test on the step hoisted
    const double kg_body = body[l];
    const double added = load[l] - kg_body;
    const double rounded = kg_body + (rounds ? round_steps(added / step) * step : added);
    out.load[l] = rounded < least ? least : rounded;
  }
  for (std::size_t l = 0; l < N; ++l) {
    const double fraction = out.load[l] / one_rm_now[l];
    out.fraction[l] = fraction;
    out.rir[l] = brzycki_reps(fraction);  // the reps possible, for the loop below
  }
  for (std::size_t l = 0; l < N; ++l) {
    const double now = one_rm_now[l], target = s.target[l];
    const double possible = out.rir[l];
    const double most = floor_exact(possible + 1e-9);
    const double achieved = most < target ? most : target;  // std::min(target, most)
    const double rir = possible - achieved;
    out.one_rm[l] = now;
    out.target[l] = target;
    out.achieved[l] = achieved;
    out.failed[l] = achieved < target ? 1.0 : 0.0;
    out.rir[l] = rir < 0.0 ? 0.0 : rir;
  }
  for (std::size_t l = 0; l < N; ++l) out.effort[l] = effort_weight(out.rir[l]);
}

// After the session: the failure streak, an automatic deload (out.auto_deload), or the rule's
// step on a success (none during a planned deload week).
template <std::size_t N>
void finish(const Prescription& p, State<N>& __restrict s, Plans<N>& __restrict out, bool deload,
            const double* __restrict body) {
  // An autoregulated load already follows the day's capacity: no automatic deload there.
  const bool counts = !deload && !autoregulated(p) && p.deload_after > 0;
  double ok[N];
  if (counts) {
    for (std::size_t l = 0; l < N; ++l) {
      const bool failed = out.failed[l] != 0.0;
      const double streak = s.streak[l] + 1.0;
      const bool cut = failed & (streak >= p.deload_after);
      out.auto_deload[l] = cut ? 1.0 : 0.0;
      s.streak[l] = failed & !cut ? streak : 0.0;
    }
  } else {
    for (std::size_t l = 0; l < N; ++l) {
      out.auto_deload[l] = 0.0;
      s.streak[l] = (out.failed[l] != 0.0) | deload ? s.streak[l] : 0.0;
    }
  }
  for (std::size_t l = 0; l < N; ++l) {
    const bool failed = out.failed[l] != 0.0;
    s.cycle_failed[l] = failed ? 1.0 : s.cycle_failed[l];
    ok[l] = failed | deload ? 0.0 : 1.0;
  }
  if (counts) on_deload(p, s, out.auto_deload, out.load, body);
  if (!deload) on_success(p, s, ok);
  for (std::size_t l = 0; l < N; ++l) {
    s.last_ok[l] = out.failed[l] != 0.0 ? 0.0 : 1.0;
    s.load[l] = s.load[l] < p.min_kg ? p.min_kg : s.load[l];  // std::max(load, min_kg)
  }
  s.last_deload = deload;
}

}  // namespace CHAINLOAD_ISA_COPY
}  // namespace progression
}  // namespace chainload
