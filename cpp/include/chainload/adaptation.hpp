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
