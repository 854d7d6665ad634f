#include "chainload/adaptation.hpp"

#include "chainload/errors.hpp"
#include "chainload/kinetics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <cstring>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chainload {

namespace {
void check_positive(const double* v, const char* name, std::size_t n, bool allow_zero) {
  // One branch-free pass (x - x == 0: finite), then the first bad value's message: a population
  // check runs this for every athlete and field before any work starts.
  unsigned ok = 1;
  for (std::size_t m = 0; m < n; ++m) {
    const double x = v[m];
    ok &= static_cast<unsigned>(x - x == 0.0) & static_cast<unsigned>(allow_zero ? x >= 0.0 : x > 0.0);
  }
  if (ok) return;
  for (std::size_t m = 0; m < n; ++m) {
    const double x = v[m];
    if (!std::isfinite(x) || x < 0.0 || (!allow_zero && x == 0.0))
      throw InvalidInput(std::string("model parameter ") + name + " of muscle " + std::to_string(m) + " must be " +
                         (allow_zero ? ">= 0" : "> 0") + " and finite, got " + std::to_string(x));
  }
}

std::vector<double> decay(const Eigen::VectorXd& tau) {
  std::vector<double> out(static_cast<std::size_t>(tau.size()));
  for (std::size_t m = 0; m < out.size(); ++m) out[m] = kinetics::day_decay(tau[static_cast<Eigen::Index>(m)]);
  return out;
}

// Banister two-component model; relative capacity = 1 + k1*fitness - k2*fatigue (p0 = 1).
class Banister : public Model {
 public:
  explicit Banister(const ModelParams& p)
      : Model(p.size()), k1_(p.k1), k2_(p.k2), e1_(decay(p.tau1)), e2_(decay(p.tau2)) {}
  std::size_t state_per_muscle() const override { return 2; }
  void step(const double* w, double* s) const override {
    double* fit = s;
    double* fat = s + n_;
    for (std::size_t m = 0; m < n_; ++m) {
      fit[m] = kinetics::trace_step(fit[m], e1_[m], w[m]);
      fat[m] = kinetics::trace_step(fat[m], e2_[m], w[m]);
    }
  }
  void read(const double* s, double* capacity, double* fitness, double* fatigue) const override {
    for (std::size_t m = 0; m < n_; ++m) {
      const auto i = static_cast<Eigen::Index>(m);
      fitness[m] = k1_[i] * s[m];
      fatigue[m] = k2_[i] * s[n_ + m];
      capacity[m] = 1.0 + fitness[m] - fatigue[m];
    }
  }
  void rested(const double* s, double* out) const override {
    for (std::size_t m = 0; m < n_; ++m) out[m] = 1.0 + k1_[static_cast<Eigen::Index>(m)] * s[m];
  }

 protected:
  Eigen::VectorXd k1_, k2_;
  std::vector<double> e1_, e2_;
};

// Busso (2003) variable dose-response: the fatigue gain grows with recent load,
// k2(t) = k3 * h(t), h(t) = h(t-1) * exp(-1/tau3) + w(t).
class Busso : public Banister {
 public:
  explicit Busso(const ModelParams& p) : Banister(p), k3_(p.k3), e3_(decay(p.tau3)) {}
  std::size_t state_per_muscle() const override { return 3; }
  void step(const double* w, double* s) const override {
    Banister::step(w, s);
    double* h = s + 2 * n_;
    for (std::size_t m = 0; m < n_; ++m) h[m] = kinetics::trace_step(h[m], e3_[m], w[m]);
  }
  void read(const double* s, double* capacity, double* fitness, double* fatigue) const override {
    for (std::size_t m = 0; m < n_; ++m) {
      const auto i = static_cast<Eigen::Index>(m);
      fitness[m] = k1_[i] * s[m];
      fatigue[m] = k3_[i] * s[2 * n_ + m] * s[n_ + m];
      capacity[m] = 1.0 + fitness[m] - fatigue[m];
    }
  }

