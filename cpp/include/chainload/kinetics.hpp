#pragma once
// The per-day formulas of the adaptation models, written once: the closed loop's models
// (adaptation.cpp), the open-loop kernel and the fit's curves and predictions (fit.cpp) all step
// their state with these (docs/DESIGN.md "Adaptation"). size_neural's kinetics follow
// (size_neural.hpp describes the model). Plain inline functions of doubles, no Eigen: the batched
// loop's instruction-set kernels (batch_kernels.cpp) include this header alone.
#include "chainload/detail/isa_copy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace chainload::kinetics {
inline namespace CHAINLOAD_ISA_COPY {

// Per-day decay factor of an impulse-response trace with time constant `tau` days.
inline double day_decay(double tau) { return std::exp(-1.0 / tau); }

// One day of an impulse-response trace (Banister's fitness and fatigue, Busso's load memory):
// yesterday's value decays, today's load adds.
inline double trace_step(double trace, double decay, double load) { return trace * decay + load; }

// Banister's performance from its two traces: p0 + k1 fitness - k2 fatigue.
inline double banister_performance(double p0, double k1, double fitness, double k2, double fatigue) {
  return p0 + k1 * fitness - k2 * fatigue;
}

// The saturating model's factor for one day's load w: the room left under the ceiling shrinks
// by exp(-gain w / room) (dS/dw = gain (room - S) / room, integrated exactly over the day).
inline double saturating_factor(double gain, double load, double room) { return std::exp(-gain * load / room); }

// The saturating model's capacity S (stored as S - 1) after one day's load w > 0: it approaches
// the ceiling (room = ceiling - 1) and never passes it, whatever the load.
inline double saturating_step(double s, double room, double gain, double load) {
  return room - (room - s) * saturating_factor(gain, load, room);
}

// size_neural (size_neural.hpp). The per-muscle-day formulas below are templates over the value
// type: `double` in the scalar engine, a GCC vector of lanes in the batched kernels
// (batch_kernels.cpp), the same IEEE operations in the same order either way. `larger` is
// std::max's own definition, which a vector's element-wise `?:` can share.
template <class T>
inline T larger(T a, T b) {
  return a < b ? b : a;
}
// std::min's definition, and std::clamp(x, 0, 1) from the two (the same result for every x, NaN
// and -0 included).
template <class T>
inline T smaller(T a, T b) {
  return b < a ? b : a;
}
template <class T>
inline T clamp01(T x) {
  return smaller(larger(x, T{}), T{} + 1.0);
}
// Weekly-equivalent volume of an exponentially weighted daily memory with per-day decay `decay`.
inline double weekly(double memory, double decay) { return memory * (1.0 - decay) * 7.0; }
// Diminishing returns: x / (x + half), 0 for x <= 0.
inline double saturation(double x, double half) { return x > 0.0 ? x / (x + half) : 0.0; }
// How much a set counts for size (and fast fatigue) by its reps in reserve: 1 at failure, linear to 0.
template <class T>
inline T size_effort(T rir, T rir_zero) {
  return clamp01(1.0 - rir / rir_zero);
}
// How much a set counts for size by the reps done: 0 for a single, linear to 1 at `full` reps.
template <class T>
inline T rep_weight(T reps, T full) {
  return clamp01((reps - 1.0) / (full - 1.0));
}
// r^power for r in [0, 1]. A whole number of quarters up to 4 (the tuned 1.25, 2) by products of
// r, sqrt(r) and sqrt(sqrt(r)), each an IEEE-rounded step and no libm call (the batched loop
// evaluates this per athlete and session: pow was a tenth of its time); any other power by pow.
// whole_quarters(power): the k in power = k / 4 (0 .. 16), or -1 where there is none.
inline int whole_quarters(double power) {
  const double quarters = power * 4.0;
  if (!(quarters >= 0.0 && quarters <= 16.0) || quarters != static_cast<double>(static_cast<int>(quarters)))
    return -1;
  return static_cast<int>(quarters);
}
// r^(k / 4) for k = whole_quarters(power) >= 0; `root` is T's square root.
template <class T, class Root>
inline T quarters_power(T r, int k, Root root) {
  T out = T{} + 1.0;
  for (int i = 0; i < k / 4; ++i) out *= r;
  if (k & 2) out *= root(r);
  if (k & 1) out *= root(root(r));
  return out;
}
inline double quarter_power(double r, double power) {
  const int k = whole_quarters(power);
  return k < 0 ? std::pow(r, power) : quarters_power(r, k, [](double x) { return std::sqrt(x); });
}
// How much a set counts for the neural state by its relative load (fraction of today's 1RM).
inline double load_weight(double fraction, double power, double full) {
  return quarter_power(clamp01(fraction / full), power);
}
// Neural target (times neural_max) of weekly load-weighted sets q among weekly sets p of the lift:
// the sets' mean load weight q / p times the volume saturation p / (p + half). Load grades the
// gain at any volume (LOAD-2, LOAD-3); volume saturates early (VOL-1, VOL-3).
template <class T>
inline T neural_target(T q, T p, T half) {
  return q > T{} ? q / (p + half) : T{};
}
// Neural gains x_u of several practised lifts combine as total = max (1 - prod_u (1 - x_u / max)):
// bounded by max, order-free, one lift alone gives its own gain (total + x - total x / max pairwise).
// `room` starts at 1; each lift multiplies it by (1 - x / max).
inline double neural_room(double room, double x, double inv_max) { return room * (1.0 - x * inv_max); }
// e^x from IEEE additions and products alone, so that a vector of lanes computes it in one pass
// (the batched loop needs it per athlete and session, where libm's scalar exp was a tenth of the
// time). x = k ln2 + r with |r| <= ln2 / 2 (fdlibm's two-part ln2, so k ln2 is exact), e^r by
// its Taylor polynomial of degree 13 (truncation under 1e-17), times 2^k. Within 2 ulp of libm's
// exp (tests/cpp/test_size_neural.cpp); x is held to [-708, 709], so it never underflows to a
// subnormal or overflows (libm: under 3.3e-308, or inf). `pow2(t)` is 2^k, read from the bits of
// t = x log2(e) + 1.5 2^52, whose low mantissa bits hold k (k + 1023, shifted to the exponent).
template <class T, class Pow2>
inline T exp_of(T x, Pow2 pow2) {
  constexpr double kShift = 0x1.8p52, kLog2e = 0x1.71547652b82fep0;
  constexpr double kLn2Hi = 0x1.62e42fee00000p-1, kLn2Lo = 0x1.a39ef35793c76p-33;
  constexpr double c[14] = {1.0,         1.0,           1.0 / 2,        1.0 / 6,         1.0 / 24,
                            1.0 / 120,   1.0 / 720,     1.0 / 5040,     1.0 / 40320,     1.0 / 362880,
                            1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800};
  x = smaller(larger(x, T{} - 708.0), T{} + 709.0);
  const T t = x * kLog2e + kShift;  // round(x log2 e) in the low bits (round to nearest, no FMA)
  const T k = t - kShift;
  const T r = (x - k * kLn2Hi) - k * kLn2Lo;
  T p = T{} + c[13];
  for (int i = 12; i >= 0; --i) p = p * r + c[i];
  return p * pow2(t);
}
// 2^k of exp_of's t, for a double.
inline double exp_pow2(double t) {
  std::int64_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  constexpr double kShift = 0x1.8p52;
  std::int64_t shift_bits;
  std::memcpy(&shift_bits, &kShift, sizeof shift_bits);
  const auto scale_bits = static_cast<std::uint64_t>(bits - shift_bits + 1023) << 52;
  double out;
  std::memcpy(&out, &scale_bits, sizeof out);
  return out;
}
inline double exp_of(double x) { return exp_of(x, exp_pow2); }
// Slow-fatigue weight of a set by proximity to failure; `pow2` as exp_of's.
template <class T, class Pow2>
inline T slow_proximity(T rir, T scale, Pow2 pow2) {
  return exp_of(-larger(rir, T{}) / scale, pow2);
}
inline double slow_proximity(double rir, double scale) { return slow_proximity(rir, scale, exp_pow2); }
// A fatigue compartment after input x: the room left, max - state, shrinks by
// 1 / (1 + y + y^2/2 + y^3/6) with y = x / half (exp(-y)'s Taylor cubic, inverted: monotone, 1 at
// y = 0, within 0.03 of exp(-y) everywhere, no exp call in the session loop); never passes max.
template <class T>
inline T saturate_add(T state, T max, T x, T half) {
  const T y = x / half;
  return max - (max - state) / (1.0 + y * (1.0 + y * (0.5 + y * (1.0 / 6.0))));
}
// A fatigue compartment `hours` later (closed form; a day is 24 h of this).
inline double decay_hours(double state, double hours, double tau_h) { return state * std::exp(-hours / tau_h); }
// One day of size: growth by the saturating weekly dose g with the room left under the ceiling,
// rate (ceiling - s) / (ceiling - 1) g, and decay of the part above the start value.
// `rate_per_room` = rate / (ceiling - 1), precomputed.
template <class T>
inline T size_step(T s, T g, T rate_per_room, T ceiling, T start, T inv_tau_detrain) {
  return s + rate_per_room * g * larger(ceiling - s, T{}) - larger(s - start, T{}) * inv_tau_detrain;
}
// One day of neural state towards its target (approach rate up, or decay rate down: 1 - e^{-1/tau}).
template <class T>
inline T neural_step(T n, T target, T k_up, T k_down) {
  return n + (target - n) * (target > n ? k_up : k_down);
}
// Force capacity of size s.
inline double size_capacity(double s, double beta) { return 1.0 + beta * (s - 1.0); }

}  // namespace CHAINLOAD_ISA_COPY
}  // namespace chainload::kinetics
