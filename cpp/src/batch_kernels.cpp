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

// The scalar engine's std::min(a, b), std::max(a, b) and std::isfinite(x) are written below as
// element-wise selects, named in comments: min_of = (b < a ? b : a), max_of = (a < b ? b : a),
// finite = (x - x == 0); the same results, NaN and -0 included.

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
// halves under -mavx2, and the reload stalled). A store of a Row may alias anything, so the kernels
// copy the state's pointers and bounds into locals first: read from the struct, they were loaded
// again after every store (five loads a vector in banister_rest).
typedef double Row __attribute__((vector_size(W * sizeof(double)), aligned(alignof(double)), may_alias));
inline void load(Row& r, const double* p) { r = *reinterpret_cast<const Row*>(p); }
inline void store(double* p, const Row& r) { *reinterpret_cast<Row*>(p) = r; }
// p[0 .. W) += x, element-wise.
inline void add_to(double* p, const Row& x) {
  Row r;
  load(r, p);
  store(p, r + x);
}

// `days` rest days; with to_morning the state is left as the next morning's products (x * decay,
// Banister's comment in lanes.hpp). All the days in one pass, a vector of each row held in
// registers across them (each element's operations those of a pass per day, in order: bit for bit).
void banister_rest(const Banister& b, std::size_t days, bool to_morning) {
  if (days == 0 && !to_morning) return;
  double *const fit_p = b.fit, *const fat_p = b.fat;
  const double *const e1_p = b.e1, *const e2_p = b.e2;
  const std::size_t end = b.n_loaded * L;
  for (std::size_t i = 0; i < end; i += W) {
    Row fit, fat, e1, e2;
    load(fit, fit_p + i), load(fat, fat_p + i), load(e1, e1_p + i), load(e2, e2_p + i);
    for (std::size_t d = 0; d < days; ++d) {  // kinetics::trace_step with 0 load, + 0 left out (lanes.hpp)
      fit = fit * e1;
      fat = fat * e2;
    }
    if (to_morning) fit = fit * e1, fat = fat * e2;
    store(fit_p + i, fit), store(fat_p + i, fat);
  }
}

void banister_lift(const Banister& b, const std::uint32_t* muscles, std::size_t count, bool morning, double* out) {
  const double *const fit_p = b.fit, *const fat_p = b.fat, *const k1_p = b.k1, *const k2_p = b.k2;
  const double *const e1_p = b.e1, *const e2_p = b.e2;
  for (std::size_t c = 0; c < L; c += W) {  // lanes c .. c + W
    Row cap_min = Row{} + __builtin_inf();
    for (std::size_t k = 0; k < count; ++k) {  // banister_cap
      const std::size_t row = muscles[k] * L + c;
      Row fit, fat, k1, k2;
      load(fit, fit_p + row), load(fat, fat_p + row), load(k1, k1_p + row), load(k2, k2_p + row);
      if (morning) {  // kinetics::trace_step with 0 load, + 0 left out (lanes.hpp)
        Row e1, e2;
        load(e1, e1_p + row), load(e2, e2_p + row);
        fit = fit * e1;
        fat = fat * e2;
      }
      const Row cap = 1.0 + k1 * fit - k2 * fat;
      cap_min = cap < cap_min ? cap : cap_min;  // min_of
    }
    // max_of(finite(cap_min) ? cap_min : 1.0, 0.05), element-wise (as a lane loop GCC left it scalar).
    const Row cap = cap_min - cap_min == 0.0 ? cap_min : Row{} + 1.0;
    store(out + c, cap < 0.05 ? Row{} + 0.05 : cap);
  }
}

void banister_peak(const Banister& b, double* __restrict peak) {
  const double *const k2_p = b.k2, *const fat_p = b.fat;
  const std::size_t n_loaded = b.n_loaded;
  for (std::size_t c = 0; c < L; c += W) {
    Row pk, k2, fat;
    load(pk, peak + c);
    for (std::size_t m = 0; m < n_loaded; ++m) {
      load(k2, k2_p + m * L + c), load(fat, fat_p + m * L + c);
      const Row x = k2 * fat;
      pk = pk < x ? x : pk;  // max_of
    }
    store(peak + c, pk);
  }
}

