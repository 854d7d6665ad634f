#pragma once
// Per-muscle adaptation models. Every model keeps a few state values per muscle, advances one
// day at a time with that day's per-muscle load, and reads out a relative capacity (1 = the
// athlete's starting strength). Daily convention (Banister; DESIGN.md "Adaptation"):
//   fitness(t) = fitness(t-1) * exp(-1/tau1) + w(t),   fatigue(t) = fatigue(t-1) * exp(-1/tau2) + w(t),
//   performance(t) = p0 + k1 * fitness(t) - k2 * fatigue(t);  day t's load counts on day t;
//   state 0 before day 0.
// A new model is one new class implementing Model, and one line in make_model().
#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <memory>
#include <string>

// Hot loops are cloned for AVX2/FMA with a run-time choice (GCC and Clang on x86-64 Linux).
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_ADDRESS__)
#define CHAINLOAD_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CHAINLOAD_VECTOR_CLONES
#endif

namespace chainload {

// Per-muscle parameters; each model reads the ones it needs. Units: days for time constants,
// "relative capacity per unit of daily load" for gains (load = effort-weighted fractional sets).
struct ModelParams {
  Eigen::VectorXd k1, k2, tau1, tau2;  // Banister
  Eigen::VectorXd k3, tau3;            // Busso: fatigue gain k2(t) = k3 * sum_s w(s) exp(-(t-s)/tau3)
  Eigen::VectorXd gain, ceiling, tau_detrain;  // saturating long-term capacity
  std::size_t size() const { return static_cast<std::size_t>(k1.size()); }
  // Throws InvalidInput naming the parameter and muscle at fault (non-positive time constant ...).
  void validate() const;
};

// One per-muscle parameter: its name, its field and its default (the same for every muscle).
struct ModelParamField {
  const char* name;
  Eigen::VectorXd ModelParams::*field;
  double default_value;
  bool zero_allowed;  // gains may be 0; time constants and the ceiling must be > 0
};
// The parameters in order, with their defaults: the one list, exported as _core.PARAM_NAMES and
// _core.default_params() and read by Python (simulation.DEFAULT_PARAMS, Athlete.load, the
// bindings). Time constants: the common Banister tau1 = 42 d, tau2 = 7 d (Vermeire et al. 2022,
// SCIENCE.md 2.1). Gains are engine choices (load = effort-weighted fractional sets per day):
// k1 makes ~10 hard sets a week on a muscle for 12 weeks raise its capacity by ~10 % (a trained
// recreational lifter; cf. the dose-response rows of SCIENCE.md 3.2), and k2 = 2 k1 follows
// "fatigue impulse ~2x fitness" (Chiu & Barnes 2003, low confidence). Busso: tau3 = 4 d and k3
// such that k2(t) ~ 2 k1 at that weekly volume. Saturating: ceiling 1.5 x the starting capacity,
// detraining 120 d (engine choices; no published per-muscle constants exist, SCIENCE.md 2.1 and 7).
inline const std::array<ModelParamField, 9> model_param_fields{{
    {"k1", &ModelParams::k1, 0.002, true},
    {"k2", &ModelParams::k2, 0.004, true},
    {"tau1", &ModelParams::tau1, 42.0, false},
    {"tau2", &ModelParams::tau2, 7.0, false},
    {"k3", &ModelParams::k3, 0.0006, true},
    {"tau3", &ModelParams::tau3, 4.0, false},
    {"gain", &ModelParams::gain, 0.0035, true},
    {"ceiling", &ModelParams::ceiling, 1.5, false},
    {"tau_detrain", &ModelParams::tau_detrain, 120.0, false},
}};
// Every parameter at its default for n muscles.
ModelParams default_model_params(std::size_t n);
// One athlete's parameter values, each field's n_muscles values read in place (model_param_fields'
// order): ModelParams::validate's value checks, for a population's rows without a copy.
using ModelParamRows = std::array<const double*, model_param_fields.size()>;
void validate_model_values(const ModelParamRows& fields, std::size_t n_muscles);
// Whether validate_model_values would pass, for `count` consecutive values of every field (its
// checks are per value, so a whole population's rows can be checked in one pass): no message.
bool model_values_ok(const ModelParamRows& fields, std::size_t count);

class Model {
 public:
  virtual ~Model() = default;
  virtual std::size_t state_per_muscle() const = 0;
  // Advance one day: state (state_per_muscle x n_muscles, muscle-major) takes load w.
  virtual void step(const double* w, double* state) const = 0;
  // Relative capacity of each muscle in this state (fatigue included), and its parts.
  virtual void read(const double* state, double* capacity, double* fitness, double* fatigue) const = 0;
  // Capacity with fatigue removed: what a full recovery would show (for readiness).
  virtual void rested(const double* state, double* out) const = 0;
  std::size_t n_muscles() const { return n_; }

 protected:
  explicit Model(std::size_t n) : n_(n) {}
  std::size_t n_;
};

// size_neural (size_neural.hpp) is not a per-muscle Model: the simulator runs it itself.
enum class ModelKind { banister, busso, saturating, size_neural };
// The model names, the default (size_neural) first: the one list, exported as _core.MODEL_NAMES
// and read by Python (simulation.MODELS, the CLI's choices).
inline constexpr std::array<const char*, 4> model_names{"size_neural", "banister", "busso", "saturating"};
ModelKind parse_model(const std::string& name);
std::unique_ptr<Model> make_model(ModelKind kind, const ModelParams& params);

// Open-loop Banister over many independent series at once: loads is days x columns (row-major),
// each column one series with its own parameters. Writes fitness, fatigue and performance (same
// shape; any may be null to skip it) and the last day's performance (one per column, may be null).
// Columns run in blocks that keep their state in L1 through all days; the inner loop runs over a
// block's contiguous columns. Results do not depend on the blocking.
void banister_open_loop(const double* loads, std::size_t days, std::size_t columns, const double* p0,
                        const double* k1, const double* k2, const double* tau1, const double* tau2, double* fitness,
                        double* fatigue, double* performance, double* final_performance = nullptr);

}  // namespace chainload
