#pragma once
// The closed loop: a program run against a virtual athlete, day by day. Each session derives what
// the athlete can lift from the current per-muscle capacity (the weakest heavily loaded muscle
// limits a compound lift), turns it into achievable reps by Brzycki's relation, records what was
// achieved, applies the progression rule, and feeds the achieved dose into the adaptation model.
#include "chainload/adaptation.hpp"
#include "chainload/progression.hpp"
#include "chainload/dose.hpp"
#include "chainload/size_neural.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace chainload {

// Rule, Intensity and their names: progression.hpp. The enum of a name, or InvalidInput listing
// the names (with the nearest).
Rule parse_rule(const std::string& name);
Intensity parse_intensity(const std::string& name);

struct PrescriptionSpec {
  std::int32_t exercise = 0;
  std::int32_t sets = 1;
  std::int32_t reps_low = 1, reps_high = 1;
  Intensity intensity = Intensity::kg;
  double value = 0.0;  // kg added to the body share / %1RM / reps in reserve
  Rule rule = Rule::none;
  double increment = 0.0;  // kg
  bool per_week = false;
  std::int32_t deload_after = 0;  // failed sessions in a row before an automatic deload (0 = never)
  double deload_fraction = 0.1;   // load cut of an automatic deload
  double min_kg = 0.0;            // floor of the total load
  std::vector<double> wave;       // %1RM per week of the cycle (rule wave)
  double round_kg = -1.0;         // rounding step of the added load, set by the exercise's
                                  // equipment (kg); < 0: SimOptions::round_kg
};

struct ScheduleEntry {
  std::int32_t day;
  std::int32_t prescription;
};

struct ProgramSpec {
  std::vector<PrescriptionSpec> prescriptions;
  std::vector<ScheduleEntry> schedule;  // in day order
  std::int32_t n_days = 0;
  std::vector<std::uint8_t> deload_week;  // per week: planned deload
  double deload_sets = 0.5, deload_load = 0.9;
  void validate(std::size_t n_exercises) const;
};

struct AthleteSpec {
  Eigen::VectorXd one_rm;     // per catalogue exercise: starting 1RM, total moved load in kg (NaN = unknown)
  Eigen::VectorXd body_load;  // per catalogue exercise: kg of body mass moved (0 for external loads)
  ModelParams params;         // per muscle (banister, busso, saturating)
  SizeNeuralParams sn;        // the size_neural model
};

// One athlete's inputs read in place, no copy (an AthleteSpec's vectors, or one row of a
// PopulationView's arrays): what the batched loop loads into a lane. `sn` holds the scalar
// fields only; its per-muscle rows are size_start and size_response (null: all 1).
struct AthleteRef {
  const double* one_rm = nullptr;     // per catalogue exercise
  const double* body_load = nullptr;  // per catalogue exercise
  ModelParamRows params{};            // per muscle, model_param_fields' order
  SizeNeuralParams sn;
  const double* size_start = nullptr;
  const double* size_response = nullptr;
};

// A population's inputs as row-major arrays, one row per athlete, read in place (the numpy
// buffers of _core.simulate_population): nothing is copied or allocated per athlete.
struct PopulationView {
  std::size_t athletes = 0, exercises = 0, muscles = 0;
  const double* one_rm = nullptr;     // athletes x exercises
  const double* body_load = nullptr;  // athletes x exercises
  ModelParamRows params{};            // each athletes x muscles
  std::array<const double*, std::size(size_neural_fields)> sn{};  // each per athlete (null: unset)
  const double* size_start = nullptr;     // athletes x muscles (null: all 1)
  const double* size_response = nullptr;  // athletes x muscles (null: all 1)

  AthleteRef ref(std::size_t i) const;
  AthleteSpec athlete(std::size_t i) const;  // an owning copy (the scalar loop)
};

struct SimOptions {
  ModelKind model = ModelKind::banister;  // the Python default is chainload.simulation.DEFAULT_MODEL
  double round_kg = 2.5;        // rounding step of a prescription without its own (plates)
  double limit_weight = 0.5;    // muscles at or above this activation limit a lift
  double default_rir = 2.0;     // target reps in reserve of an autoregulated (rule rpe) prescription
  bool record = true;           // keep daily trajectories and the session log
  std::int32_t sample_days = 0; // > 0: keep capacity and fatigue at the end of every block of this
                                // many days, and the dose summed over it (sweep trajectories)
  std::vector<std::int32_t> tests;     // catalogue exercises whose 1RM is reported before and after
  std::vector<std::int32_t> pattern;   // per catalogue exercise: movement pattern id (empty = all distinct)
  std::vector<std::uint8_t> single_joint;  // per catalogue exercise: 1 = isolation (empty = none)
  std::vector<double> recovery_hours;  // size_neural: fatigue after day 0's session at these hours
};