// A training day's evening from its morning products: x + w (the scalar loop's x * decay + w,
// the product taken that morning), the peak fatigue over it, today's dose into total; with
// to_morning the products of the morning `rest_days` rest days later (the next training day's). Each row's dose w is summed in
// registers from the day's sessions, in their order (the scalar loop's w += sets * effort *
// activation), so no dose array is stored and cleared. A row of lanes a vector at a time, the
// lanes' peaks held in registers across the rows (each lane's rows in order, as banister_peak).
// Steps: the decays a row takes after its dose (0 without to_morning, else rest_days + 1), a
// constant where it is small (the loop unrolled: 1 to 3 rest days cover a week of 2 to 6 sessions),
// `steps` otherwise (Steps = -1).
template <int Steps>
void end_day_rows(const Banister& b, const DayDose& day, double* __restrict total, double* __restrict peak,
                  std::size_t steps, double* __restrict dose_sum) {
  constexpr std::size_t V = L / W;
  double *const fit_p = b.fit, *const fat_p = b.fat;
  const double *const k2_p = b.k2, *const e1_p = b.e1, *const e2_p = b.e2;
  const std::uint32_t* const row_begin = day.row_begin;
  const Entry* const contributions = day.contributions;
  const double* const inputs = day.inputs;
  const std::size_t n_loaded = b.n_loaded;
  Row pk[V];
  for (std::size_t v = 0; v < V; ++v) load(pk[v], peak + v * W);
  for (std::size_t m = 0; m < n_loaded; ++m) {
    Row w[V] = {};  // the row's dose, session by session (each vector's sum in registers)
    for (const Entry *c = contributions + row_begin[m], *last = contributions + row_begin[m + 1]; c != last; ++c) {
      const double* se_p = inputs + c->index * L;
      const double weight = c->weight;
      for (std::size_t v = 0; v < V; ++v) {
        Row se;
        load(se, se_p + v * W);
        w[v] = w[v] + se * weight;
      }
    }
    _Pragma("GCC unroll 8") for (std::size_t v = 0; v < V; ++v) {
      const std::size_t i = m * L + v * W;
      Row fit, fat, k2, sum;
      load(fit, fit_p + i), load(fat, fat_p + i), load(k2, k2_p + i), load(sum, total + i);
      store(total + i, sum + w[v]);
      if (dose_sum) add_to(dose_sum + i, w[v]);
      fit = fit + w[v];
      fat = fat + w[v];
      const Row x = k2 * fat;
      pk[v] = pk[v] < x ? x : pk[v];  // max_of
      if (Steps != 0) {  // banister_rest(rest_days, true)
        Row e1, e2;
        load(e1, e1_p + i), load(e2, e2_p + i);
        const std::size_t n_steps = Steps < 0 ? steps : static_cast<std::size_t>(Steps);
        _Pragma("GCC unroll 4") for (std::size_t d = 0; d < n_steps; ++d) {
          fit = fit * e1;
          fat = fat * e2;
        }
      }
      store(fit_p + i, fit), store(fat_p + i, fat);
    }
  }
  for (std::size_t v = 0; v < V; ++v) store(peak + v * W, pk[v]);
}

void banister_end_day(const Banister& b, const DayDose& day, double* __restrict total, double* __restrict peak,
                      bool to_morning, std::size_t rest_days, double* __restrict dose_sum) {
  const std::size_t steps = to_morning ? rest_days + 1 : 0;
  switch (steps) {
    case 0: return end_day_rows<0>(b, day, total, peak, 0, dose_sum);
    case 2: return end_day_rows<2>(b, day, total, peak, 2, dose_sum);
    case 3: return end_day_rows<3>(b, day, total, peak, 3, dose_sum);
    default: return end_day_rows<-1>(b, day, total, peak, steps, dose_sum);
  }
}

void banister_capacity(const Banister& b, bool morning, double* __restrict out) {
  for (std::size_t i = 0; i < b.n * L; ++i) out[i] = banister_cap(b, i, morning);
}

// One day of sn_advance's muscles, then of its used lifts, a vector of lanes at a time: lanes
// c .. c + W of every row, with those lanes' parameters held in registers. (A flat loop over the
// rows with lane i % L gathered each lane's parameters, and GCC left the fatigue step scalar.)
void sn_morning_muscles(const SizeNeural& s) {
  // The arrays as locals: a store through a may_alias Row could otherwise overwrite `s`'s pointers.
  double *const dose_p = s.dose, *const size_p = s.size, *const fast_p = s.fast, *const slow_p = s.slow;
  const double *const rate_p = s.rate, *const start_p = s.start;
  const std::size_t n_loaded = s.n_loaded;
  for (std::size_t c = 0; c < L; c += W) {
    Row e_dose, weekly, half, ceiling, inv_tau, e_fast, e_slow;
    load(e_dose, s.e_dose + c), load(weekly, s.weekly + c), load(half, s.half + c), load(ceiling, s.ceiling + c);
    load(inv_tau, s.inv_tau + c), load(e_fast, s.e_fast + c), load(e_slow, s.e_slow + c);
    for (std::size_t m = 0; m < n_loaded; ++m) {  // detail::morning_muscles
      const std::size_t row = m * L + c;
      Row dose, size, fast, slow, rate, start;
      load(dose, dose_p + row), load(size, size_p + row), load(fast, fast_p + row), load(slow, slow_p + row);
      load(rate, rate_p + row), load(start, start_p + row);
      dose = dose * e_dose;
      const Row x = dose * weekly;
      const Row g = x / (x + half);  // kinetics::saturation without its branch: x >= 0, half > 0
      store(dose_p + row, dose);
      store(size_p + row, kinetics::size_step(size, g, rate, ceiling, start, inv_tau));
      store(fast_p + row, fast * e_fast);
      store(slow_p + row, slow * e_slow);
    }
  }
}

