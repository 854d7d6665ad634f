// The batched closed loop's per-muscle kernels (detail/lanes.hpp), one lane loop per formula.
// Compiled once per instruction set: CHAINLOAD_ISA names the namespace (baseline, avx2, avx512)
// and the build adds its -m flags and -ffp-contract=off. Every lane does the scalar engine's IEEE
// operations in the scalar engine's order (kinetics.hpp; no FMA contraction, no reassociation), so
// every instruction set gives the scalar path's results bit for bit. The day kernels step only the
// rows of muscles the program loads (the first n_loaded); the read-outs cover every muscle.
// The baseline copy is compiled with the core, without a CHAINLOAD_ISA of its own; defined before
// the headers, so their inline code goes into this instruction set's namespace (detail/isa_copy.hpp).
#ifndef CHAINLOAD_ISA
#define CHAINLOAD_ISA baseline
#endif
#include "chainload/detail/lanes.hpp"
#include "chainload/kinetics.hpp"
#define CHAINLOAD_STR2(x) #x
#define CHAINLOAD_STR(x) CHAINLOAD_STR2(x)

namespace chainload::lanes::CHAINLOAD_ISA {
namespace {
constexpr std::size_t L = kLanes;
constexpr double kMaxFatigue = 0.95;  // as SizeNeuralEngine's (simulator.cpp)

// The scalar engine's std::min / std::max / std::isfinite, written out (same results; internal
// linkage, so nothing compiled here with wider instructions is shared with other objects).
inline double min_of(double a, double b) { return b < a ? b : a; }
inline double max_of(double a, double b) { return a < b ? b : a; }
inline bool finite(double x) { return x - x == 0.0; }

void banister_rest(const Banister& b, std::size_t days) {
  double* __restrict fit = b.fit;
  double* __restrict fat = b.fat;
  const double* __restrict e1 = b.e1;
  const double* __restrict e2 = b.e2;
  for (std::size_t d = 0; d < days; ++d)
    for (std::size_t i = 0; i < b.n_loaded * L; ++i) {
      fit[i] = kinetics::trace_step(fit[i], e1[i], 0.0);
      fat[i] = kinetics::trace_step(fat[i], e2[i], 0.0);
    }
}

// Capacity of muscle row m (Banister::read), now or after a day of rest (Model::step with 0 load).
inline double banister_cap(const Banister& b, std::size_t i, bool morning) {
  const double fit = morning ? kinetics::trace_step(b.fit[i], b.e1[i], 0.0) : b.fit[i];
  const double fat = morning ? kinetics::trace_step(b.fat[i], b.e2[i], 0.0) : b.fat[i];
  const double fitness = b.k1[i] * fit;
  const double fatigue = b.k2[i] * fat;
  return 1.0 + fitness - fatigue;
}

// W lanes of a row as a GCC vector of the instruction set's width (8 AVX-512, 4 AVX2, 2 baseline;
// a wider vector than the CPU's was slower than the scalar loops), for lane loops nested in a loop
// over muscles (lift minima, doses, peaks), which GCC unrolled and left scalar (perf). Element-wise
// IEEE operations in the order of the scalar formulas they name. Loaded through a reference (a
// vector returned by value would change the ABI between the instruction-set objects).
#if defined(__AVX512F__)
constexpr std::size_t W = 8;
#elif defined(__AVX2__)
constexpr std::size_t W = 4;
#else
constexpr std::size_t W = 2;
#endif
static_assert(L % W == 0, "a row is whole vectors");
// may_alias: read and written in place of doubles (memcpy instead went through the stack in
// halves under -mavx2, and the reload stalled).
typedef double Row __attribute__((vector_size(W * sizeof(double)), aligned(alignof(double)), may_alias));
inline void load(Row& r, const double* p) { r = *reinterpret_cast<const Row*>(p); }
inline void store(double* p, const Row& r) { *reinterpret_cast<Row*>(p) = r; }
// p[0 .. W) += x, element-wise.
inline void add_to(double* p, const Row& x) {
  Row r;
  load(r, p);
  store(p, r + x);
}

void banister_lift(const Banister& b, const std::uint32_t* muscles, std::size_t count, bool morning, double* out) {
  for (std::size_t c = 0; c < L; c += W) {  // lanes c .. c + W
    Row cap_min = Row{} + __builtin_inf();
    for (std::size_t k = 0; k < count; ++k) {  // banister_cap
      const std::size_t row = muscles[k] * L + c;
      Row fit, fat, k1, k2;
      load(fit, b.fit + row), load(fat, b.fat + row), load(k1, b.k1 + row), load(k2, b.k2 + row);
      if (morning) {  // kinetics::trace_step with 0 load
        Row e1, e2;
        load(e1, b.e1 + row), load(e2, b.e2 + row);
        fit = fit * e1 + 0.0;
        fat = fat * e2 + 0.0;
      }
      const Row cap = 1.0 + k1 * fit - k2 * fat;
      cap_min = cap < cap_min ? cap : cap_min;  // min_of
    }
    for (std::size_t j = 0; j < W; ++j) out[c + j] = max_of(finite(cap_min[j]) ? cap_min[j] : 1.0, 0.05);
  }
}

void banister_add(const Banister& b, const Entry* begin, const Entry* end, const double* sets, const double* effort) {
  for (std::size_t c = 0; c < L; c += W) {
    Row n, e;
    load(n, sets + c), load(e, effort + c);
    const Row se = n * e;
    for (const Entry* a = begin; a != end; ++a) add_to(b.w + a->index * L + c, se * a->weight);
  }
}

void banister_peak(const Banister& b, double* __restrict peak) {
  for (std::size_t c = 0; c < L; c += W) {
    Row pk, k2, fat;
    load(pk, peak + c);
    for (std::size_t m = 0; m < b.n_loaded; ++m) {
      load(k2, b.k2 + m * L + c), load(fat, b.fat + m * L + c);
      const Row x = k2 * fat;
      pk = pk < x ? x : pk;  // max_of
    }
    store(peak + c, pk);
  }
}

void banister_end_day(const Banister& b, double* __restrict total, double* __restrict peak) {
  // One flat loop over the rows, then the peak a vector at a time: written as one nested loop, GCC
  // unrolls the lanes and leaves them scalar.
  double* __restrict fit = b.fit;
  double* __restrict fat = b.fat;
  double* __restrict w = b.w;
  const double* __restrict e1 = b.e1;
  const double* __restrict e2 = b.e2;
  for (std::size_t i = 0; i < b.n_loaded * L; ++i) {
    total[i] += w[i];
    fit[i] = kinetics::trace_step(fit[i], e1[i], w[i]);
    fat[i] = kinetics::trace_step(fat[i], e2[i], w[i]);
    w[i] = 0.0;
  }
  banister_peak(b, peak);
}

void banister_capacity(const Banister& b, bool morning, double* __restrict out) {
  for (std::size_t i = 0; i < b.n * L; ++i) out[i] = banister_cap(b, i, morning);
}

// One day of sn_advance's muscles, then of its used lifts: flat loops over the rows (lane i % L)
// in functions whose pointers are __restrict parameters. Written as lane loops in the day loop
// over `s`'s arrays, GCC could not prove the arrays apart and left the loops scalar (perf,
// -fopt-info-vec: "versioning for alias required").
void sn_morning_muscles(std::size_t rows, double* __restrict dose, double* __restrict size, double* __restrict fast,
                        double* __restrict slow, const double* __restrict rate, const double* __restrict start,
                        const SizeNeural& s) {
  double e_dose[L], weekly[L], half[L], ceiling[L], inv_tau[L], e_fast[L], e_slow[L];
  for (std::size_t l = 0; l < L; ++l) {
    e_dose[l] = s.e_dose[l], weekly[l] = s.weekly[l], half[l] = s.half[l], ceiling[l] = s.ceiling[l];
    inv_tau[l] = s.inv_tau[l], e_fast[l] = s.e_fast[l], e_slow[l] = s.e_slow[l];
  }
  for (std::size_t i = 0; i < rows; ++i) {  // detail::morning_muscles, lane by lane
    const std::size_t l = i % L;
    const double dd = dose[i] * e_dose[l];
    dose[i] = dd;
    const double x = dd * weekly[l];
    const double g = x / (x + half[l]);
    size[i] = kinetics::size_step(size[i], g, rate[i], ceiling[l], start[i], inv_tau[l]);
    fast[i] *= e_fast[l];
    slow[i] *= e_slow[l];
  }
}

void sn_morning_lifts(std::size_t rows, double* __restrict q, double* __restrict sets, double* __restrict neural,
                      const SizeNeural& s) {
  double e_dose[L], weekly[L], neural_max[L], neural_half[L], k_up[L], k_down[L];
  for (std::size_t l = 0; l < L; ++l) {
    e_dose[l] = s.e_dose[l], weekly[l] = s.weekly[l];
    neural_max[l] = s.neural_max[l], neural_half[l] = s.neural_half[l], k_up[l] = s.k_up[l], k_down[l] = s.k_down[l];
  }
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t l = i % L;
    const double qd = q[i] * e_dose[l];
    const double sd = sets[i] * e_dose[l];
    q[i] = qd;
    sets[i] = sd;
    const double target = neural_max[l] * kinetics::neural_target(qd * weekly[l], sd * weekly[l], neural_half[l]);
    neural[i] = kinetics::neural_step(neural[i], target, k_up[l], k_down[l]);
  }
}

void sn_advance(const SizeNeural& s, std::size_t days) {
  for (std::size_t d = 0; d < days; ++d) {
    sn_morning_muscles(s.n_loaded * L, s.dose, s.size, s.fast, s.slow, s.rate, s.start, s);
    sn_morning_lifts(s.nu * L, s.q, s.sets, s.neural, s);
  }
}

void sn_lift(const SizeNeural& s, const SizeNeuralLift& lift, double* out) {
  for (std::size_t c = 0; c < L; c += W) {  // lanes c .. c + W, as banister_lift
    Row size = {}, fat = {}, room = Row{} + 1.0, beta, inv_neural_max;
    load(beta, s.beta + c), load(inv_neural_max, s.inv_neural_max + c);
    for (const Entry* e = lift.begin; e != lift.end; ++e) {
      const std::size_t row = e->index * L + c;
      Row sz, fast, slow;
      load(sz, s.size + row), load(fast, s.fast + row), load(slow, s.slow + row);
      size += e->weight * (1.0 + beta * (sz - 1.0));  // kinetics::size_capacity
      fat += e->weight * (fast + slow);
    }
    for (std::size_t k = 0; k < lift.count; ++k) {
      Row n, t;
      load(n, s.neural + lift.used[k] * L + c), load(t, lift.weights + k * L + c);
      room = room * (1.0 - t * n * inv_neural_max);  // kinetics::neural_room
    }
    for (std::size_t j = 0; j < W; ++j) {
      const double nmax = s.neural_max[c + j];
      const double neural = min_of(max_of(nmax * (1.0 - room[j]), 0.0), nmax);  // std::clamp
      out[c + j] = max_of(size[j] * (1.0 + neural) * (1.0 - min_of(fat[j], kMaxFatigue)), 0.05);
    }
  }
}

void sn_add(const SizeNeural& s, const Entry* begin, const Entry* end, std::size_t used, const double* sets,
            const double* effort, const double* size_effort, const double* slow_effort, const double* q) {
  for (std::size_t c = 0; c < L; c += W) {  // as banister_add
    Row n, e, sz, sp, qs;
    load(n, sets + c), load(e, effort + c), load(sz, size_effort + c), load(sp, slow_effort + c), load(qs, q + c);
    const Row se = n * e, ss = n * sz, ssp = n * sp;
    for (const Entry* a = begin; a != end; ++a) {
      const std::size_t row = a->index * L + c;
      add_to(s.w + row, se * a->weight);
      add_to(s.ws + row, ss * a->weight);
      add_to(s.xf + row, ss * a->weight);
      add_to(s.xs + row, ssp * a->weight);
    }
    add_to(s.q_in + used * L + c, qs);
    add_to(s.sets_in + used * L + c, n);
  }
}

void sn_peak(const SizeNeural& s, double* __restrict peak) {
  for (std::size_t c = 0; c < L; c += W) {
    Row pk, fast, slow;
    load(pk, peak + c);
    for (std::size_t m = 0; m < s.n_loaded; ++m) {
      load(fast, s.fast + m * L + c), load(slow, s.slow + m * L + c);
      const Row x = fast + slow;
      pk = pk < x ? x : pk;  // max_of
    }
    store(peak + c, pk);
  }
}

void sn_end_day(const SizeNeural& s, double* __restrict total, double* __restrict peak) {
  double* __restrict dose = s.dose;
  double* __restrict fast = s.fast;
  double* __restrict slow = s.slow;
  double* __restrict w = s.w;
  double* __restrict ws = s.ws;
  double* __restrict xf = s.xf;
  double* __restrict xs = s.xs;
  double fast_max[L], fast_sets[L], slow_max[L], slow_sets[L];  // local copies, for the vectoriser
  for (std::size_t l = 0; l < L; ++l) {
    fast_max[l] = s.fast_max[l], fast_sets[l] = s.fast_sets[l];
    slow_max[l] = s.slow_max[l], slow_sets[l] = s.slow_sets[l];
  }
  // One flat loop over the rows (lane i % L), as banister_end_day.
  for (std::size_t i = 0; i < s.n_loaded * L; ++i) {  // detail::session_muscles, lane by lane
    const std::size_t l = i % L;
    total[i] += w[i];
    dose[i] += ws[i];
    fast[i] = kinetics::saturate_add(fast[i], fast_max[l], xf[i], fast_sets[l]);
    slow[i] = kinetics::saturate_add(slow[i], slow_max[l], xs[i], slow_sets[l]);
    w[i] = ws[i] = xf[i] = xs[i] = 0.0;
  }
  sn_peak(s, peak);
  double* __restrict q = s.q;
  double* __restrict sets = s.sets;
  double* __restrict q_in = s.q_in;
  double* __restrict sets_in = s.sets_in;
  for (std::size_t i = 0; i < s.nu * L; ++i) {
    q[i] += q_in[i];
    sets[i] += sets_in[i];
    q_in[i] = sets_in[i] = 0.0;
  }
}

void sn_capacity(const SizeNeural& s, double* __restrict out) {
  for (std::size_t m = 0; m < s.n; ++m)
    for (std::size_t l = 0; l < L; ++l) {
      const std::size_t i = m * L + l;
      out[i] = kinetics::size_capacity(s.size[i], s.beta[l]) * (1.0 - (s.fast[i] + s.slow[i]));
    }
}

// The progression rules across the lanes: progression.hpp's templates, this instruction set's copy.
void plan(const progression::Prescription& p, progression::State<L>& s, const progression::Day& day,
          const double* start_one_rm, const double* one_rm_now, const double* body, progression::Plans<L>& out) {
  progression::plan<L>(p, s, day, start_one_rm, one_rm_now, body, out);
}
void finish(const progression::Prescription& p, progression::State<L>& s, progression::Plans<L>& out, bool deload,
            const double* body) {
  progression::finish<L>(p, s, out, deload, body);
}

}  // namespace

const Kernels kernels{CHAINLOAD_STR(CHAINLOAD_ISA), banister_rest, banister_lift, banister_add, banister_end_day,
                      banister_peak, banister_capacity, sn_advance, sn_lift, sn_add, sn_end_day, sn_peak, sn_capacity,
                      plan, finish};

}  // namespace chainload::lanes::CHAINLOAD_ISA
