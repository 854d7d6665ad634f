#include "chainload/simulator.hpp"

#include "chainload/errors.hpp"
#include "chainload/load_reps.hpp"
#include "chainload/progression.hpp"
#include "chainload/detail/lanes.hpp"
#include "chainload/detail/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace chainload {

namespace {
template <std::size_t N>
std::int32_t index_of(const std::string& name, const std::array<const char*, N>& names, const char* what) {
  for (std::size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<std::int32_t>(i);
  throw_unknown(what, name, std::vector<std::string>(names.begin(), names.end()));
}
}  // namespace

Rule parse_rule(const std::string& name) { return static_cast<Rule>(index_of(name, rule_names, "progression rule")); }
Intensity parse_intensity(const std::string& name) {
  return static_cast<Intensity>(index_of(name, intensity_names, "intensity"));
}

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
    if (!std::isfinite(p.value) || !std::isfinite(p.increment) || !std::isfinite(p.min_kg) || !std::isfinite(p.round_kg))
      throw InvalidInput(where + "intensity, increment, min_kg and round_kg must be finite");
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
// Each prescription as the rules read it (progression.hpp): its equipment's rounding step, or the
// options' for a prescription without its own. The wave points into `program`, which outlives it.
std::vector<progression::Prescription> rules_of(const ProgramSpec& program, const SimOptions& options) {
  std::vector<progression::Prescription> rules;
  for (const auto& p : program.prescriptions)
    rules.push_back({p.rule, p.intensity, p.per_week, p.sets, p.reps_low, p.reps_high, p.deload_after, p.value,
                     p.increment, p.deload_fraction, p.min_kg, p.round_kg >= 0.0 ? p.round_kg : options.round_kg,
                     p.wave.data(), p.wave.size()});
  return rules;
}

// A per-muscle row read in place, or null when it is empty (all 1).
const double* row_or_null(const Eigen::VectorXd& v) { return v.size() ? v.data() : nullptr; }

// An AthleteSpec read in place, after checking its vectors' lengths.
AthleteRef ref_of(const AthleteSpec& a, std::size_t n_exercises, std::size_t n_muscles) {
  if (static_cast<std::size_t>(a.one_rm.size()) != n_exercises || static_cast<std::size_t>(a.body_load.size()) != n_exercises)
    throw InvalidInput("athlete one_rm and body_load need one value per catalogue exercise");
  if (a.params.size() != n_muscles) throw InvalidInput("model parameters need one value per muscle");
  AthleteRef ref{a.one_rm.data(), a.body_load.data(), {}, {}, nullptr, nullptr};
  for (const auto& f : size_neural_fields) ref.sn.*(f.field) = a.sn.*(f.field);  // the scalars, no vector copy
  for (std::size_t f = 0; f < model_param_fields.size(); ++f) {
    const Eigen::VectorXd& v = a.params.*(model_param_fields[f].field);
    if (static_cast<std::size_t>(v.size()) != n_muscles)
      throw InvalidInput(std::string("model parameter ") + model_param_fields[f].name + " has " +
                         std::to_string(v.size()) + " values for " + std::to_string(n_muscles) + " muscles");
    ref.params[f] = v.data();
  }
  const std::pair<const char*, const Eigen::VectorXd*> rows[] = {{"size_start", &a.sn.size_start},
                                                                  {"size_response", &a.sn.size_response}};
  for (const auto& [name, v] : rows)
    if (v->size() != 0 && static_cast<std::size_t>(v->size()) != n_muscles)
      throw InvalidInput(std::string("size_neural parameter ") + name + " has " + std::to_string(v->size()) +
                         " values for " + std::to_string(n_muscles) + " muscles");
  ref.size_start = row_or_null(a.sn.size_start);
  ref.size_response = row_or_null(a.sn.size_response);
  return ref;
}

// One athlete's values but size_neural's: the 1RM and body load of every prescribed exercise, the
// test lifts' 1RM, the per-muscle parameters.
void check_shared_values(const AthleteRef& a, const ProgramSpec& program, const SimOptions& options,
                         std::size_t n_muscles) {
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
  for (const auto e : options.tests) {
    const double orm = a.one_rm[e];
    if (!(orm > 0.0) || !std::isfinite(orm))
      throw InvalidInput("the athlete has no 1RM for test exercise " + std::to_string(e));
  }
  validate_model_values(a.params, n_muscles);  // bad parameters are reported whichever model runs
}

// One athlete's values, with size_neural its own parameters too.
void check_values(const AthleteRef& a, const ProgramSpec& program, const SimOptions& options, std::size_t n_muscles) {
  check_shared_values(a, program, options, n_muscles);
  if (options.model == ModelKind::size_neural) {
    a.sn.validate_scalars();
    a.sn.validate_rows(a.size_start, a.size_response, n_muscles);
  }
}

// Whether check_shared_values would pass for athletes first .. last of a population: one
// branch-free pass over their rows, no message (the per-athlete check finds the first bad value).
bool shared_values_ok(const PopulationView& population, const ProgramSpec& program, const SimOptions& options,
                      std::size_t first, std::size_t last) {
  ModelParamRows rows;
  for (std::size_t f = 0; f < rows.size(); ++f) rows[f] = population.params[f] + first * population.muscles;
  unsigned ok = model_values_ok(rows, (last - first) * population.muscles);
  for (std::size_t i = first; i < last; ++i) {
    const double* orm = population.one_rm + i * population.exercises;
    const double* body = population.body_load + i * population.exercises;
    for (const auto& p : program.prescriptions)
      ok &= static_cast<unsigned>(orm[p.exercise] > 0.0) & static_cast<unsigned>(orm[p.exercise] - orm[p.exercise] == 0.0) &
            static_cast<unsigned>(body[p.exercise] >= 0.0) & static_cast<unsigned>(body[p.exercise] - body[p.exercise] == 0.0);
    for (const auto e : options.tests)
      ok &= static_cast<unsigned>(orm[e] > 0.0) & static_cast<unsigned>(orm[e] - orm[e] == 0.0);
  }
  return ok != 0;
}

// The lifts an engine reports: the program's used exercises first, then the test lifts.
std::vector<std::int32_t> lift_list(const std::vector<std::int32_t>& used, const std::vector<std::int32_t>& tests) {
  std::vector<std::int32_t> lifts = used;
  lifts.insert(lifts.end(), tests.begin(), tests.end());
  return lifts;
}

// The muscles that limit each lift: activation >= limit_weight (or the lift's top weight, if all
// are lower); lift l's are [offsets[l], offsets[l + 1]). Computed once; the day loops only take
// minima over them.
std::vector<std::uint32_t> limit_muscles(const ActivationTable& activation, const std::vector<std::int32_t>& lifts,
                                         double limit_weight, std::vector<std::size_t>& offsets) {
  std::vector<std::uint32_t> muscles;
  offsets.assign(1, 0);
  for (const auto e : lifts) {
    double top = 0.0;
    const auto ex = static_cast<std::size_t>(e);
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a) top = std::max(top, a->weight);
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a)
      if (a->weight >= std::min(limit_weight, top)) muscles.push_back(static_cast<std::uint32_t>(a->muscle));
    offsets.push_back(muscles.size());
  }
  return muscles;
}

// Banister, Busso, saturating: a per-muscle Model; the weakest heavily loaded muscle limits a lift.
class ModelEngine {
 public:
  ModelEngine(const ActivationTable& activation, const Model& model, const std::vector<std::int32_t>& lifts,
              double limit_weight)
      : activation_(activation), model_(model), n_(activation.n_muscles()) {
    const std::size_t n_state = model.state_per_muscle() * n_;
    state_.assign(n_state, 0.0);
    morning_.assign(n_state, 0.0);
    w_.assign(n_, 0.0);
    zero_.assign(n_, 0.0);
    capacity_.assign(n_, 1.0);
    fitness_.assign(n_, 0.0);
    fatigue_.assign(n_, 0.0);
    for (const auto m : limit_muscles(activation, lifts, limit_weight, limit_offsets_)) limit_muscles_.push_back(m);
  }
  const std::vector<double>& dose() const { return w_; }
  const std::vector<double>& capacity() const { return capacity_; }
  const std::vector<double>& fitness() const { return fitness_; }
  const std::vector<double>& fatigue() const { return fatigue_; }
  // Start of a day: yesterday's state, one day of decay, no load yet.
  void morning() {
    std::copy(state_.begin(), state_.end(), morning_.begin());
    model_.step(zero_.data(), morning_.data());
    model_.read(morning_.data(), capacity_.data(), fitness_.data(), fatigue_.data());
  }
  void evening() { model_.read(state_.data(), capacity_.data(), fitness_.data(), fatigue_.data()); }
  // Lift L's 1RM relative to its starting 1RM, in the state read last.
  double lift_factor(std::size_t lift) const {
    double c = std::numeric_limits<double>::infinity();
    for (std::size_t k = limit_offsets_[lift]; k < limit_offsets_[lift + 1]; ++k)
      c = std::min(c, capacity_[limit_muscles_[k]]);
    return std::max(std::isfinite(c) ? c : 1.0, 0.05);
  }
  void add(std::size_t exercise, std::size_t /*used*/, std::int32_t sets, double /*rir*/, double /*fraction*/,
           double effort, double /*reps*/) {
    for (const auto* a = activation_.begin(exercise); a != activation_.end(exercise); ++a)
      w_[static_cast<std::size_t>(a->muscle)] += sets * effort * a->weight;
  }
  void step() {
    model_.step(w_.data(), state_.data());
    std::fill(w_.begin(), w_.end(), 0.0);
  }
  void rested(double* out) const { model_.rested(state_.data(), out); }
  void size(double* out) const { std::copy(capacity_.begin(), capacity_.end(), out); }
  void recovery(const std::vector<double>&, const std::vector<double>&, SimResult&) const {
    throw InvalidInput("recovery hours need the size_neural model");
  }