 private:
  Eigen::VectorXd k3_;
  std::vector<double> e3_;
};

// Saturating model: a long-term capacity S (1 at the start) decays towards 1 with tau_detrain and
// grows with load in proportion to the room left under a ceiling, dS/dw = gain (ceiling - S) /
// (ceiling - 1), integrated exactly over each day's load (so S never passes the ceiling); Banister fatigue (k2, tau2) sits on top. Gains diminish with
// training age and a break detrains, so long simulations stay plausible.
class Saturating : public Model {
 public:
  explicit Saturating(const ModelParams& p)
      : Model(p.size()), gain_(p.gain), ceiling_(p.ceiling), k2_(p.k2), e2_(decay(p.tau2)), ed_(decay(p.tau_detrain)) {}
  std::size_t state_per_muscle() const override { return 2; }
  void step(const double* w, double* s) const override {
    double* cap = s;  // stored as S - 1 so that the zero state is the starting capacity
    double* fat = s + n_;
    for (std::size_t m = 0; m < n_; ++m) {
      const auto i = static_cast<Eigen::Index>(m);
      const double room = ceiling_[i] - 1.0;
      cap[m] *= ed_[m];
      if (w[m] > 0.0) cap[m] = kinetics::saturating_step(cap[m], room, gain_[i], w[m]);
      fat[m] = kinetics::trace_step(fat[m], e2_[m], w[m]);
    }
  }
  void read(const double* s, double* capacity, double* fitness, double* fatigue) const override {
    for (std::size_t m = 0; m < n_; ++m) {
      fitness[m] = s[m];
      fatigue[m] = k2_[static_cast<Eigen::Index>(m)] * s[n_ + m];
      capacity[m] = 1.0 + fitness[m] - fatigue[m];
    }
  }
  void rested(const double* s, double* out) const override {
    for (std::size_t m = 0; m < n_; ++m) out[m] = 1.0 + s[m];
  }

 private:
  Eigen::VectorXd gain_, ceiling_, k2_;
  std::vector<double> e2_, ed_;
};
}  // namespace

namespace {
// All of v[0 .. count) in (floor, inf), or [floor, inf) with allow_zero (NaN fails both).
bool field_values_ok(const double* v, std::size_t count, double floor, bool allow_zero) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::size_t m = 0;
#if defined(__SSE2__)
  // Two at a time: GCC leaves the comparisons scalar (they may trap), the intrinsics do not.
  const __m128d lo = _mm_set1_pd(floor), hi = _mm_set1_pd(inf);
  __m128d ok = _mm_castsi128_pd(_mm_set1_epi32(-1));
  for (; m + 2 <= count; m += 2) {
    const __m128d x = _mm_loadu_pd(v + m);
    ok = _mm_and_pd(ok, _mm_and_pd(allow_zero ? _mm_cmpge_pd(x, lo) : _mm_cmpgt_pd(x, lo), _mm_cmplt_pd(x, hi)));
  }
  if (_mm_movemask_pd(ok) != 3) return false;
#endif
  bool all = true;
  for (; m < count; ++m) all &= (allow_zero ? v[m] >= floor : v[m] > floor) & (v[m] < inf);
  return all;
}
}  // namespace

bool model_values_ok(const ModelParamRows& fields, std::size_t count) {
  bool all = true;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const double floor = model_param_fields[f].field == &ModelParams::ceiling ? 1.0 : 0.0;
    all &= field_values_ok(fields[f], count, floor, model_param_fields[f].zero_allowed);
  }
  return all;
}

void validate_model_values(const ModelParamRows& fields, std::size_t n) {
  const double* ceiling = nullptr;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const ModelParamField& field = model_param_fields[f];
    check_positive(fields[f], field.name, n, field.zero_allowed);
    if (field.field == &ModelParams::ceiling) ceiling = fields[f];
  }
  for (std::size_t m = 0; m < n; ++m)
    if (ceiling[m] <= 1.0)
      throw InvalidInput("model parameter ceiling of muscle " + std::to_string(m) +
                         " must be > 1 (relative to the starting capacity), got " + std::to_string(ceiling[m]));
}

void ModelParams::validate() const {
  const std::size_t n = size();
  ModelParamRows rows;
  for (std::size_t f = 0; f < rows.size(); ++f) {
    const Eigen::VectorXd& v = this->*(model_param_fields[f].field);
    if (static_cast<std::size_t>(v.size()) != n)
      throw InvalidInput(std::string("model parameter ") + model_param_fields[f].name + " has " +
                         std::to_string(v.size()) + " values for " + std::to_string(n) + " muscles");
    rows[f] = v.data();
  }
  validate_model_values(rows, n);
}