void sn_morning_lifts(const SizeNeural& s) {
  double *const q_p = s.q, *const sets_p = s.sets, *const neural_p = s.neural;  // as sn_morning_muscles
  const std::size_t nu = s.nu;
  for (std::size_t c = 0; c < L; c += W) {
    Row e_dose, weekly, neural_max, neural_half, k_up, k_down;
    load(e_dose, s.e_dose + c), load(weekly, s.weekly + c), load(neural_max, s.neural_max + c);
    load(neural_half, s.neural_half + c), load(k_up, s.k_up + c), load(k_down, s.k_down + c);
    for (std::size_t u = 0; u < nu; ++u) {
      const std::size_t row = u * L + c;
      Row q, sets, neural;
      load(q, q_p + row), load(sets, sets_p + row), load(neural, neural_p + row);
      q = q * e_dose;
      sets = sets * e_dose;
      store(q_p + row, q);
      store(sets_p + row, sets);
      const Row target = neural_max * kinetics::neural_target(q * weekly, sets * weekly, neural_half);
      store(neural_p + row, kinetics::neural_step(neural, target, k_up, k_down));
    }
  }
}

void sn_advance(const SizeNeural& s, std::size_t days) {
  for (std::size_t d = 0; d < days; ++d) {
    sn_morning_muscles(s);
    sn_morning_lifts(s);
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
    // Element-wise: neural = std::clamp(nmax (1 - room), 0, nmax), then the scalar engine's
    // max(size (1 + neural) (1 - min(fat, kMaxFatigue)), 0.05).
    Row nmax;
    load(nmax, s.neural_max + c);
    const Row raw = nmax * (1.0 - room);
    const Row low = raw < 0.0 ? Row{} : raw;                 // max_of(raw, 0)
    const Row neural = nmax < low ? nmax : low;              // min_of(low, nmax)
    const Row f = kMaxFatigue < fat ? Row{} + kMaxFatigue : fat;  // min_of(fat, kMaxFatigue)
    const Row cap = size * (1.0 + neural) * (1.0 - f);
    store(out + c, cap < 0.05 ? Row{} + 0.05 : cap);
  }
}

// A Row's square root, lane by lane (the vectoriser makes it one instruction), and kinetics::exp_of's
// 2^k from the bits of t, as kinetics::exp_pow2 does for one double.
inline Row root(const Row& x) {
  Row out;
  for (std::size_t j = 0; j < W; ++j) out[j] = __builtin_sqrt(x[j]);
  return out;
}
typedef long long Bits __attribute__((vector_size(W * sizeof(double))));
inline Row exp_pow2(const Row& t) {
  const Row shift = Row{} + 0x1.8p52;
  return reinterpret_cast<Row>((reinterpret_cast<Bits>(t) - reinterpret_cast<Bits>(shift) + 1023) << 52);
}