 private:
  const ActivationTable& activation_;
  const Model& model_;
  std::size_t n_;
  std::vector<double> state_, morning_, w_, zero_, capacity_, fitness_, fatigue_;
  std::vector<std::size_t> limit_offsets_, limit_muscles_;
};

}  // namespace

// size_neural's per-muscle day loops, over contiguous arrays (vectorised; AVX2 clone where the
// CPU has it). A muscle no lift loads stays exactly at its start: 0 dose gives 0 growth.
namespace detail {
CHAINLOAD_VECTOR_CLONES
void morning_muscles(std::size_t n, double* __restrict dose, double* __restrict s, double* __restrict fast,
                     double* __restrict slow, const double* __restrict rate, const double* __restrict start,
                     double e_dose, double weekly, double half, double ceiling, double inv_tau, double e_fast,
                     double e_slow) {
  for (std::size_t m = 0; m < n; ++m) {
    const double d = dose[m] * e_dose;
    dose[m] = d;
    const double x = d * weekly;
    const double g = x / (x + half);  // kinetics::saturation without its branch: x >= 0, half > 0
    s[m] = kinetics::size_step(s[m], g, rate[m], ceiling, start[m], inv_tau);
    fast[m] *= e_fast;
    slow[m] *= e_slow;
  }
}

CHAINLOAD_VECTOR_CLONES
void session_muscles(std::size_t n, double* __restrict dose, double* __restrict fast, double* __restrict slow,
                     const double* __restrict ws, const double* __restrict xs,
                     double fast_max, double fast_sets, double slow_max, double slow_sets) {
  for (std::size_t m = 0; m < n; ++m) {
    dose[m] += ws[m];
    fast[m] = kinetics::saturate_add(fast[m], fast_max, ws[m], fast_sets);  // ws drives fast fatigue too
    slow[m] = kinetics::saturate_add(slow[m], slow_max, xs[m], slow_sets);
  }
}
}  // namespace detail

namespace {

// size_neural's per-day constants of one athlete (both closed loops use these).
struct SizeNeuralDaily {
  double e_dose, weekly, e_fast, e_slow, inv_tau_size, k_up, k_down, inv_neural_max;
  explicit SizeNeuralDaily(const SizeNeuralParams& p)
      : e_dose(std::exp(-1.0 / p.dose_tau)),
        weekly(7.0 * (1.0 - e_dose)),
        e_fast(std::exp(-24.0 / p.fast_tau_h)),
        e_slow(std::exp(-24.0 / p.slow_tau_h)),
        inv_tau_size(1.0 / p.size_tau_detrain),
        k_up(1.0 - std::exp(-1.0 / p.neural_tau_up)),
        k_down(1.0 - std::exp(-1.0 / p.neural_tau_down)),
        inv_neural_max(p.neural_max > 0.0 ? 1.0 / p.neural_max : 0.0) {}
};
// Muscle m's starting size, and size_rate x its response / (ceiling - 1), from the per-muscle
// rows (null: all 1).
double size_start(const double* start, std::size_t m) { return start ? start[m] : 1.0; }
double size_rate_per_room(const SizeNeuralParams& p, const double* response, std::size_t m) {
  return p.size_rate * (response ? response[m] : 1.0) / (p.size_ceiling - 1.0);
}
// Slow-fatigue input factor of a set of exercise e (a multi-joint set counts multi_joint).
double slow_factor(const SizeNeuralParams& p, const SimOptions& options, std::size_t e) {
  return e < options.single_joint.size() && options.single_joint[e] ? 1.0 : p.multi_joint;
}

// Activation vectors of every lift, normalised to sum 1 (the 1RM's weights); lift l's entries
// are [offsets[l], offsets[l + 1]).
std::vector<lanes::Entry> lift_entries(const ActivationTable& activation, const std::vector<std::int32_t>& lifts,
                                       std::vector<std::size_t>& offsets) {
  std::vector<lanes::Entry> entries;
  offsets.assign(1, 0);
  for (const auto e : lifts) {
    const auto ex = static_cast<std::size_t>(e);
    double total = 0.0;
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a) total += a->weight;
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a)
      entries.push_back({static_cast<std::uint32_t>(a->muscle), total > 0.0 ? a->weight / total : 0.0});
    offsets.push_back(entries.size());
  }
  return entries;
}

// Transfer of practising used lift u to lift l: 1 for the lift itself, else the cosine similarity
// of their activation vectors x (same pattern ? transfer_same : transfer_other). Every pair that
// can transfer (the lift itself, or cosine > 0), in (lift, used) order.
struct TransferPair {
  std::size_t lift, used;
  double cosine;
  bool self, same_pattern;
  double factor(const SizeNeuralParams& p) const {
    return self ? 1.0 : cosine * (same_pattern ? p.transfer_same : p.transfer_other);
  }
};
std::vector<TransferPair> transfer_pairs(const ActivationTable& activation, const std::vector<std::int32_t>& lifts,
                                         std::size_t n_used, const SimOptions& options) {
  auto pattern = [&](std::int32_t e) {
    const auto i = static_cast<std::size_t>(e);
    return i < options.pattern.size() ? options.pattern[i] : -1 - e;
  };
  // Dense activation rows of every lift and their norms, once.
  const std::size_t n = activation.n_muscles(), n_lifts = lifts.size();
  std::vector<double> dense(n_lifts * n, 0.0), norm(n_lifts, 0.0);
  for (std::size_t l = 0; l < n_lifts; ++l) {
    const auto ex = static_cast<std::size_t>(lifts[l]);
    for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a) {
      dense[l * n + static_cast<std::size_t>(a->muscle)] = a->weight;
      norm[l] += a->weight * a->weight;
    }
    norm[l] = std::sqrt(norm[l]);
  }
  std::vector<TransferPair> pairs;
  for (std::size_t l = 0; l < n_lifts; ++l)
    for (std::size_t u = 0; u < n_used; ++u) {
      if (lifts[l] == lifts[u]) {
        pairs.push_back({l, u, 1.0, true, true});
        continue;
      }
      double ab = 0.0;
      for (std::size_t m = 0; m < n; ++m) ab += dense[l * n + m] * dense[u * n + m];
      const double cosine = norm[l] > 0.0 && norm[u] > 0.0 ? ab / (norm[l] * norm[u]) : 0.0;
      if (cosine > 0.0) pairs.push_back({l, u, cosine, false, pattern(lifts[l]) == pattern(lifts[u])});
    }
  return pairs;
}

