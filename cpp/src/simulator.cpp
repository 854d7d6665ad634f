#include "chainload/simulator.hpp"

#include "chainload/errors.hpp"
#include "chainload/load_reps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chainload {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

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

double round_to(double x, double step) { return step > 0.0 ? std::round(x / step) * step : x; }
}  // namespace

double effort_weight(double rir) { return std::clamp((10.0 - rir) / 6.0, 0.0, 1.0); }

void ProgramSpec::validate(std::size_t n_exercises) const {
  if (n_days <= 0) throw InvalidInput("program has no days (weeks must be > 0)");
  if (deload_week.size() * 7 < static_cast<std::size_t>(n_days))
    throw InvalidInput("deload_week must have one entry per week");
  if (!(deload_sets >= 0.0 && deload_sets <= 1.0) || !(deload_load >= 0.0 && deload_load <= 1.0))
    throw InvalidInput("deload_sets and deload_load must lie in [0, 1]");
  for (std::size_t i = 0; i < prescriptions.size(); ++i) {
    const auto& p = prescriptions[i];
    const std::string where = "prescription " + std::to_string(i) + ": ";
    if (p.exercise < 0 || static_cast<std::size_t>(p.exercise) >= n_exercises)
      throw InvalidInput(where + "exercise index out of range");
    if (p.sets < 1 || p.reps_low < 1 || p.reps_high < p.reps_low)
      throw InvalidInput(where + "needs sets >= 1 and 1 <= reps_low <= reps_high");
    if (!std::isfinite(p.value) || !std::isfinite(p.increment) || !std::isfinite(p.min_kg))
      throw InvalidInput(where + "intensity, increment and min_kg must be finite");
    if (p.increment < 0.0 && p.min_kg <= 0.0)
      throw InvalidInput(where + "a negative increment needs a min_kg floor > 0");
    if (p.deload_after < 0 || !(p.deload_fraction >= 0.0 && p.deload_fraction < 1.0))
      throw InvalidInput(where + "deload_after must be >= 0 and deload_fraction in [0, 1)");
    if (p.rule == Rule::wave && p.wave.empty()) throw InvalidInput(where + "a wave rule needs its %1RM list");
  }
  std::int32_t previous = 0;
  for (const auto& s : schedule) {
    if (s.day < previous || s.day >= n_days) throw InvalidInput("schedule must be in day order within the program");
    if (s.prescription < 0 || static_cast<std::size_t>(s.prescription) >= prescriptions.size())
      throw InvalidInput("schedule names a prescription that does not exist");
    previous = s.day;
  }
}

std::vector<std::int32_t> used_exercises(const ProgramSpec& program) {
  std::vector<std::int32_t> used;
  for (const auto& p : program.prescriptions)
    if (std::find(used.begin(), used.end(), p.exercise) == used.end()) used.push_back(p.exercise);
  return used;
}

