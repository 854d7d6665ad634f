#pragma once
// The athlete-batched closed loop (docs/DESIGN.md "Batched closed loop"): the state of
// kLanes athletes in struct-of-arrays blocks, element [row * kLanes + lane], and the per-muscle
// kernels over them. batch_kernels.cpp is compiled once per instruction set (baseline, AVX2,
// AVX-512) and includes only this header, progression.hpp and kinetics.hpp: plain structs of
// pointers and doubles, and inline code in a namespace of its own per instruction set
// (detail/isa_copy.hpp), so no inline function of the differently compiled objects is shared
// with the rest of the core.
#include "chainload/progression.hpp"

#include <cstddef>
#include <cstdint>

namespace chainload::lanes {

// Engine choice: 32 doubles, four AVX-512 registers or eight AVX2 ones: a kernel call and a
// session's progression step serve 32 athletes (8 lanes were 1.2-1.4x slower, 64 no faster; docs/DESIGN.md).
inline constexpr std::size_t kLanes = 32;

// A muscle (or a used lift) and its weight.
struct Entry {
  std::uint32_t index;
  double weight;
};

// Rows are muscles, those the program loads first: rows n_loaded .. n hold muscles no exercise of
// the program activates, which stay exactly at their start (0 dose changes nothing: 0 * decay + 0
// is 0, and size_neural's size step adds 0 growth and 0 detraining at its start value), so the day
// kernels skip them and only the read-outs (capacity, size) cover all n.

// Banister: fitness and fatigue traces per muscle. The traces hold either the evening state x (the
// scalar loop's) or, on a training day, the morning products x * decay: the 1RM read-outs of the
// day then read them as they are (the scalar loop reads x * decay + 0, the same capacity: the two
// differ only in the sign of a zero, which 1 + k1 fitness erases), and the day's end adds its dose
// (x * decay + w, the same operations in the same order).
// The traces are never negative and never -0: they start at +0, a day scales them by a decay in
// (0, 1] and adds a dose of sets (>= 0) x effort (in [0, 1]) x activation (in [0, 1]), each >= +0.
// So the scalar loop's rest-day step x * decay + 0 is x * decay bit for bit (adding +0 changes only
// a -0, and NaN stays the same NaN), and the kernels leave the + 0 out.
struct Banister {
  std::size_t n = 0, n_loaded = 0;            // muscles, muscles the program loads
  double *fit = nullptr, *fat = nullptr;      // state, n x lanes
  const double *k1 = nullptr, *k2 = nullptr;  // gains, n x lanes
  const double *e1 = nullptr, *e2 = nullptr;  // per-day decays, n x lanes
};

// A training day's dose per muscle row, from its sessions in order: row m < n_loaded gets, from
// each contribution c in [row_begin[m], row_begin[m + 1]), session c.index's input per lane times
// c.weight, the session's activation of the muscle. inputs: per session of the day, Banister's
// sets x effort (a row of kLanes), size_neural's three (sn_add: 3 rows of kLanes).
struct DayDose {
  const std::uint32_t* row_begin = nullptr;  // n_loaded + 1 offsets into contributions
  const Entry* contributions = nullptr;
  const double* inputs = nullptr;
};

// size_neural (size_neural.hpp): per muscle dose memory, size, fast and slow fatigue; per used
// lift the load-weighted set memory q, the neural state and the set memory.
struct SizeNeural {
  std::size_t n = 0, n_loaded = 0, nu = 0;  // muscles, muscles the program loads, used lifts
  double *dose = nullptr, *size = nullptr, *fast = nullptr, *slow = nullptr;  // n x lanes
  double *q = nullptr, *neural = nullptr, *sets = nullptr;                 // nu x lanes
  double *q_in = nullptr, *sets_in = nullptr;                              // today's inputs, nu x lanes
  const double *start = nullptr, *rate = nullptr;                          // n x lanes
  // Per lane: the athlete's parameters and their per-day constants.
  double e_dose[kLanes], weekly[kLanes], half[kLanes], ceiling[kLanes], inv_tau[kLanes], e_fast[kLanes],
      e_slow[kLanes], fast_max[kLanes], fast_sets[kLanes], slow_max[kLanes], slow_sets[kLanes], beta[kLanes],
      neural_max[kLanes], inv_neural_max[kLanes], neural_half[kLanes], k_up[kLanes], k_down[kLanes];
  // Per lane, how a set counts (SizeNeuralParams: size_rir_zero, size_full_reps, slow_rir, load_full);
  // the neural load weight's power as a whole number of quarters shared by every lane
  // (kinetics::whole_quarters), or -1 (each lane's own load_power, by pow).
  double rir_zero[kLanes], full_reps[kLanes], slow_rir[kLanes], load_full[kLanes], load_power[kLanes];
  int quarters = -1;
};

// One lift's 1RM reading for size_neural: its normalised activation entries (muscles) and its
// transfers (used lifts; `weights` is count x lanes, each lane's transfer factor).
struct SizeNeuralLift {
  const Entry* begin;
  const Entry* end;
  const std::uint32_t* used;
  const double* weights;
  std::size_t count;
};

// The kernels of one instruction set. `out`, `sets`, `effort`... are kLanes values.
struct Kernels {
  const char* isa;
  // Banister. `morning`: read the state a day of rest later (the capacity a session meets).
  // to_morning: leave the next morning's products (a training day follows).
  void (*banister_rest)(const Banister&, std::size_t days, bool to_morning);
  void (*banister_lift)(const Banister&, const std::uint32_t* muscles, std::size_t count, bool morning, double* out);
  // The day's end from the morning products and the day's doses; total_dose: n x lanes; dose_sum
  // (n x lanes, or null) gets the day's dose added (sampled trajectories). With to_morning, the
  // state goes on through `rest_days` days of rest to the next training morning's products (the
  // state read once for the day and its rest: banister_rest's operations, in its order).
  void (*banister_end_day)(const Banister&, const DayDose& day, double* total_dose, double* peak, bool to_morning,
                           std::size_t rest_days, double* dose_sum);
  void (*banister_peak)(const Banister&, double* peak);
  void (*banister_capacity)(const Banister&, bool morning, double* out);  // n x lanes
  // size_neural.
  void (*sn_advance)(const SizeNeural&, std::size_t days);
  void (*sn_lift)(const SizeNeural&, const SizeNeuralLift&, double* out);
  // One session of an exercise: its used lift, the planned sets, and the exercise's slow-fatigue
  // factor per lane; its per-set inputs (dose, size and fast fatigue, slow fatigue: sets x weight)
  // into `inputs` (3 x lanes, DayDose), its lift's into q_in and sets_in.
  void (*sn_add)(const SizeNeural&, std::size_t used, const progression::Plans<kLanes>& plans,
                 const double* slow_factor, double* inputs);
  // The day's end from the day's inputs; dose_sum as banister_end_day's.
  void (*sn_end_day)(const SizeNeural&, const DayDose& day, double* total_dose, double* peak, double* dose_sum);
  void (*sn_peak)(const SizeNeural&, double* peak);
  void (*sn_capacity)(const SizeNeural&, double* out);  // n x lanes
  // The progression rules (progression.hpp) across the lanes: one session of one prescription,
  // plan then finish, today's 1RM the starting one x `capacity` (the lift's factor); the session's
  // failures and automatic deloads added to the lanes' counts. `out` holds the session's plans.
  void (*session)(const progression::Prescription&, progression::State<kLanes>&, const progression::Day&,
                  const double* start_one_rm, const double* capacity, const double* body,
                  progression::Plans<kLanes>& out, double* failures, double* auto_deloads);
};

// The kernels compiled for each instruction set (null where this build has none).
namespace baseline { extern const Kernels kernels; }
namespace avx2 { extern const Kernels kernels; }
namespace avx512 { extern const Kernels kernels; }

}  // namespace chainload::lanes