// size_neural (size_neural.hpp): state per muscle D (dose memory), s (size), fast and slow fatigue;
// per used lift Q (load-weighted set memory), n (neural gain) and P (set memory). A day is one step at its
// morning (decay of the last 24 h, growth from the memories), then the session's inputs at once:
// the state after a day is "hour 0 after that day's session".
class SizeNeuralEngine {
 public:
  SizeNeuralEngine(const ActivationTable& activation, const SizeNeuralParams& p, const std::vector<std::int32_t>& lifts,
                   std::size_t n_used, const SimOptions& options)
      : activation_(activation), p_(p), n_(activation.n_muscles()), nu_(n_used) {
    state_.assign(4 * n_ + 3 * nu_, 0.0);
    for (std::size_t m = 0; m < n_; ++m) {
      start_.push_back(size_start(row_or_null(p.size_start), m));
      rate_.push_back(size_rate_per_room(p, row_or_null(p.size_response), m));
      state_[n_ + m] = start_[m];
    }
    cur_ = state_.data();

    for (auto* v : {&w_, &ws_, &xs_, &capacity_, &fitness_, &fatigue_}) v->assign(n_, 0.0);
    q_.assign(nu_, 0.0);
    p_sets_.assign(nu_, 0.0);
    const SizeNeuralDaily daily(p);
    e_dose_ = daily.e_dose;
    weekly_ = daily.weekly;
    e_fast_ = daily.e_fast;
    e_slow_ = daily.e_slow;
    inv_tau_size_ = daily.inv_tau_size;
    k_up_ = daily.k_up;
    k_down_ = daily.k_down;
    inv_neural_max_ = daily.inv_neural_max;
    const std::size_t n_ex = activation.n_exercises();
    slow_factor_.resize(n_ex);
    for (std::size_t e = 0; e < n_ex; ++e) slow_factor_[e] = slow_factor(p, options, e);
    for (const auto& e : lift_entries(activation, lifts, offsets_)) entries_.push_back({e.index, e.weight});
    transfer_offsets_.push_back(0);
    std::size_t lift = 0;
    for (const auto& pair : transfer_pairs(activation, lifts, nu_, options)) {
      for (; lift < pair.lift; ++lift) transfer_offsets_.push_back(transfer_.size());
      const double t = pair.factor(p);
      if (t > 0.0) transfer_.push_back({pair.used, t});
    }
    for (; lift < lifts.size(); ++lift) transfer_offsets_.push_back(transfer_.size());
  }
  const std::vector<double>& dose() const { return w_; }
  const std::vector<double>& capacity() const { return capacity_; }
  const std::vector<double>& fitness() const { return fitness_; }
  const std::vector<double>& fatigue() const { return fatigue_; }
  // The lift 1RMs read the state itself: the per-muscle arrays are filled by evening() only.
  void morning() {
    if (!advanced_) advance();
    advanced_ = true;
    cur_ = state_.data();
  }
  void evening() { read(state_.data()); }
  double lift_factor(std::size_t lift) const { return lift_factor(lift, cur_); }
  void add(std::size_t exercise, std::size_t used, std::int32_t sets, double rir, double fraction, double effort,
           double reps) {
    const double se = kinetics::size_effort(rir, p_.size_rir_zero) * kinetics::rep_weight(reps, p_.size_full_reps);
    const double sp = kinetics::slow_proximity(rir, p_.slow_rir) * slow_factor_[exercise];
    for (const auto* a = activation_.begin(exercise); a != activation_.end(exercise); ++a) {
      const auto m = static_cast<std::size_t>(a->muscle);
      w_[m] += sets * effort * a->weight;
      ws_[m] += sets * se * a->weight;  // size-effort sets: the dose memory and fast fatigue
      xs_[m] += sets * sp * a->weight;
    }
    q_[used] += sets * kinetics::load_weight(fraction, p_.load_power, p_.load_full);
    p_sets_[used] += sets;
    has_input_ = true;
  }
  void step() {
    if (!advanced_) advance();
    advanced_ = false;
    if (!has_input_) return;  // a rest day: nothing to add, the input buffers are already 0
    apply_inputs();
    std::fill(w_.begin(), w_.end(), 0.0);
    std::fill(ws_.begin(), ws_.end(), 0.0);
    std::fill(xs_.begin(), xs_.end(), 0.0);
    std::fill(q_.begin(), q_.end(), 0.0);
    std::fill(p_sets_.begin(), p_sets_.end(), 0.0);
    has_input_ = false;
  }
  void rested(double* out) const {
    for (std::size_t m = 0; m < n_; ++m) out[m] = kinetics::size_capacity(cur_[n_ + m], p_.size_force);
  }
  void size(double* out) const {
    for (std::size_t m = 0; m < n_; ++m) out[m] = p_.size_scale * cur_[n_ + m];
  }
  // Fatigue `hours` after the session just stepped in (hour 0 = right after it), relative to
  // `pre` (each used lift's factor before the session, which fatigue then lowers).
  void recovery(const std::vector<double>& hours, const std::vector<double>& pre_fatigue, SimResult& out) const {
    const auto rows = static_cast<Eigen::Index>(hours.size());
    out.recovery_muscle.resize(rows, static_cast<Eigen::Index>(n_));
    out.recovery_lift.resize(rows, static_cast<Eigen::Index>(nu_));
    const double* fast = state_.data() + 2 * n_;
    const double* slow = state_.data() + 3 * n_;
    for (Eigen::Index h = 0; h < rows; ++h) {
      const double hr = hours[static_cast<std::size_t>(h)];
      for (std::size_t m = 0; m < n_; ++m)
        out.recovery_muscle(h, static_cast<Eigen::Index>(m)) =
            kinetics::decay_hours(fast[m], hr, p_.fast_tau_h) + kinetics::decay_hours(slow[m], hr, p_.slow_tau_h);
      for (std::size_t u = 0; u < nu_; ++u) {
        double f = 0.0;
        for (std::size_t k = offsets_[u]; k < offsets_[u + 1]; ++k)
          f += entries_[k].weight * out.recovery_muscle(h, static_cast<Eigen::Index>(entries_[k].muscle));
        f = std::min(f, kMaxFatigue);
        out.recovery_lift(h, static_cast<Eigen::Index>(u)) = 1.0 - (1.0 - f) / (1.0 - pre_fatigue[u]);
      }
    }
  }
  // Activation-weighted fatigue of used lift u in the state read last.
  double lift_fatigue(std::size_t u) const {
    double f = 0.0;
    for (std::size_t k = offsets_[u]; k < offsets_[u + 1]; ++k)
      f += entries_[k].weight * (cur_[2 * n_ + entries_[k].muscle] + cur_[3 * n_ + entries_[k].muscle]);
    return std::min(f, kMaxFatigue);
  }

 private:
  static constexpr double kMaxFatigue = 0.95;
  struct Entry {
    std::size_t muscle;
    double weight;
  };
  // The morning step: 24 h of decay, a day of growth from the memories (no new input).
  void advance() {
    double* dose = state_.data();
    double* memory = dose + 4 * n_;
    detail::morning_muscles(n_, dose, dose + n_, dose + 2 * n_, dose + 3 * n_, rate_.data(), start_.data(), e_dose_, weekly_,
                    p_.size_half, p_.size_ceiling, inv_tau_size_, e_fast_, e_slow_);
    for (std::size_t u = 0; u < nu_; ++u) {
      const double q = memory[u] * e_dose_;
      const double sets = memory[2 * nu_ + u] * e_dose_;
      memory[u] = q;
      memory[2 * nu_ + u] = sets;
      const double target = p_.neural_max * kinetics::neural_target(q * weekly_, sets * weekly_, p_.neural_half);
      memory[nu_ + u] = kinetics::neural_step(memory[nu_ + u], target, k_up_, k_down_);
    }
  }
  // The session's inputs, at once (hour 0 after it).
  void apply_inputs() {
    double* dose = state_.data();
    double* memory = dose + 4 * n_;
    detail::session_muscles(n_, dose, dose + 2 * n_, dose + 3 * n_, ws_.data(), xs_.data(), p_.fast_max,
                    p_.fast_sets, p_.slow_max, p_.slow_sets);
    for (std::size_t u = 0; u < nu_; ++u) {
      memory[u] += q_[u];
      memory[2 * nu_ + u] += p_sets_[u];
    }
  }
  void read(const double* st) {
    cur_ = st;
    for (std::size_t m = 0; m < n_; ++m) {
      const double f = st[2 * n_ + m] + st[3 * n_ + m];
      fitness_[m] = st[n_ + m] - 1.0;
      fatigue_[m] = f;
      capacity_[m] = kinetics::size_capacity(st[n_ + m], p_.size_force) * (1.0 - f);
    }
  }
  double lift_factor(std::size_t lift, const double* st) const {
    double size = 0.0, fat = 0.0;
    for (std::size_t k = offsets_[lift]; k < offsets_[lift + 1]; ++k) {
      const auto& e = entries_[k];
      size += e.weight * kinetics::size_capacity(st[n_ + e.muscle], p_.size_force);
      fat += e.weight * (st[2 * n_ + e.muscle] + st[3 * n_ + e.muscle]);
    }
    double room = 1.0;  // the neural headroom left: total neural gain = neural_max (1 - room)
    const double* neural_state = st + 4 * n_ + nu_;
    for (std::size_t k = transfer_offsets_[lift]; k < transfer_offsets_[lift + 1]; ++k)
      room = kinetics::neural_room(room, transfer_[k].weight * neural_state[transfer_[k].muscle], inv_neural_max_);
    const double neural = std::clamp(p_.neural_max * (1.0 - room), 0.0, p_.neural_max);
    return std::max(size * (1.0 + neural) * (1.0 - std::min(fat, kMaxFatigue)), 0.05);
  }

  const ActivationTable& activation_;
  const SizeNeuralParams& p_;
  std::size_t n_, nu_;
  std::vector<double> state_, start_, rate_;  // rate_: size_rate x response / (ceiling - 1)
  bool advanced_ = false;                      // today's morning step is done
  bool has_input_ = false;                     // today's session added inputs
  const double* cur_ = nullptr;
  std::vector<double> w_, ws_, xs_, q_, p_sets_, capacity_, fitness_, fatigue_, slow_factor_;
  std::vector<std::size_t> offsets_, transfer_offsets_;
  std::vector<Entry> entries_;
  std::vector<Entry> transfer_;  // per lift: (used lift, transfer factor > 0); `muscle` holds the used index
  double inv_neural_max_ = 0.0;
  double e_dose_, weekly_, e_fast_, e_slow_, inv_tau_size_, k_up_, k_down_;
};