namespace {
void check_athlete(const AthleteSpec& a, const ProgramSpec& program, std::size_t n_exercises, std::size_t n_muscles) {
  if (static_cast<std::size_t>(a.one_rm.size()) != n_exercises || static_cast<std::size_t>(a.body_load.size()) != n_exercises)
    throw InvalidInput("athlete one_rm and body_load need one value per catalogue exercise");
  if (a.params.size() != n_muscles) throw InvalidInput("model parameters need one value per muscle");
  for (const auto& p : program.prescriptions) {
    const double orm = a.one_rm[p.exercise];
    if (!(orm > 0.0) || !std::isfinite(orm))
      throw InvalidInput("1RM of exercise index " + std::to_string(p.exercise) + " (prescribed by the program) is " +
                         std::to_string(orm) + ": it must be a finite number > 0 (a missing 1RM, or a bad body "
                         "weight or strength it was estimated from?)");
    const double body = a.body_load[p.exercise];
    if (!(body >= 0.0) || !std::isfinite(body))
      throw InvalidInput("body load of exercise index " + std::to_string(p.exercise) + " is " + std::to_string(body) +
                         ": it must be a finite number >= 0 (a bad body weight?)");
  }
}

SimResult run(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
              const SimOptions& options, const Model& model) {
  const std::size_t n_muscles = activation.n_muscles();
  const auto days = static_cast<std::size_t>(program.n_days);
  const std::vector<std::int32_t> used = used_exercises(program);
  std::vector<std::int32_t> used_column(activation.n_exercises(), -1);
  for (std::size_t u = 0; u < used.size(); ++u) used_column[static_cast<std::size_t>(used[u])] = static_cast<std::int32_t>(u);

  SimResult out;
  if (options.record) {
    for (RowMatrix* m : {&out.fitness, &out.fatigue, &out.capacity, &out.readiness, &out.dose})
      m->resize(static_cast<Eigen::Index>(days), static_cast<Eigen::Index>(n_muscles));
    out.one_rm.resize(static_cast<Eigen::Index>(days), static_cast<Eigen::Index>(used.size()));
  }
  out.total_dose = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_muscles));
  const auto every = static_cast<std::size_t>(std::max(options.sample_days, 0));
  if (every > 0) {
    const auto blocks = static_cast<Eigen::Index>((days + every - 1) / every);
    out.sampled_capacity.resize(blocks, static_cast<Eigen::Index>(n_muscles));
    out.sampled_fatigue.resize(blocks, static_cast<Eigen::Index>(n_muscles));
    out.sampled_dose = RowMatrix::Zero(blocks, static_cast<Eigen::Index>(n_muscles));
  }

  // All working memory is allocated here, before the day loop.
  const std::size_t n_state = model.state_per_muscle() * n_muscles;
  std::vector<double> state(n_state, 0.0), morning(n_state), w(n_muscles), zero(n_muscles, 0.0);
  std::vector<double> capacity(n_muscles), fitness(n_muscles), fatigue(n_muscles), rested(n_muscles);
  std::vector<double> exercise_capacity(used.size(), 1.0);
  // The muscles that limit each used lift: activation >= limit_weight (or the lift's top weight,
  // if all are lower). Computed once; the day loop only takes minima over them.
  std::vector<std::size_t> limit_offsets{0};
  std::vector<std::size_t> limit_muscles;
  for (const auto e : used) {
    double top = 0.0;
    const auto ex = static_cast<std::size_t>(e);
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a) top = std::max(top, a->weight);
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a)
      if (a->weight >= std::min(options.limit_weight, top)) limit_muscles.push_back(static_cast<std::size_t>(a->muscle));
    limit_offsets.push_back(limit_muscles.size());
  }
  auto lift_capacity = [&](std::size_t u, const std::vector<double>& muscle_capacity) {
    double c = std::numeric_limits<double>::infinity();
    for (std::size_t k = limit_offsets[u]; k < limit_offsets[u + 1]; ++k) c = std::min(c, muscle_capacity[limit_muscles[k]]);
    return std::max(std::isfinite(c) ? c : 1.0, 0.05);
  };
  std::vector<PrescriptionState> ps(program.prescriptions.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto& p = program.prescriptions[i];
    const double body = athlete.body_load[p.exercise];
    ps[i].target = p.reps_low;
    ps[i].load = p.intensity == Intensity::percent ? p.value / 100.0 * athlete.one_rm[p.exercise] : body + p.value;
  }
  if (options.record) {
    auto& log = out.sessions;
    for (auto* v : {&log.day, &log.prescription, &log.sets}) v->reserve(program.schedule.size());
    for (auto* v : {&log.target_reps, &log.kg, &log.achieved_reps, &log.reps_in_reserve, &log.one_rm})
      v->reserve(program.schedule.size());
    for (auto* v : {&log.failed, &log.planned_deload, &log.auto_deload}) v->reserve(program.schedule.size());
  }

  std::size_t next = 0;
  for (std::size_t t = 0; t < days; ++t) {
    const bool training_day = next < program.schedule.size() && static_cast<std::size_t>(program.schedule[next].day) == t;
    if (training_day || options.record) {
      // Capacity at the start of the day: yesterday's state, one day of decay, no load yet.
      std::copy(state.begin(), state.end(), morning.begin());
      model.step(zero.data(), morning.data());
      model.read(morning.data(), capacity.data(), fitness.data(), fatigue.data());
      // The weakest heavily loaded muscle limits each lift.
      for (std::size_t u = 0; u < used.size(); ++u) {
        exercise_capacity[u] = lift_capacity(u, capacity);
        if (options.record)
          out.one_rm(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(u)) = athlete.one_rm[used[u]] * exercise_capacity[u];
      }
    }

    std::fill(w.begin(), w.end(), 0.0);
    const auto week = static_cast<std::int32_t>(t / 7);
    const bool deload = program.deload_week[static_cast<std::size_t>(week)] != 0;
    for (; next < program.schedule.size() && static_cast<std::size_t>(program.schedule[next].day) == t; ++next) {
      const auto pi = static_cast<std::size_t>(program.schedule[next].prescription);
      const PrescriptionSpec& p = program.prescriptions[pi];
      PrescriptionState& s = ps[pi];
      const double body = athlete.body_load[p.exercise];
      const double one_rm_now =
          athlete.one_rm[p.exercise] * exercise_capacity[static_cast<std::size_t>(used_column[static_cast<std::size_t>(p.exercise)])];

      // A new week: weekly linear progression and wave cycles advance.
      if (week > s.week) {
        // A week's increment is earned by the previous week's last session; a deload week earns none.
        if (p.rule == Rule::linear && p.per_week && s.week >= 0 && s.last_ok && !s.last_deload) s.load += p.increment;
        if (p.rule == Rule::wave && week > 0 && week % static_cast<std::int32_t>(p.wave.size()) == 0) {
          if (!s.cycle_failed) s.wave_added += p.increment;
          s.cycle_failed = false;
        }
        s.week = week;
      }

      // The load of today's sets.
      const bool autoregulated = p.intensity == Intensity::rir || p.rule == Rule::rpe;
      double load = s.load;
      if (p.rule == Rule::wave) {
        const double pct = p.wave[static_cast<std::size_t>(week) % p.wave.size()];
        load = pct / 100.0 * athlete.one_rm[p.exercise] + s.wave_added;
      } else if (autoregulated) {
        const double rir = p.intensity == Intensity::rir ? p.value : options.default_rir;
        load = brzycki_fraction(s.target + rir) * one_rm_now;
      }
      std::int32_t sets = p.sets;
      if (deload) {  // fewer sets, and less added load (a deload never lightens the body)
        sets = std::max(1, static_cast<std::int32_t>(std::lround(p.sets * program.deload_sets)));
        load = body + (load - body) * program.deload_load;
      }
      load = std::max(body + round_to(load - body, options.round_kg), std::max(p.min_kg, 0.0));

      const double possible = brzycki_reps(load / one_rm_now);
      const double achieved = std::min(static_cast<double>(s.target), std::floor(possible + 1e-9));
      const bool failed = achieved < s.target;
      const double rir = std::max(possible - achieved, 0.0);
      const double effort = effort_weight(rir);
      for (const auto* a = activation.begin(static_cast<std::size_t>(p.exercise)); a != activation.end(static_cast<std::size_t>(p.exercise)); ++a)
        w[static_cast<std::size_t>(a->muscle)] += sets * effort * a->weight;

      // Progression (not during a planned deload week).
      const std::int32_t target = s.target;
      bool auto_deload = false;
      if (failed) {
        ++out.failures;
        s.cycle_failed = true;
        // An autoregulated load already follows the day's capacity: no automatic deload there.
        if (!deload && !autoregulated && p.deload_after > 0 && ++s.streak >= p.deload_after) {
          if (p.rule == Rule::wave)
            s.wave_added -= p.deload_fraction * load;  // the whole wave moves down
          else
            s.load = std::max(s.load * (1.0 - p.deload_fraction), p.min_kg);
          s.streak = 0;
          auto_deload = true;
          ++out.auto_deloads;
        }
      } else if (!deload) {
        s.streak = 0;
        if (p.rule == Rule::linear && !p.per_week) s.load += p.increment;
        if (p.rule == Rule::double_progression) {
          if (s.target >= p.reps_high) {
            s.load += p.increment;
            s.target = p.reps_low;
          } else {
            ++s.target;
          }
        }
      }
      s.last_ok = !failed;
      s.last_deload = deload;
      s.load = std::max(s.load, p.min_kg);

      if (options.record) {
        auto& log = out.sessions;
        log.day.push_back(static_cast<std::int32_t>(t));
        log.prescription.push_back(static_cast<std::int32_t>(pi));
        log.sets.push_back(sets);
        log.target_reps.push_back(target);
        log.kg.push_back(load);
        log.achieved_reps.push_back(achieved);
        log.reps_in_reserve.push_back(rir);
        log.one_rm.push_back(one_rm_now);
        log.failed.push_back(failed);
        log.planned_deload.push_back(deload);
        log.auto_deload.push_back(auto_deload);
      }
    }

    model.step(w.data(), state.data());
    // Fatigue only rises on a loaded day, so a rest day cannot set the peak: without trajectories
    // to record, rest days only advance the state.
    const bool block_end = every > 0 && ((t + 1) % every == 0 || t + 1 == days);
    if (training_day || options.record || t + 1 == days || block_end) {
      model.read(state.data(), capacity.data(), fitness.data(), fatigue.data());
      double peak = out.peak_fatigue;
      for (std::size_t m = 0; m < n_muscles; ++m) {
        out.total_dose[static_cast<Eigen::Index>(m)] += w[m];
        peak = std::max(peak, fatigue[m]);
      }
      out.peak_fatigue = peak;
      if (every > 0) {
        const auto b = static_cast<Eigen::Index>(t / every);
        for (std::size_t m = 0; m < n_muscles; ++m) {
          const auto c = static_cast<Eigen::Index>(m);
          out.sampled_dose(b, c) += w[m];
          if (block_end) {
            out.sampled_capacity(b, c) = capacity[m];
            out.sampled_fatigue(b, c) = fatigue[m];
          }
        }
      }
    }
    if (options.record) {
      model.rested(state.data(), rested.data());
      const auto r = static_cast<Eigen::Index>(t);
      for (std::size_t m = 0; m < n_muscles; ++m) {
        const auto c = static_cast<Eigen::Index>(m);
        out.fitness(r, c) = fitness[m];
        out.fatigue(r, c) = fatigue[m];
        out.capacity(r, c) = capacity[m];
        out.readiness(r, c) = 100.0 * std::clamp(capacity[m] / rested[m], 0.0, 1.0);
        out.dose(r, c) = w[m];
      }
    }
  }
  out.final_capacity = Eigen::Map<Eigen::VectorXd>(capacity.data(), static_cast<Eigen::Index>(n_muscles));
  out.final_one_rm.resize(static_cast<Eigen::Index>(used.size()));
  for (std::size_t u = 0; u < used.size(); ++u)
    out.final_one_rm[static_cast<Eigen::Index>(u)] = athlete.one_rm[used[u]] * lift_capacity(u, capacity);
  return out;
}
}  // namespace