void sn_add(const SizeNeural& s, std::size_t used, const progression::Plans<L>& plans, const double* slow_factor,
            double* inputs) {
  const double sets = plans.sets;
  for (std::size_t c = 0; c < L; c += W) {  // lanes c .. c + W
    Row rir, reps, fraction, e, rir_zero, full_reps, slow_rir, load_full, factor, load_weight;
    load(rir, plans.rir + c), load(reps, plans.achieved + c), load(fraction, plans.fraction + c);
    load(e, plans.effort + c), load(rir_zero, s.rir_zero + c), load(full_reps, s.full_reps + c);
    load(slow_rir, s.slow_rir + c), load(load_full, s.load_full + c), load(factor, slow_factor + c);
    // SizeNeuralEngine::add's per-set weights
    const Row size_effort = kinetics::size_effort(rir, rir_zero) * kinetics::rep_weight(reps, full_reps);
    const Row slow_effort = kinetics::slow_proximity(rir, slow_rir, exp_pow2) * factor;
    if (s.quarters >= 0) {
      load_weight = kinetics::quarters_power(kinetics::clamp01(fraction / load_full), s.quarters, root);
    } else {
      for (std::size_t j = 0; j < W; ++j)
        load_weight[j] = kinetics::load_weight(fraction[j], s.load_power[c + j], load_full[j]);
    }
    const Row se = sets * e, ss = sets * size_effort, ssp = sets * slow_effort, qs = sets * load_weight;
    store(inputs + c, se), store(inputs + L + c, ss), store(inputs + 2 * L + c, ssp);  // x activation: sn_end_day
    add_to(s.q_in + used * L + c, qs);
    add_to(s.sets_in + used * L + c, Row{} + sets);
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

// The day's end: each row's inputs summed from the day's sessions in order (the scalar loop's w +=
// input x activation, in registers), then detail::session_muscles and sn_peak's maximum.
void sn_end_day(const SizeNeural& s, const DayDose& day, double* __restrict total, double* __restrict peak,
                double* __restrict dose_sum) {
  const Row zero = {};
  double *const dose = s.dose, *const fast_p = s.fast, *const slow_p = s.slow;  // as sn_morning_muscles
  double *const q = s.q, *const sets = s.sets, *const q_in_p = s.q_in, *const sets_in_p = s.sets_in;
  const std::uint32_t* const row_begin = day.row_begin;
  const Entry* const contributions = day.contributions;
  const double* const inputs = day.inputs;
  const std::size_t n_loaded = s.n_loaded, nu = s.nu;
  for (std::size_t c = 0; c < L; c += W) {  // lanes c .. c + W, as sn_morning_muscles
    Row fast_max, fast_sets, slow_max, slow_sets, pk;
    load(fast_max, s.fast_max + c), load(fast_sets, s.fast_sets + c);
    load(slow_max, s.slow_max + c), load(slow_sets, s.slow_sets + c), load(pk, peak + c);
    for (std::size_t m = 0; m < n_loaded; ++m) {  // detail::session_muscles, then sn_peak's maximum
      const std::size_t row = m * L + c;
      Row w = zero, ws = zero, xs = zero;
      for (const Entry *k = contributions + row_begin[m], *last = contributions + row_begin[m + 1]; k != last; ++k) {
        const double* in = inputs + k->index * 3 * L + c;
        Row se, ss, ssp;
        load(se, in), load(ss, in + L), load(ssp, in + 2 * L);
        w = w + se * k->weight;
        ws = ws + ss * k->weight;
        xs = xs + ssp * k->weight;
      }
      Row fast, slow;
      load(fast, fast_p + row), load(slow, slow_p + row);
      add_to(total + row, w);
      if (dose_sum) add_to(dose_sum + row, w);
      add_to(dose + row, ws);
      fast = kinetics::saturate_add(fast, fast_max, ws, fast_sets);  // ws drives fast fatigue too
      slow = kinetics::saturate_add(slow, slow_max, xs, slow_sets);
      store(fast_p + row, fast);
      store(slow_p + row, slow);
      const Row x = fast + slow;
      pk = pk < x ? x : pk;  // max_of
    }
    store(peak + c, pk);
    for (std::size_t u = 0; u < nu; ++u) {
      const std::size_t row = u * L + c;
      Row q_in, sets_in;
      load(q_in, q_in_p + row), load(sets_in, sets_in_p + row);
      add_to(q + row, q_in);
      add_to(sets + row, sets_in);
      store(q_in_p + row, zero), store(sets_in_p + row, zero);
    }
  }
}

void sn_capacity(const SizeNeural& s, double* __restrict out) {
  for (std::size_t m = 0; m < s.n; ++m)
    for (std::size_t l = 0; l < L; ++l) {
      const std::size_t i = m * L + l;
      out[i] = kinetics::size_capacity(s.size[i], s.beta[l]) * (1.0 - (s.fast[i] + s.slow[i]));
    }
}

// One session across the lanes: progression.hpp's plan and finish (this instruction set's copy),
// with today's 1RM and the failure and deload counts in vectors too (the core's copy is SSE2 only).
__attribute__((flatten)) void session(const progression::Prescription& p, progression::State<L>& s, const progression::Day& day,
             const double* __restrict start_one_rm, const double* __restrict capacity, const double* __restrict body,
             progression::Plans<L>& __restrict out, double* __restrict failures, double* __restrict auto_deloads) {
  double one_rm_now[L];
  for (std::size_t l = 0; l < L; ++l) one_rm_now[l] = start_one_rm[l] * capacity[l];
  progression::plan<L>(p, s, day, start_one_rm, one_rm_now, body, out);
  progression::finish<L>(p, s, out, day.deload, body);
  for (std::size_t l = 0; l < L; ++l) {
    auto_deloads[l] += out.auto_deload[l];
    failures[l] += out.failed[l];
  }
}

}  // namespace

const Kernels kernels{CHAINLOAD_STR(CHAINLOAD_ISA), banister_rest, banister_lift, banister_end_day,
                      banister_peak, banister_capacity, sn_advance, sn_lift, sn_add, sn_end_day, sn_peak, sn_capacity,
                      session};

}  // namespace chainload::lanes::CHAINLOAD_ISA