template <class Engine>
SimResult run(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
              const SimOptions& options, Engine& engine, const std::vector<std::int32_t>& used) {
  const std::size_t n_muscles = activation.n_muscles();
  const auto days = static_cast<std::size_t>(program.n_days);
  const std::size_t n_tests = options.tests.size();
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

  // All working memory is allocated here (and in the engine), before the day loop.
  std::vector<double> rested(n_muscles);
  std::vector<double> exercise_capacity(used.size(), 1.0), pre_fatigue(used.size(), 0.0);
  std::vector<std::uint8_t> fresh(used.size(), 0);  // exercise_capacity[u] is today's
  const auto& capacity = engine.capacity();
  const auto& fatigue = engine.fatigue();
  const auto& fitness = engine.fitness();
  const auto& w = engine.dose();
  // Day 0, before any training: the test lifts' and the muscles' starting values.
  engine.morning();
  out.pre_test_one_rm.resize(static_cast<Eigen::Index>(n_tests));
  for (std::size_t k = 0; k < n_tests; ++k)
    out.pre_test_one_rm[static_cast<Eigen::Index>(k)] =
        athlete.one_rm[options.tests[k]] * engine.lift_factor(used.size() + k);
  out.pre_size.resize(static_cast<Eigen::Index>(n_muscles));
  engine.size(out.pre_size.data());
  for (std::size_t u = 0; u < used.size(); ++u) exercise_capacity[u] = engine.lift_factor(u);
  const std::vector<progression::Prescription> rules = rules_of(program, options);
  std::vector<progression::State<1>> ps(program.prescriptions.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto& p = program.prescriptions[i];
    // A %1RM load is a percentage of the day-0 1RM (an athlete's weak muscle lowers it).
    const double day0 = athlete.one_rm[p.exercise] * exercise_capacity[static_cast<std::size_t>(used_column[static_cast<std::size_t>(p.exercise)])];
    const double body = athlete.body_load[p.exercise];
    progression::start(rules[i], ps[i], &body, &day0);
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
      engine.morning();
      // Without trajectories, only the lifts trained today need their 1RM (read below).
      std::fill(fresh.begin(), fresh.end(), std::uint8_t{0});
      if (options.record)
        for (std::size_t u = 0; u < used.size(); ++u) {
          exercise_capacity[u] = engine.lift_factor(u);
          fresh[u] = 1;
          out.one_rm(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(u)) = athlete.one_rm[used[u]] * exercise_capacity[u];
        }
    }

    const auto week = static_cast<std::int32_t>(t / 7);
    const bool deload = program.deload_week[static_cast<std::size_t>(week)] != 0;
    const progression::Day day{week, deload, program.deload_sets, program.deload_load, options.default_rir};
    for (; next < program.schedule.size() && static_cast<std::size_t>(program.schedule[next].day) == t; ++next) {
      const auto pi = static_cast<std::size_t>(program.schedule[next].prescription);
      const PrescriptionSpec& p = program.prescriptions[pi];
      const double body = athlete.body_load[p.exercise];
      const auto u = static_cast<std::size_t>(used_column[static_cast<std::size_t>(p.exercise)]);
      if (!fresh[u]) {
        exercise_capacity[u] = engine.lift_factor(u);
        fresh[u] = 1;
      }
      const double one_rm_now = athlete.one_rm[p.exercise] * exercise_capacity[u];

      const double start_one_rm = athlete.one_rm[p.exercise];
      progression::Plans<1> plan;
      progression::plan(rules[pi], ps[pi], day, &start_one_rm, &one_rm_now, &body, plan);
      engine.add(static_cast<std::size_t>(p.exercise), u, plan.sets, plan.rir[0], plan.fraction[0], plan.effort[0],
                 plan.achieved[0]);
      progression::finish(rules[pi], ps[pi], plan, deload, &body);
      const bool failed = plan.failed[0] != 0.0, auto_deload = plan.auto_deload[0] != 0.0;
      out.failures += failed;
      out.auto_deloads += auto_deload;

      if (options.record) {
        auto& log = out.sessions;
        log.day.push_back(static_cast<std::int32_t>(t));
        log.prescription.push_back(static_cast<std::int32_t>(pi));
        log.sets.push_back(plan.sets);
        log.target_reps.push_back(static_cast<std::int32_t>(plan.target[0]));
        log.kg.push_back(plan.load[0]);
        log.achieved_reps.push_back(plan.achieved[0]);
        log.reps_in_reserve.push_back(plan.rir[0]);
        log.one_rm.push_back(one_rm_now);
        log.failed.push_back(failed);
        log.planned_deload.push_back(deload);
        log.auto_deload.push_back(auto_deload);
      }
    }

    // The dose is summed before the step (the step clears the day's inputs).
    const bool block_end = every > 0 && ((t + 1) % every == 0 || t + 1 == days);
    const bool summarise = training_day || options.record || t + 1 == days || block_end;
    if (summarise) {
      for (std::size_t m = 0; m < n_muscles; ++m) {
        out.total_dose[static_cast<Eigen::Index>(m)] += w[m];
        if (every > 0) out.sampled_dose(static_cast<Eigen::Index>(t / every), static_cast<Eigen::Index>(m)) += w[m];
      }
      if (options.record)
        for (std::size_t m = 0; m < n_muscles; ++m) out.dose(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(m)) = w[m];
    }
    engine.step();
    if (t == 0 && !options.recovery_hours.empty()) {
      for (std::size_t u = 0; u < used.size(); ++u) pre_fatigue[u] = 0.0;
      engine.recovery(options.recovery_hours, pre_fatigue, out);
    }
    // Fatigue only rises on a loaded day, so a rest day cannot set the peak: without trajectories
    // to record, rest days only advance the state.
    if (summarise) {
      engine.evening();
      double peak = out.peak_fatigue;
      for (std::size_t m = 0; m < n_muscles; ++m) peak = std::max(peak, fatigue[m]);
      out.peak_fatigue = peak;
      if (block_end) {
        const auto b = static_cast<Eigen::Index>(t / every);
        for (std::size_t m = 0; m < n_muscles; ++m) {
          const auto c = static_cast<Eigen::Index>(m);
          out.sampled_capacity(b, c) = capacity[m];
          out.sampled_fatigue(b, c) = fatigue[m];
        }
      }
    }
    if (options.record) {
      engine.rested(rested.data());
      const auto r = static_cast<Eigen::Index>(t);
      for (std::size_t m = 0; m < n_muscles; ++m) {
        const auto c = static_cast<Eigen::Index>(m);
        out.fitness(r, c) = fitness[m];
        out.fatigue(r, c) = fatigue[m];
        out.capacity(r, c) = capacity[m];
        out.readiness(r, c) = 100.0 * std::clamp(capacity[m] / rested[m], 0.0, 1.0);
      }
    }
  }
  out.final_capacity = Eigen::Map<const Eigen::VectorXd>(capacity.data(), static_cast<Eigen::Index>(n_muscles));
  out.final_one_rm.resize(static_cast<Eigen::Index>(used.size()));
  for (std::size_t u = 0; u < used.size(); ++u)
    out.final_one_rm[static_cast<Eigen::Index>(u)] = athlete.one_rm[used[u]] * engine.lift_factor(u);
  // The morning after the last day: the post-tests and sizes.
  engine.morning();
  out.post_test_one_rm.resize(static_cast<Eigen::Index>(n_tests));
  for (std::size_t k = 0; k < n_tests; ++k)
    out.post_test_one_rm[static_cast<Eigen::Index>(k)] =
        athlete.one_rm[options.tests[k]] * engine.lift_factor(used.size() + k);
  out.post_size.resize(static_cast<Eigen::Index>(n_muscles));
  engine.size(out.post_size.data());
  return out;
}

SimResult run_one(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
                  const SimOptions& options, const Model* model) {
  const std::vector<std::int32_t> used = used_exercises(program);
  const std::vector<std::int32_t> lifts = lift_list(used, options.tests);
  if (options.model == ModelKind::size_neural) {
    SizeNeuralEngine engine(activation, athlete.sn, lifts, used.size(), options);
    return run(activation, program, athlete, options, engine, used);
  }
  ModelEngine engine(activation, *model, lifts, options.limit_weight);
  return run(activation, program, athlete, options, engine, used);
}

// ---- The athlete-batched closed loop (docs/DESIGN.md "Batched closed loop") ----
// Without trajectories, simulate_batch runs kLanes athletes at once: their states side by side
// (struct of arrays, element [row * kLanes + lane]), the model fixed at compile time (one class
// per model below, no virtual call), the per-muscle work in the kernels of the CPU's instruction
// set (batch_kernels.cpp), the sessions through the same kernels (progression::plan and finish
// across the lanes; the scalar loop runs them with one lane). Each lane does the scalar loop's
// operations in its order, so the results are the same bit for bit.
using lanes::kLanes;

// The block's row of each muscle: the muscles the program's exercises activate first (rows
// 0 .. n_loaded), in muscle order, then the others (lanes.hpp: the day kernels skip those).
struct MuscleRows {
  std::vector<std::uint32_t> row;
  std::size_t n_loaded = 0;
  MuscleRows(const ActivationTable& activation, const std::vector<std::int32_t>& used) {
    std::vector<std::uint8_t> loaded(activation.n_muscles(), 0);
    for (const auto e : used)
      for (const auto* a = activation.begin(static_cast<std::size_t>(e)); a != activation.end(static_cast<std::size_t>(e)); ++a)
        loaded[static_cast<std::size_t>(a->muscle)] = 1;
    row.resize(loaded.size());
    std::uint32_t next = 0;
    for (const int pass : {1, 0})
      for (std::size_t m = 0; m < loaded.size(); ++m)
        if (loaded[m] == pass) row[m] = next++;
    n_loaded = static_cast<std::size_t>(std::count(loaded.begin(), loaded.end(), 1));
  }
  void remap(std::vector<lanes::Entry>& entries) const {
    for (auto& e : entries) e.index = row[e.index];
  }
};

// A catalogue activation table as lanes::Entry lists (muscles as block rows), per exercise.
struct ExerciseEntries {
  std::vector<std::size_t> offsets{0};
  std::vector<lanes::Entry> entries;
  ExerciseEntries(const ActivationTable& activation, const MuscleRows& rows) {
    for (std::size_t e = 0; e < activation.n_exercises(); ++e) {
      for (const auto* a = activation.begin(e); a != activation.end(e); ++a)
        entries.push_back({rows.row[static_cast<std::size_t>(a->muscle)], a->weight});
      offsets.push_back(entries.size());
    }
  }
  const lanes::Entry* begin(std::size_t e) const { return entries.data() + offsets[e]; }
  const lanes::Entry* end(std::size_t e) const { return entries.data() + offsets[e + 1]; }
};

