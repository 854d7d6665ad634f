#pragma once
// The per-day formulas of the adaptation models, written once: the closed loop's models
// (adaptation.cpp), the open-loop kernel and the fit's curves and predictions (fit.cpp) all step
// their state with these (docs/DESIGN.md "Adaptation"). size_neural's own kinetics sit in
// size_neural.hpp, in this namespace.
#include <cmath>

namespace chainload::kinetics {

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

}  // namespace chainload::kinetics