ModelParams default_model_params(std::size_t n) {
  ModelParams p;
  for (const auto& f : model_param_fields)
    p.*(f.field) = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), f.default_value);
  return p;
}

ModelKind parse_model(const std::string& name) {
  if (name == "banister") return ModelKind::banister;
  if (name == "busso") return ModelKind::busso;
  if (name == "saturating") return ModelKind::saturating;
  if (name == "size_neural") return ModelKind::size_neural;
  throw_unknown("model", name, std::vector<std::string>(model_names.begin(), model_names.end()));
}

std::unique_ptr<Model> make_model(ModelKind kind, const ModelParams& params) {
  params.validate();
  switch (kind) {
    case ModelKind::banister: return std::make_unique<Banister>(params);
    case ModelKind::busso: return std::make_unique<Busso>(params);
    case ModelKind::saturating: return std::make_unique<Saturating>(params);
    case ModelKind::size_neural:
      throw InvalidInput("size_neural is run by the simulator itself, not as a per-muscle Model");
  }
  throw InvalidInput("unknown model kind");
}

namespace {
// Two adjacent columns as one vector (element-wise IEEE operations, each column's in the scalar
// formulas' order: the same results as one column at a time).
typedef double Pair __attribute__((vector_size(2 * sizeof(double))));
inline Pair pair_at(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void put_pair(double* p, const Pair& v, bool stream) {
#if defined(__SSE2__)
  // Non-temporal: the outputs are written once and read by the caller only after the call, so their
  // lines skip the cache and the read-for-ownership a plain store makes (a third of the traffic of
  // a load-in, output-out stream).
  if (stream) return _mm_stream_pd(p, v);
#endif
  (void)stream;
  std::memcpy(p, &v, sizeof v);
}

// One column block of banister_open_loop through every day. The day's state update and every
// output it writes are one loop (a separate pass for the outputs ran at half the speed: the block's
// state went through L1 twice a day and the streams of loads and outputs were interleaved with it);
// which outputs exist is a template flag, so the loop has no branch. Columns go in pairs from a
// 16-byte boundary of the outputs (`stream`: every output shares its alignment, so one boundary
// serves all), the row's first column before it and an odd last one alone.
template <bool kFitness, bool kFatigue, bool kPerformance>
inline __attribute__((always_inline)) void open_loop_block(const double* __restrict loads, std::size_t days,
                                                          std::size_t columns, std::size_t j0, std::size_t n,
                                                          const double* __restrict p0, const double* __restrict k1,
                                                          const double* __restrict k2, double* __restrict f,
                                                          double* __restrict g, const double* __restrict d1,
                                                          const double* __restrict d2, double* __restrict fitness,
                                                          double* __restrict fatigue, double* __restrict performance,
                                                          bool stream) {
  const double* first_output = kFitness ? fitness : kFatigue ? fatigue : performance;
  for (std::size_t t = 0; t < days; ++t) {
    const std::size_t row = t * columns + j0;
    const double* __restrict w = loads + row;
    auto one = [&](std::size_t j) __attribute__((always_inline)) {
      const double fit = kinetics::trace_step(f[j], d1[j], w[j]);
      const double fat = kinetics::trace_step(g[j], d2[j], w[j]);
      f[j] = fit;
      g[j] = fat;
      if constexpr (kFitness) fitness[row + j] = fit;
      if constexpr (kFatigue) fatigue[row + j] = fat;
      if constexpr (kPerformance) performance[row + j] = kinetics::banister_performance(p0[j], k1[j], fit, k2[j], fat);
    };
    const bool odd_start = first_output && (reinterpret_cast<std::uintptr_t>(first_output + row) & 15) != 0;
    std::size_t j = 0;
    if (odd_start && n > 0) one(j++);
    for (; j + 2 <= n; j += 2) {  // kinetics::trace_step and banister_performance, two columns
      const Pair wj = pair_at(w + j);
      const Pair fit = pair_at(f + j) * pair_at(d1 + j) + wj;
      const Pair fat = pair_at(g + j) * pair_at(d2 + j) + wj;
      std::memcpy(f + j, &fit, sizeof fit);
      std::memcpy(g + j, &fat, sizeof fat);
      if constexpr (kFitness) put_pair(fitness + row + j, fit, stream);
      if constexpr (kFatigue) put_pair(fatigue + row + j, fat, stream);
      if constexpr (kPerformance)
        put_pair(performance + row + j, pair_at(p0 + j) + pair_at(k1 + j) * fit - pair_at(k2 + j) * fat, stream);
    }
    if (j < n) one(j);
  }
}
}  // namespace

// Compiled for AVX2+FMA and for the baseline, chosen at run time (as numpy does for its loops).
CHAINLOAD_VECTOR_CLONES
void banister_open_loop(const double* __restrict loads, std::size_t days, std::size_t columns,
                        const double* __restrict p0, const double* __restrict k1, const double* __restrict k2,
                        const double* tau1, const double* tau2, double* __restrict fitness, double* __restrict fatigue,
                        double* __restrict performance, double* __restrict final_performance) {
  for (std::size_t j = 0; j < columns; ++j)
    if (!(tau1[j] > 0.0) || !(tau2[j] > 0.0) || !std::isfinite(tau1[j]) || !std::isfinite(tau2[j]))
      throw InvalidInput("tau1 and tau2 must be finite and > 0 (series " + std::to_string(j) + ")");
  // Column blocks of kOpenLoopBlock series run through every day before the next block: a
  // block's state (fitness, fatigue, both decays: 4 x 8 B a series) stays in L1, so memory sees
  // only the loads read and the outputs written. Each series' arithmetic is unchanged.
  // Non-temporal pairs need every output at the same offset from a 16-byte boundary.
  bool stream = true;
  const double* first = fitness ? fitness : fatigue ? fatigue : performance;
  for (const double* out : {fitness, fatigue, performance})
    if (out) stream &= ((reinterpret_cast<std::uintptr_t>(out) ^ reinterpret_cast<std::uintptr_t>(first)) & 15) == 0;
  constexpr std::size_t kOpenLoopBlock = 1024;  // engine choice: 8 KB per state array, 32 KB in all (L1 is 32-48 KB)
  double f[kOpenLoopBlock], g[kOpenLoopBlock], d1[kOpenLoopBlock], d2[kOpenLoopBlock];
  for (std::size_t j0 = 0; j0 < columns; j0 += kOpenLoopBlock) {
    const std::size_t n = std::min(kOpenLoopBlock, columns - j0);
    for (std::size_t j = 0; j < n; ++j) {
      d1[j] = kinetics::day_decay(tau1[j0 + j]);
      d2[j] = kinetics::day_decay(tau2[j0 + j]);
      f[j] = 0.0;
      g[j] = 0.0;
    }
    const double *p0_b = p0 + j0, *k1_b = k1 + j0, *k2_b = k2 + j0;
    // The block kernel for the outputs asked for, each flag a template argument (always inlined, so
    // every instruction-set clone of this function has its own copies).
    auto block = [&](auto fit, auto fat, auto perf) __attribute__((always_inline)) {
      open_loop_block<decltype(fit)::value, decltype(fat)::value, decltype(perf)::value>(
          loads, days, columns, j0, n, p0_b, k1_b, k2_b, f, g, d1, d2, fitness, fatigue, performance, stream);
    };
    auto with_perf = [&](auto fit, auto fat) __attribute__((always_inline)) {
      performance ? block(fit, fat, std::true_type{}) : block(fit, fat, std::false_type{});
    };
    auto with_fat = [&](auto fit) __attribute__((always_inline)) {
      fatigue ? with_perf(fit, std::true_type{}) : with_perf(fit, std::false_type{});
    };
    fitness ? with_fat(std::true_type{}) : with_fat(std::false_type{});
    if (final_performance)
      for (std::size_t j = 0; j < n; ++j)
        final_performance[j0 + j] = kinetics::banister_performance(p0_b[j], k1_b[j], f[j], k2_b[j], g[j]);
  }
#if defined(__SSE2__)
  _mm_sfence();  // the non-temporal stores are visible before the caller reads the outputs
#endif
}

}  // namespace chainload