// Per training day of a program (in schedule order), each loaded muscle row's dose contributions
// (lanes::DayDose): the day's sessions that load it (index within the day, in schedule order, which
// is run_block's order of add calls) and their activations of it. Built once per engine.
class DayTable {
 public:
  DayTable(const ProgramSpec& program, const ExerciseEntries& exercises, std::size_t n_loaded) : n_loaded_(n_loaded) {
    std::vector<std::vector<lanes::Entry>> per_row(n_loaded);
    const auto& schedule = program.schedule;
    for (std::size_t i = 0; i < schedule.size();) {
      std::size_t k = 0;  // the day's sessions
      for (; i < schedule.size() && (k == 0 || schedule[i].day == schedule[i - 1].day); ++i, ++k) {
        const auto e = static_cast<std::size_t>(
            program.prescriptions[static_cast<std::size_t>(schedule[i].prescription)].exercise);
        for (const auto* a = exercises.begin(e); a != exercises.end(e); ++a)
          per_row[a->index].push_back({static_cast<std::uint32_t>(k), a->weight});
      }
      most_ = std::max(most_, k);
      for (auto& r : per_row) {
        row_begin_.push_back(static_cast<std::uint32_t>(contributions_.size()));
        contributions_.insert(contributions_.end(), r.begin(), r.end());
        r.clear();
      }
      row_begin_.push_back(static_cast<std::uint32_t>(contributions_.size()));
    }
  }
  std::size_t most_sessions() const { return most_; }  // on one day
  lanes::DayDose day(std::size_t d, const double* inputs) const {
    return {row_begin_.data() + d * (n_loaded_ + 1), contributions_.data(), inputs};
  }

 private:
  std::size_t n_loaded_, most_ = 0;
  std::vector<std::uint32_t> row_begin_;     // training days x (n_loaded + 1)
  std::vector<lanes::Entry> contributions_;  // (session of the day, activation)
};

// Banister (ModelEngine with the Banister model) over one block of athletes.
class BanisterLanes {
 public:
  BanisterLanes(const ActivationTable& activation, const std::vector<std::int32_t>& lifts, std::size_t n_used,
                const SimOptions& options, const lanes::Kernels& kernels, const ProgramSpec& program)
      : k_(kernels),
        n_(activation.n_muscles()),
        rows_(activation, std::vector<std::int32_t>(lifts.begin(), lifts.begin() + static_cast<std::ptrdiff_t>(n_used))),
        exercises_(activation, rows_),
        days_(program, exercises_, rows_.n_loaded) {
    limit_ = limit_muscles(activation, lifts, options.limit_weight, limit_offsets_);
    for (auto& m : limit_) m = rows_.row[m];
    for (auto* v : {&fit_, &fat_, &k1_, &k2_, &e1_, &e2_}) v->assign(n_ * kLanes, 0.0);
    se_.assign(days_.most_sessions() * kLanes, 0.0);
    b_ = {n_, rows_.n_loaded, fit_.data(), fat_.data(), k1_.data(), k2_.data(), e1_.data(), e2_.data()};
  }
  const MuscleRows& rows() const { return rows_; }
  void load(const AthleteRef* a) {
    for (std::size_t l = 0; l < kLanes; ++l) {
      const ModelParamRows& p = a[l].params;  // model_param_fields' order: k1, k2, tau1, tau2, ...
      for (std::size_t m = 0; m < n_; ++m) {
        const auto i = rows_.row[m] * kLanes + l;
        k1_[i] = p[0][m];
        k2_[i] = p[1][m];
        e1_[i] = kinetics::day_decay(p[2][m]);
        e2_[i] = kinetics::day_decay(p[3][m]);
      }
    }
    for (auto* v : {&fit_, &fat_}) std::fill(v->begin(), v->end(), 0.0);
    session_ = 0;
    day_ = 0;
    morning_ = true;
    products_ = false;
  }
  void start() { morning_ = true; }
  // `trains`: a training day follows, so the traces are left as its morning products.
  void skip(std::size_t days, bool trains) {
    k_.banister_rest(b_, days, trains);
    morning_ = false;
    products_ = trains;
  }
  void begin_day() {
    if (!products_) k_.banister_rest(b_, 0, true);
    morning_ = products_ = true;
  }
  void lift_factor(std::size_t lift, double* out) const {
    k_.banister_lift(b_, limit_.data() + limit_offsets_[lift], limit_offsets_[lift + 1] - limit_offsets_[lift],
                     reads_ahead(), out);
  }
  // A session's dose is kept as its sets x effort; end_day sums the day's per muscle (DayTable).
  void add(std::size_t /*exercise*/, std::size_t /*used*/, const progression::Plans<kLanes>& plans) {
    double* se = se_.data() + session_++ * kLanes;
    const double sets = plans.sets;
    for (std::size_t l = 0; l < kLanes; ++l) se[l] = sets * plans.effort[l];
  }
  // dose_sum (n x lanes, or null): the day's dose added to it (sampled trajectories). `trains`: a
  // training day follows `rest_days` rest days, nothing read in between; returns the rest days stepped.
  std::size_t end_day(double* total_dose, double* peak, bool trains, std::size_t rest_days, double* dose_sum) {
    k_.banister_end_day(b_, days_.day(day_++, se_.data()), total_dose, peak, trains, rest_days, dose_sum);
    session_ = 0;
    morning_ = false;
    products_ = trains;
    return trains ? rest_days : 0;
  }
  // The evening read-outs (peak, fatigue, capacity in the evening) come only while the traces
  // hold the evening state: run_block asks for products only when the next event is a training day.
  void peak(double* peak) const { k_.banister_peak(b_, peak); }
  void capacity(double* out) const { k_.banister_capacity(b_, reads_ahead(), out); }
  // ModelEngine's fatigue term (k2 fatigue) and today's dose added into acc, n x lanes.
  void fatigue(double* out) const {
    for (std::size_t i = 0; i < n_ * kLanes; ++i) out[i] = k2_[i] * fat_[i];
  }
  void post() { morning_ = true; }
  void size(double* out) const { capacity(out); }  // the old models report capacity as size

 private:
  const lanes::Kernels& k_;
  std::size_t n_;
  MuscleRows rows_;
  ExerciseEntries exercises_;
  std::vector<std::size_t> limit_offsets_;
  std::vector<std::uint32_t> limit_;
  std::vector<double> fit_, fat_, k1_, k2_, e1_, e2_;
  DayTable days_;
  std::vector<double> se_;             // today's sessions' sets x effort, sessions x lanes
  std::size_t session_ = 0, day_ = 0;  // today's sessions so far; training days so far
  lanes::Banister b_;
  bool morning_ = true;    // lift factors read the state a day of rest later (ModelEngine::morning)
  bool products_ = false;  // the traces hold this morning's products (lanes::Banister), read as they are
  bool reads_ahead() const { return morning_ && !products_; }
};