struct SessionLog {  // one row per prescribed exercise occurrence
  std::vector<std::int32_t> day, prescription, sets;
  std::vector<double> target_reps, kg, achieved_reps, reps_in_reserve, one_rm;
  std::vector<std::uint8_t> failed, planned_deload, auto_deload;
};

struct SimResult {
  // Daily trajectories (days x muscles), present when options.record: performance(t) includes day t's load.
  RowMatrix fitness, fatigue, capacity, readiness, dose;
  RowMatrix one_rm;  // days x exercises used by the program: estimated 1RM at the start of each day
  SessionLog sessions;
  // Sampled trajectories (blocks x muscles), present when options.sample_days > 0.
  RowMatrix sampled_capacity, sampled_fatigue, sampled_dose;
  // Summaries, always present.
  Eigen::VectorXd final_capacity;  // per muscle, relative to the start
  Eigen::VectorXd final_one_rm;    // per exercise used
  Eigen::VectorXd total_dose;      // per muscle: sum of daily effort-weighted fractional sets
  Eigen::VectorXd pre_test_one_rm;   // per options.tests: 1RM on the morning of day 0 (kg)
  Eigen::VectorXd post_test_one_rm;  // per options.tests: 1RM on the morning after the last day (kg)
  Eigen::VectorXd pre_size, post_size;  // per muscle: size at day 0 and the morning after (old models: capacity)
  RowMatrix recovery_muscle;  // hours x muscles: force decrement (fraction) after day 0's session
  RowMatrix recovery_lift;    // hours x used exercises: 1RM decrement (fraction) after day 0's session
  double peak_fatigue = 0.0;       // largest fatigue term of any muscle on any day
  std::int32_t failures = 0;
  std::int32_t auto_deloads = 0;
};

// Exercises used by a program, in first-use order (the columns of SimResult::one_rm).
std::vector<std::int32_t> used_exercises(const ProgramSpec& program);

SimResult simulate(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
                   const SimOptions& options);

// Many athletes on one program, split across threads; summaries only unless options.record.
std::vector<SimResult> simulate_batch(const ActivationTable& activation, const ProgramSpec& program,
                                      const std::vector<AthleteSpec>& athletes, const SimOptions& options,
                                      unsigned threads);

// The summaries of many athletes on one program, one row per athlete: SimResult's summaries (and
// sampled trajectories) written in place by the batched loop, no per-athlete allocation; the
// bindings hand the matrices to numpy without a copy.
struct PopulationResult {
  RowMatrix final_capacity, total_dose, pre_size, post_size;  // athletes x muscles
  RowMatrix final_one_rm;                                     // athletes x exercises used
  RowMatrix pre_test_one_rm, post_test_one_rm;                // athletes x options.tests
  Eigen::VectorXd peak_fatigue, failures, auto_deloads;       // per athlete
  // options.sample_days > 0: capacity and fatigue at the evening of each block's last day and the
  // dose summed over the block, as float32 (half the memory of doubles, ample for these), laid
  // out muscle by muscle: (athlete i, block b, muscle m) at m * athletes * blocks + i * blocks + b,
  // so each muscle's column of an (athlete, block) table is contiguous (sweep's Parquet parts
  // take it without a copy).
  std::size_t blocks = 0;
  std::vector<float> sampled_capacity, sampled_fatigue, sampled_dose;

  PopulationResult(std::size_t athletes, std::size_t muscles, std::size_t used, std::size_t tests,
                   std::size_t blocks);
  std::size_t athletes() const { return static_cast<std::size_t>(peak_fatigue.size()); }
  std::size_t sampled_at(std::size_t i, std::size_t b, std::size_t m) const {
    return (m * athletes() + i) * blocks + b;
  }
  void put(std::size_t i, const SimResult& r);  // row i from one athlete's run
  SimResult athlete(std::size_t i) const;        // row i's summaries as a SimResult
};

// simulate_batch's summaries as a PopulationResult (options.record must be off), from the
// population's arrays; every athlete is checked before any work starts.
PopulationResult simulate_population(const ActivationTable& activation, const ProgramSpec& program,
                                     const PopulationView& population, const SimOptions& options, unsigned threads);
// The same from AthleteSpecs (copied into arrays once).
PopulationResult simulate_population(const ActivationTable& activation, const ProgramSpec& program,
                                     const std::vector<AthleteSpec>& athletes, const SimOptions& options,
                                     unsigned threads);

}  // namespace chainload
