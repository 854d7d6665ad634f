#pragma once
// The six-muscle graph that test_graph.cpp and test_balance.cpp work out by hand.
//
//   index  id           chain      region  size
//   0      glutes       posterior  lower   0.05
//   1      hamstrings   posterior  lower   0.03
//   2      quads        anterior   lower   0.05
//   3      hip_flexors  anterior   lower   0.01
//   4      lats         posterior  upper   0.04
//   5      obliques     lateral    core    0.02
//
//   synergist links (cost 1/weight):           antagonist links (group):
//     glutes-hamstrings   1.00  (cost 1)         glutes-hip_flexors      hip
//     hamstrings-lats     1.00  (cost 1)         hamstrings-quads        knee
//     glutes-lats         0.25  (cost 4)         hamstrings-hip_flexors  hip
//     quads-hip_flexors   0.50  (cost 2)
//
// Synergist components: {glutes, hamstrings, lats}, {quads, hip_flexors}, {obliques}.
#include "chainload/muscle_graph.hpp"

#include <cstddef>

namespace chainload_test {

enum : std::size_t { glutes, hamstrings, quads, hip_flexors, lats, obliques };

inline chainload::MuscleGraph make_graph(double glutes_lats_weight = 0.25) {
  using chainload::Chain;
  using chainload::LinkType;
  using chainload::Region;
  chainload::MuscleGraph g;
  g.add_muscle({"glutes", "Gluteus maximus", Chain::posterior, Region::lower, 0.05});
  g.add_muscle({"hamstrings", "Hamstrings", Chain::posterior, Region::lower, 0.03});
  g.add_muscle({"quads", "Quadriceps", Chain::anterior, Region::lower, 0.05});
  g.add_muscle({"hip_flexors", "Hip flexors", Chain::anterior, Region::lower, 0.01});
  g.add_muscle({"lats", "Latissimus dorsi", Chain::posterior, Region::upper, 0.04});
  g.add_muscle({"obliques", "Obliques", Chain::lateral, Region::core, 0.02});
  g.add_link("glutes", "hamstrings", LinkType::synergist, 1.0, "hip_extension");
  g.add_link("hamstrings", "lats", LinkType::synergist, 1.0, "posterior_sling");
  g.add_link("glutes", "lats", LinkType::synergist, glutes_lats_weight, "posterior_sling");
  g.add_link("quads", "hip_flexors", LinkType::synergist, 0.5, "hip_flexion");
  g.add_link("glutes", "hip_flexors", LinkType::antagonist, 1.0, "hip");
  g.add_link("hamstrings", "quads", LinkType::antagonist, 1.0, "knee");
  g.add_link("hamstrings", "hip_flexors", LinkType::antagonist, 1.0, "hip");
  return g;
}

}  // namespace chainload_test