// size_neural (SizeNeuralEngine) over one block of athletes.
class SizeNeuralLanes {
 public:
  SizeNeuralLanes(const ActivationTable& activation, const std::vector<std::int32_t>& lifts, std::size_t n_used,
                  const SimOptions& options, const lanes::Kernels& kernels, const ProgramSpec& program)
      : k_(kernels),
        options_(options),
        n_(activation.n_muscles()),
        nu_(n_used),
        rows_(activation, std::vector<std::int32_t>(lifts.begin(), lifts.begin() + static_cast<std::ptrdiff_t>(n_used))),
        exercises_(activation, rows_),
        days_(program, exercises_, rows_.n_loaded) {
    std::vector<std::size_t> offsets;
    entries_ = lift_entries(activation, lifts, offsets);
    rows_.remap(entries_);
    pairs_ = transfer_pairs(activation, lifts, nu_, options);
    for (const auto& pair : pairs_) used_.push_back(static_cast<std::uint32_t>(pair.used));
    transfer_.assign(pairs_.size() * kLanes, 0.0);
    for (std::size_t l = 0, k = 0; l < lifts.size(); ++l) {
      const std::size_t first = k;
      while (k < pairs_.size() && pairs_[k].lift == l) ++k;
      lifts_.push_back({entries_.data() + offsets[l], entries_.data() + offsets[l + 1], used_.data() + first,
                        transfer_.data() + first * kLanes, k - first});
    }
    for (auto* v : {&dose_, &size_, &fast_, &slow_, &start_, &rate_}) v->assign(n_ * kLanes, 0.0);
    for (auto* v : {&q_, &neural_, &sets_, &q_in_, &sets_in_}) v->assign(nu_ * kLanes, 0.0);
    inputs_.assign(days_.most_sessions() * 3 * kLanes, 0.0);
    slow_factor_.assign(activation.n_exercises() * kLanes, 0.0);
    b_.n = n_;
    b_.n_loaded = rows_.n_loaded;
    b_.nu = nu_;
    b_.dose = dose_.data(), b_.size = size_.data(), b_.fast = fast_.data(), b_.slow = slow_.data();
    b_.q = q_.data(), b_.neural = neural_.data(), b_.sets = sets_.data();
    b_.q_in = q_in_.data(), b_.sets_in = sets_in_.data();
    b_.start = start_.data(), b_.rate = rate_.data();
  }
  void load(const AthleteRef* a) {
    for (std::size_t l = 0; l < kLanes; ++l) {
      const SizeNeuralParams& p = a[l].sn;
      size_scale_[l] = p.size_scale;
      const SizeNeuralDaily daily(p);
      b_.e_dose[l] = daily.e_dose, b_.weekly[l] = daily.weekly, b_.half[l] = p.size_half;
      b_.ceiling[l] = p.size_ceiling, b_.inv_tau[l] = daily.inv_tau_size;
      b_.e_fast[l] = daily.e_fast, b_.e_slow[l] = daily.e_slow;
      b_.fast_max[l] = p.fast_max, b_.fast_sets[l] = p.fast_sets, b_.slow_max[l] = p.slow_max;
      b_.slow_sets[l] = p.slow_sets, b_.beta[l] = p.size_force;
      b_.neural_max[l] = p.neural_max, b_.inv_neural_max[l] = daily.inv_neural_max, b_.neural_half[l] = p.neural_half;
      b_.k_up[l] = daily.k_up, b_.k_down[l] = daily.k_down;
      b_.rir_zero[l] = p.size_rir_zero, b_.full_reps[l] = p.size_full_reps, b_.slow_rir[l] = p.slow_rir;
      b_.load_full[l] = p.load_full, b_.load_power[l] = p.load_power;
      const int quarters = kinetics::whole_quarters(p.load_power);
      b_.quarters = l == 0 || quarters == b_.quarters ? quarters : -1;  // shared by every lane, or -1
      for (std::size_t m = 0; m < n_; ++m) {
        const std::size_t i = rows_.row[m] * kLanes + l;
        start_[i] = size_start(a[l].size_start, m);
        rate_[i] = size_rate_per_room(p, a[l].size_response, m);
        size_[i] = start_[i];
      }
      for (std::size_t k = 0; k < pairs_.size(); ++k) transfer_[k * kLanes + l] = pairs_[k].factor(p);
      for (std::size_t e = 0; e * kLanes < slow_factor_.size(); ++e) slow_factor_[e * kLanes + l] = slow_factor(p, options_, e);
    }
    for (auto* v : {&dose_, &fast_, &slow_, &q_, &neural_, &sets_, &q_in_, &sets_in_})
      std::fill(v->begin(), v->end(), 0.0);
    session_ = day_ = 0;
    advanced_ = false;
  }
  void start() {
    k_.sn_advance(b_, 1);
    advanced_ = true;
  }
  void skip(std::size_t days, bool /*trains*/) {  // the first day's morning step may be done already
    k_.sn_advance(b_, advanced_ ? days - 1 : days);
    advanced_ = false;
  }
  void begin_day() {
    if (!advanced_) k_.sn_advance(b_, 1);
    advanced_ = true;
  }
  void lift_factor(std::size_t lift, double* out) const { k_.sn_lift(b_, lifts_[lift], out); }
  // A session's three per-set inputs are kept per lane; end_day sums the day's per muscle (DayTable).
  void add(std::size_t exercise, std::size_t used, const progression::Plans<kLanes>& plans) {
    k_.sn_add(b_, used, plans, slow_factor_.data() + exercise * kLanes, inputs_.data() + session_++ * 3 * kLanes);
  }
  // dose_sum (n x lanes, or null): the day's dose added to it (sampled trajectories).
  std::size_t end_day(double* total_dose, double* peak, bool /*trains*/, std::size_t /*rest_days*/, double* dose_sum) {
    k_.sn_end_day(b_, days_.day(day_++, inputs_.data()), total_dose, peak, dose_sum);
    session_ = 0;
    advanced_ = false;
    return 0;  // its rest days are stepped by skip
  }
  void peak(double* peak) const { k_.sn_peak(b_, peak); }
  void capacity(double* out) const { k_.sn_capacity(b_, out); }
  // SizeNeuralEngine's fatigue (fast + slow), n x lanes.
  void fatigue(double* out) const {
    for (std::size_t i = 0; i < n_ * kLanes; ++i) out[i] = fast_[i] + slow_[i];
  }
  void post() { begin_day(); }
  const MuscleRows& rows() const { return rows_; }
  void size(double* out) const {
    for (std::size_t m = 0; m < n_; ++m)
      for (std::size_t l = 0; l < kLanes; ++l) out[m * kLanes + l] = size_scale_[l] * size_[m * kLanes + l];
  }

 private:
  const lanes::Kernels& k_;
  const SimOptions& options_;
  std::size_t n_, nu_;
  MuscleRows rows_;
  ExerciseEntries exercises_;
  std::vector<lanes::Entry> entries_;
  std::vector<TransferPair> pairs_;
  std::vector<std::uint32_t> used_;
  std::vector<double> transfer_;  // pairs x lanes
  std::vector<lanes::SizeNeuralLift> lifts_;
  std::vector<double> dose_, size_, fast_, slow_, start_, rate_, q_, neural_, sets_, q_in_, sets_in_;
  DayTable days_;
  std::vector<double> inputs_;         // today's sessions' inputs, sessions x 3 x lanes (sn_add)
  std::size_t session_ = 0, day_ = 0;  // today's sessions so far; training days so far
  std::vector<double> slow_factor_;  // exercises x lanes
  double size_scale_[kLanes] = {};
  lanes::SizeNeural b_;
  bool advanced_ = false;  // today's morning step is done
};

// One block: athletes a[0 .. kLanes) (the last ones may repeat to fill the block), results for
// the first `count` into rows first .. first + count of `out`. The order of events is run()'s
// without trajectories.
template <class Lanes>
void run_block(Lanes& engine, const lanes::Kernels& k, const ProgramSpec& program,
               const std::vector<progression::Prescription>& rules, const AthleteRef* a, std::size_t count,
               PopulationResult& out, std::size_t first, const SimOptions& options,
               const std::vector<std::int32_t>& used, const std::vector<std::int32_t>& used_column,
               std::size_t n_muscles) {
  constexpr std::size_t L = kLanes;
  const std::size_t nu = used.size(), n_tests = options.tests.size(), n_p = program.prescriptions.size();
  const auto days = static_cast<std::size_t>(program.n_days);
  // All working memory of the block, before its day loop.
  std::vector<double> total(n_muscles * L, 0.0), rows(n_muscles * L), capacity(nu * L, 1.0);
  std::vector<std::uint8_t> fresh(nu, 0);
  std::vector<progression::State<L>> ps(n_p);
  double peak[L] = {}, factor[L], failures[L] = {}, auto_deloads[L] = {};
  progression::Plans<L> plans;
  // Each prescription's starting 1RM and body load, lane by lane (no pointer chase per session).
  std::vector<double> start_one_rm(n_p * L), body(n_p * L);
  for (std::size_t i = 0; i < n_p; ++i)
    for (std::size_t l = 0; l < L; ++l) {
      start_one_rm[i * L + l] = a[l].one_rm[program.prescriptions[i].exercise];
      body[i * L + l] = a[l].body_load[program.prescriptions[i].exercise];
    }
  auto at = [first](std::size_t l) { return static_cast<Eigen::Index>(first + l); };  // lane l's row of out
  auto per_muscle = [&](RowMatrix PopulationResult::*field) {
    for (std::size_t l = 0; l < count; ++l)
      for (std::size_t m = 0; m < n_muscles; ++m)
        (out.*field)(at(l), static_cast<Eigen::Index>(m)) = rows[engine.rows().row[m] * L + l];
  };
  // Sampled trajectories (options.sample_days): the evening state at the last day of each block
  // of `every` days, and the dose summed over the block, as the scalar loop keeps them.
  const auto every = static_cast<std::size_t>(std::max(options.sample_days, 0));
  const std::size_t n_blocks = every > 0 ? (days + every - 1) / every : 0;
  std::vector<double> block_dose(every > 0 ? n_muscles * L : 0, 0.0);
  std::size_t block = 0, block_end = every > 0 ? std::min(every, days) - 1 : days;  // its last day (days: none)
  auto sample = [&]() {
    auto put = [&](std::vector<float>& to, const double* from) {
      for (std::size_t l = 0; l < count; ++l)
        for (std::size_t m = 0; m < n_muscles; ++m)
          to[out.sampled_at(first + l, block, m)] = static_cast<float>(from[engine.rows().row[m] * L + l]);
    };
    engine.capacity(rows.data());
    put(out.sampled_capacity, rows.data());
    engine.fatigue(rows.data());
    put(out.sampled_fatigue, rows.data());
    put(out.sampled_dose, block_dose.data());
    std::fill(block_dose.begin(), block_dose.end(), 0.0);
    ++block;
    block_end = block < n_blocks ? std::min((block + 1) * every, days) - 1 : days;  // days: none left
  };
  auto tests = [&](RowMatrix PopulationResult::*field) {
    for (std::size_t k = 0; k < n_tests; ++k) {
      engine.lift_factor(nu + k, factor);
      for (std::size_t l = 0; l < count; ++l)
        (out.*field)(at(l), static_cast<Eigen::Index>(k)) = a[l].one_rm[options.tests[k]] * factor[l];
    }
  };

  engine.load(a);
  // Day 0, before any training: the test lifts' and the muscles' starting values.
  engine.start();
  tests(&PopulationResult::pre_test_one_rm);
  engine.size(rows.data());
  per_muscle(&PopulationResult::pre_size);
  for (std::size_t u = 0; u < nu; ++u) engine.lift_factor(u, capacity.data() + u * L);
  for (std::size_t i = 0; i < n_p; ++i) {
    const auto& p = program.prescriptions[i];
    const auto u = static_cast<std::size_t>(used_column[static_cast<std::size_t>(p.exercise)]);
    double day0[L];
    for (std::size_t l = 0; l < L; ++l) day0[l] = start_one_rm[i * L + l] * capacity[u * L + l];
    progression::start(rules[i], ps[i], body.data() + i * L, day0);
  }

  std::size_t done = 0;  // days stepped
  // Rest days done .. until - 1: the state only advances, sampled at the blocks' last days;
  // `trains`: day `until` is a training day (engines may prepare its morning).
  auto rest_until = [&](std::size_t until, bool trains) {
    for (; every > 0 && block_end < until; sample()) {
      engine.skip(block_end + 1 - done, false);
      done = block_end + 1;
    }
    if (until > done) engine.skip(until - done, trains);
    done = std::max(done, until);
  };
  const auto& schedule = program.schedule;
  for (std::size_t next = 0; next < schedule.size();) {
    const auto t = static_cast<std::size_t>(schedule[next].day);
    rest_until(t, true);
    engine.begin_day();
    std::fill(fresh.begin(), fresh.end(), std::uint8_t{0});
    const auto week = static_cast<std::int32_t>(t / 7);
    const bool deload = program.deload_week[static_cast<std::size_t>(week)] != 0;
    const progression::Day day{week, deload, program.deload_sets, program.deload_load, options.default_rir};
    for (; next < schedule.size() && static_cast<std::size_t>(schedule[next].day) == t; ++next) {
      const auto pi = static_cast<std::size_t>(schedule[next].prescription);
      const PrescriptionSpec& p = program.prescriptions[pi];
      const auto u = static_cast<std::size_t>(used_column[static_cast<std::size_t>(p.exercise)]);
      if (!fresh[u]) {  // only the lifts trained today
        engine.lift_factor(u, capacity.data() + u * L);
        fresh[u] = 1;
      }
      // finish writes only the plans' auto_deload, which no engine's add reads: add after it.
      k.session(rules[pi], ps[pi], day, start_one_rm.data() + pi * L, capacity.data() + u * L,
                body.data() + pi * L, plans, failures, auto_deloads);
      engine.add(static_cast<std::size_t>(p.exercise), u, plans);
    }
    // The next training day, when nothing is sampled before it: the engine may step the rest days
    // up to its morning with the day's end (one pass over the state).
    const bool sampled = every > 0 && t == block_end;
    const std::size_t next_day = next < schedule.size() ? static_cast<std::size_t>(schedule[next].day) : days;
    const bool trains = next < schedule.size() && !sampled && next_day <= block_end;
    done = t + 1 + engine.end_day(total.data(), peak, trains, next_day - t - 1, every > 0 ? block_dose.data() : nullptr);
    if (sampled) sample();
  }
  if (done < days) {  // rest days to the end; the last day's fatigue counts for the peak
    rest_until(days, false);
    engine.peak(peak);
  }

  engine.capacity(rows.data());
  per_muscle(&PopulationResult::final_capacity);
  for (std::size_t u = 0; u < nu; ++u) {
    engine.lift_factor(u, factor);
    for (std::size_t l = 0; l < count; ++l)
      out.final_one_rm(at(l), static_cast<Eigen::Index>(u)) = a[l].one_rm[used[u]] * factor[l];
  }
  // The morning after the last day: the post-tests and sizes.
  engine.post();
  tests(&PopulationResult::post_test_one_rm);
  engine.size(rows.data());
  per_muscle(&PopulationResult::post_size);
  rows = total;
  per_muscle(&PopulationResult::total_dose);
  for (std::size_t l = 0; l < count; ++l) {
    out.peak_fatigue[at(l)] = peak[l];
    out.failures[at(l)] = failures[l];
    out.auto_deloads[at(l)] = auto_deloads[l];
  }
}