SimResult simulate(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
                   const SimOptions& options) {
  program.validate(activation.n_exercises());
  check_athlete(athlete, program, activation.n_exercises(), activation.n_muscles());
  const auto model = make_model(options.model, athlete.params);
  return run(activation, program, athlete, options, *model);
}

std::vector<SimResult> simulate_batch(const ActivationTable& activation, const ProgramSpec& program,
                                      const std::vector<AthleteSpec>& athletes, const SimOptions& options,
                                      unsigned threads) {
  program.validate(activation.n_exercises());
  std::vector<std::unique_ptr<Model>> models;
  models.reserve(athletes.size());
  for (std::size_t i = 0; i < athletes.size(); ++i) {
    try {  // the message names the athlete (its index in the batch) as well as the muscle or exercise
      check_athlete(athletes[i], program, activation.n_exercises(), activation.n_muscles());
      models.push_back(make_model(options.model, athletes[i].params));
    } catch (const InvalidInput& e) {
      throw InvalidInput("athlete " + std::to_string(i) + ": " + e.what());
    }
  }
  std::vector<SimResult> results(athletes.size());
  parallel_for(athletes.size(), threads, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      check_cancelled();  // between athletes: Ctrl-C stops a batch within one athlete's run
      results[i] = run(activation, program, athletes[i], options, *models[i]);
    }
  });
  return results;
}

}  // namespace chainload