// Blocks handed to a thread at a time (engine choice: 128 athletes, about a millisecond of work a
// year, so that on a shared machine a slowed thread takes fewer of them; an engine per chunk costs little).
constexpr std::size_t kBlocksPerChunk = 4;

template <class Lanes>
void run_batched(const ActivationTable& activation, const ProgramSpec& program, const PopulationView& athletes,
                 const SimOptions& options, unsigned threads, const lanes::Kernels& kernels, PopulationResult& results) {
  const std::vector<std::int32_t> used = used_exercises(program);
  const std::vector<std::int32_t> lifts = lift_list(used, options.tests);
  std::vector<std::int32_t> used_column(activation.n_exercises(), -1);
  for (std::size_t u = 0; u < used.size(); ++u) used_column[static_cast<std::size_t>(used[u])] = static_cast<std::int32_t>(u);
  const std::vector<progression::Prescription> rules = rules_of(program, options);
  const std::size_t n = athletes.athletes, blocks = (n + kLanes - 1) / kLanes;
  parallel_for(blocks, threads, [&](std::size_t first, std::size_t last) {
    Lanes engine(activation, lifts, used.size(), options, kernels, program);
    for (std::size_t b = first; b < last; ++b) {
      check_cancelled();  // between blocks: Ctrl-C stops a batch within one block's run
      const std::size_t begin = b * kLanes, count = std::min(kLanes, n - begin);
      AthleteRef a[kLanes];
      for (std::size_t l = 0; l < kLanes; ++l) a[l] = athletes.ref(begin + std::min(l, count - 1));
      run_block(engine, kernels, program, rules, a, count, results, begin, options, used, used_column,
                activation.n_muscles());
    }
  }, kBlocksPerChunk);
}

// The kernels to run (null: the scalar loop), by the CPU or by CHAINLOAD_ISA (scalar, baseline,
// avx2, avx512: for tests and benchmarks; read on every call).
const lanes::Kernels* choose_kernels() {
  const char* env = std::getenv("CHAINLOAD_ISA");
  const std::string want = env ? env : "";
  if (want == "scalar") return nullptr;
  struct Choice {
    const char* name;
    const lanes::Kernels* kernels;
    bool supported;
  };
  const Choice choices[] = {
#if CHAINLOAD_ISA_DISPATCH
      {"avx512", &lanes::avx512::kernels,
       __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("fma") != 0},
      {"avx2", &lanes::avx2::kernels, __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0},
#endif
      {"baseline", &lanes::baseline::kernels, true}};
  if (want.empty() || want == "auto") {
    for (const auto& c : choices)
      if (c.supported) return c.kernels;
  }
  for (const auto& c : choices)
    if (want == c.name) {
      if (!c.supported) throw InvalidInput("CHAINLOAD_ISA=" + want + ": this CPU does not support it");
      return c.kernels;
    }
  std::string names = "auto, scalar";
  for (const auto& c : choices) names += std::string(", ") + c.name;
  throw InvalidInput("CHAINLOAD_ISA=" + want + " is no instruction set of this build; choose one of: " + names);
}

// The options' own checks: test lifts in range, recovery hours.
void check_options(const SimOptions& options, std::size_t n_exercises) {
  for (const auto e : options.tests)
    if (e < 0 || static_cast<std::size_t>(e) >= n_exercises) throw InvalidInput("test exercise index out of range");
  for (const double h : options.recovery_hours)
    if (!(h >= 0.0) || !std::isfinite(h)) throw InvalidInput("recovery hours must be finite and >= 0, got " + std::to_string(h));
  if (!options.recovery_hours.empty() && options.model != ModelKind::size_neural)
    throw InvalidInput("recovery hours need the size_neural model");
}

// Every athlete of a population checked before any work starts, without a copy (the message
// names the athlete by its index as well as the muscle or exercise). Large populations are checked
// on the run's threads, in contiguous ranges: the first range's error is raised first and each
// range stops at its first bad athlete, so the athlete named is the first bad one, as in one pass.
void check_population(const ActivationTable& activation, const ProgramSpec& program, const PopulationView& population,
                      const SimOptions& options, unsigned threads) {
  program.validate(activation.n_exercises());
  check_options(options, activation.n_exercises());
  if (population.athletes == 0) return;
  if (population.exercises != activation.n_exercises())
    throw InvalidInput("athlete one_rm and body_load need one value per catalogue exercise");
  if (population.muscles != activation.n_muscles()) throw InvalidInput("model parameters need one value per muscle");
  // Engine choice: below 4,096 athletes the check takes under a millisecond, less than starting threads.
  constexpr std::size_t kCheckedAlone = 4096;
  parallel_for(population.athletes, population.athletes < kCheckedAlone ? 1u : threads,
               [&](std::size_t first, std::size_t last) {
                 // Most populations are valid: one pass over the range's rows, then per athlete only
                 // what that pass does not cover (size_neural's own parameters).
                 const bool shared_ok = shared_values_ok(population, program, options, first, last);
                 if (shared_ok && options.model != ModelKind::size_neural) return;
                 for (std::size_t i = first; i < last; ++i) {
                   try {
                     const AthleteRef a = population.ref(i);
                     if (shared_ok) {
                       a.sn.validate_scalars();
                       a.sn.validate_rows(a.size_start, a.size_response, activation.n_muscles());
                     } else {
                       check_values(a, program, options, activation.n_muscles());
                     }
                   } catch (const InvalidInput& e) {
                     throw InvalidInput("athlete " + std::to_string(i) + ": " + e.what());
                   }
                 }
               });
}

// AthleteSpecs copied into a population's arrays (their lengths checked first, each named by its
// index); an athlete without size_start or size_response rows gets rows of 1 (the same values).
struct PopulationArrays {
  std::vector<double> one_rm, body_load, size_start, size_response;
  std::array<std::vector<double>, model_param_fields.size()> params;
  std::array<std::vector<double>, std::size(size_neural_fields)> sn;
  PopulationView view;

  PopulationArrays(const std::vector<AthleteSpec>& athletes, std::size_t n_exercises, std::size_t n_muscles) {
    std::vector<AthleteRef> refs;
    for (std::size_t i = 0; i < athletes.size(); ++i) {
      try {
        refs.push_back(ref_of(athletes[i], n_exercises, n_muscles));
      } catch (const InvalidInput& e) {
        throw InvalidInput("athlete " + std::to_string(i) + ": " + e.what());
      }
    }
    const bool any_start = std::any_of(refs.begin(), refs.end(), [](const AthleteRef& r) { return r.size_start; });
    const bool any_response = std::any_of(refs.begin(), refs.end(), [](const AthleteRef& r) { return r.size_response; });
    auto append = [](std::vector<double>& to, const double* row, std::size_t n) {
      if (row) to.insert(to.end(), row, row + n);
      else to.insert(to.end(), n, 1.0);
    };
    for (const AthleteRef& r : refs) {
      append(one_rm, r.one_rm, n_exercises);
      append(body_load, r.body_load, n_exercises);
      for (std::size_t f = 0; f < params.size(); ++f) append(params[f], r.params[f], n_muscles);
      for (std::size_t f = 0; f < sn.size(); ++f) sn[f].push_back(r.sn.*(size_neural_fields[f].field));
      if (any_start) append(size_start, r.size_start, n_muscles);
      if (any_response) append(size_response, r.size_response, n_muscles);
    }
    view = {athletes.size(), n_exercises, n_muscles, one_rm.data(), body_load.data(), {}, {},
            any_start ? size_start.data() : nullptr, any_response ? size_response.data() : nullptr};
    for (std::size_t f = 0; f < params.size(); ++f) view.params[f] = params[f].data();
    for (std::size_t f = 0; f < sn.size(); ++f) view.sn[f] = sn[f].data();
  }
};
}  // namespace

AthleteRef PopulationView::ref(std::size_t i) const {
  AthleteRef r;
  r.one_rm = one_rm + i * exercises;
  r.body_load = body_load + i * exercises;
  for (std::size_t f = 0; f < params.size(); ++f) r.params[f] = params[f] + i * muscles;
  for (std::size_t f = 0; f < sn.size(); ++f)
    if (sn[f]) r.sn.*(size_neural_fields[f].field) = sn[f][i];  // else unset: validate names it
  r.size_start = size_start ? size_start + i * muscles : nullptr;
  r.size_response = size_response ? size_response + i * muscles : nullptr;
  return r;
}

AthleteSpec PopulationView::athlete(std::size_t i) const {
  using Map = Eigen::Map<const Eigen::VectorXd>;
  const AthleteRef r = ref(i);
  const auto n_ex = static_cast<Eigen::Index>(exercises), n_m = static_cast<Eigen::Index>(muscles);
  AthleteSpec a{Map(r.one_rm, n_ex), Map(r.body_load, n_ex), {}, r.sn};
  for (std::size_t f = 0; f < params.size(); ++f) a.params.*(model_param_fields[f].field) = Map(r.params[f], n_m);
  if (r.size_start) a.sn.size_start = Map(r.size_start, n_m);
  if (r.size_response) a.sn.size_response = Map(r.size_response, n_m);
  return a;
}

SimResult simulate(const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
                   const SimOptions& options) {
  program.validate(activation.n_exercises());
  check_options(options, activation.n_exercises());
  check_values(ref_of(athlete, activation.n_exercises(), activation.n_muscles()), program, options,
               activation.n_muscles());
  if (options.model == ModelKind::size_neural) return run_one(activation, program, athlete, options, nullptr);
  const auto model = make_model(options.model, athlete.params);
  return run_one(activation, program, athlete, options, model.get());
}

namespace {
// The scalar loop over athletes, across threads: put(i, the SimResult of athlete(i)), with the
// per-muscle model of the old kinds built per athlete (none for size_neural).
template <class Get, class Put>
void run_scalar(const ActivationTable& activation, const ProgramSpec& program, std::size_t n, const SimOptions& options,
                unsigned threads, Get athlete, Put put) {
  parallel_for(n, threads, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      check_cancelled();  // between athletes: Ctrl-C stops a batch within one athlete's run
      const AthleteSpec& a = athlete(i);
      const auto model = options.model == ModelKind::size_neural ? nullptr : make_model(options.model, a.params);
      put(i, run_one(activation, program, a, options, model.get()));
    }
  }, kBlocksPerChunk * kLanes);
}
}  // namespace

PopulationResult::PopulationResult(std::size_t athletes, std::size_t muscles, std::size_t used, std::size_t tests,
                                   std::size_t n_blocks)
    : blocks(n_blocks) {
  const auto n = static_cast<Eigen::Index>(athletes), m = static_cast<Eigen::Index>(muscles);
  for (RowMatrix* x : {&final_capacity, &total_dose, &pre_size, &post_size}) x->resize(n, m);
  final_one_rm.resize(n, static_cast<Eigen::Index>(used));
  for (RowMatrix* x : {&pre_test_one_rm, &post_test_one_rm}) x->resize(n, static_cast<Eigen::Index>(tests));
  for (Eigen::VectorXd* x : {&peak_fatigue, &failures, &auto_deloads}) x->resize(n);
  for (auto* x : {&sampled_capacity, &sampled_fatigue, &sampled_dose}) x->assign(athletes * blocks * muscles, 0.0f);
}

void PopulationResult::put(std::size_t i, const SimResult& r) {
  const auto row = static_cast<Eigen::Index>(i);
  final_capacity.row(row) = r.final_capacity.transpose();
  total_dose.row(row) = r.total_dose.transpose();
  pre_size.row(row) = r.pre_size.transpose();
  post_size.row(row) = r.post_size.transpose();
  final_one_rm.row(row) = r.final_one_rm.transpose();
  pre_test_one_rm.row(row) = r.pre_test_one_rm.transpose();
  post_test_one_rm.row(row) = r.post_test_one_rm.transpose();
  peak_fatigue[row] = r.peak_fatigue;
  failures[row] = r.failures;
  auto_deloads[row] = r.auto_deloads;
  const auto muscles = static_cast<std::size_t>(final_capacity.cols());
  for (std::size_t b = 0; b < blocks; ++b)
    for (std::size_t m = 0; m < muscles; ++m) {
      const auto rb = static_cast<Eigen::Index>(b), cm = static_cast<Eigen::Index>(m);
      sampled_capacity[sampled_at(i, b, m)] = static_cast<float>(r.sampled_capacity(rb, cm));
      sampled_fatigue[sampled_at(i, b, m)] = static_cast<float>(r.sampled_fatigue(rb, cm));
      sampled_dose[sampled_at(i, b, m)] = static_cast<float>(r.sampled_dose(rb, cm));
    }
}

SimResult PopulationResult::athlete(std::size_t i) const {
  const auto row = static_cast<Eigen::Index>(i);
  SimResult r;
  r.final_capacity = final_capacity.row(row).transpose();
  r.total_dose = total_dose.row(row).transpose();
  r.pre_size = pre_size.row(row).transpose();
  r.post_size = post_size.row(row).transpose();
  r.final_one_rm = final_one_rm.row(row).transpose();
  r.pre_test_one_rm = pre_test_one_rm.row(row).transpose();
  r.post_test_one_rm = post_test_one_rm.row(row).transpose();
  r.peak_fatigue = peak_fatigue[row];
  r.failures = static_cast<std::int32_t>(failures[row]);
  r.auto_deloads = static_cast<std::int32_t>(auto_deloads[row]);
  return r;
}

PopulationResult simulate_population(const ActivationTable& activation, const ProgramSpec& program,
                                     const PopulationView& population, const SimOptions& options, unsigned threads) {
  if (options.record) throw InvalidInput("simulate_population keeps summaries only: options.record must be off");
  check_population(activation, program, population, options, threads);
  const auto every = static_cast<std::size_t>(std::max(options.sample_days, 0));
  const auto days = static_cast<std::size_t>(std::max(program.n_days, 0));
  PopulationResult out(population.athletes, activation.n_muscles(), used_exercises(program).size(),
                       options.tests.size(), every > 0 ? (days + every - 1) / every : 0);
  const bool batched = options.recovery_hours.empty() &&
                       (options.model == ModelKind::banister || options.model == ModelKind::size_neural);
  if (batched) {
    if (const lanes::Kernels* kernels = choose_kernels()) {
      if (options.model == ModelKind::banister)
        run_batched<BanisterLanes>(activation, program, population, options, threads, *kernels, out);
      else
        run_batched<SizeNeuralLanes>(activation, program, population, options, threads, *kernels, out);
      return out;
    }
  }
  run_scalar(activation, program, population.athletes, options, threads,
             [&](std::size_t i) { return population.athlete(i); },
             [&](std::size_t i, const SimResult& r) { out.put(i, r); });
  return out;
}

PopulationResult simulate_population(const ActivationTable& activation, const ProgramSpec& program,
                                     const std::vector<AthleteSpec>& athletes, const SimOptions& options,
                                     unsigned threads) {
  const PopulationArrays arrays(athletes, activation.n_exercises(), activation.n_muscles());
  return simulate_population(activation, program, arrays.view, options, threads);
}

std::vector<SimResult> simulate_batch(const ActivationTable& activation, const ProgramSpec& program,
                                      const std::vector<AthleteSpec>& athletes, const SimOptions& options,
                                      unsigned threads) {
  std::vector<SimResult> results(athletes.size());
  if (!options.record && options.sample_days <= 0 && options.recovery_hours.empty()) {  // summaries only
    const PopulationResult population = simulate_population(activation, program, athletes, options, threads);
    for (std::size_t i = 0; i < athletes.size(); ++i) results[i] = population.athlete(i);
    return results;
  }
  check_population(activation, program, PopulationArrays(athletes, activation.n_exercises(), activation.n_muscles()).view,
                   options, threads);
  run_scalar(activation, program, athletes.size(), options, threads,
             [&](std::size_t i) -> const AthleteSpec& { return athletes[i]; },
             [&](std::size_t i, SimResult&& r) { results[i] = std::move(r); });
  return results;
}

}  // namespace chainload
