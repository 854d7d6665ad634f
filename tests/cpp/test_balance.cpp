// Volume-weighted posterior:anterior, region and antagonist-group ratios, worked out by hand on the
// six-muscle graph of sample_graph.hpp: glutes 0.05, hamstrings 0.03, lats 0.04 posterior;
// quads 0.05, hip_flexors 0.01 anterior; obliques (lateral, core, 0.02) given posterior share 0.5.
// Each side's stimulus is sum(share x size x dose) / sum(share x size) (docs/balance.md).
#include "catch.hpp"
#include "sample_graph.hpp"

#include "chainload/balance.hpp"
#include "chainload/errors.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace chainload;
using namespace chainload_test;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::vector<double> kShares{1.0, 1.0, 0.0, 0.0, 1.0, 0.5};
}  // namespace

TEST_CASE("ratio conventions", "[balance]") {
  CHECK(ratio(3.0, 1.5) == 2.0);
  CHECK(ratio(0.0, 2.0) == 0.0);
  CHECK(ratio(3.0, 0.0) == kInf);  // x / 0 = +inf for x > 0
  CHECK(ratio(1e-300, 0.0) == kInf);
  CHECK(std::isnan(ratio(0.0, 0.0)));  // 0 / 0 = NaN
}

TEST_CASE("BalanceSpec weights from the graph", "[balance]") {
  const auto spec = BalanceSpec::from_graph(make_graph(), kShares);
  CHECK(spec.columns() == std::vector<std::string>{"posterior_anterior", "posterior_anterior_upper",
                                                   "posterior_anterior_lower", "posterior_anterior_trunk", "hip",
                                                   "knee"});
  // Whole body: posterior weight 0.05 + 0.03 + 0.04 + 0.5 x 0.02 = 0.13; anterior 0.05 + 0.01 + 0.01 = 0.07.
  CHECK(spec.num(0, glutes) == Approx(0.05 / 0.13));
  CHECK(spec.num(0, obliques) == Approx(0.01 / 0.13));
  CHECK(spec.den(0, quads) == Approx(0.05 / 0.07));
  CHECK(spec.den(0, obliques) == Approx(0.01 / 0.07));
  CHECK(spec.num.row(0).sum() == Approx(1.0));
  // Upper region: lats alone posterior, no anterior muscle -> the column is empty (NaN always).
  CHECK(spec.num.row(1).sum() == 0.0);
  CHECK(spec.den.row(1).sum() == 0.0);
  // Trunk: obliques on both sides with weight 1 each.
  CHECK(spec.num(3, obliques) == Approx(1.0));
  CHECK(spec.den(3, obliques) == Approx(1.0));
  // hip group: a-side {glutes, hamstrings} (sizes 0.05, 0.03), b-side {hip_flexors}; the twice-listed
  // hip_flexors counts once.
  CHECK(spec.num(4, glutes) == Approx(0.625));
  CHECK(spec.num(4, hamstrings) == Approx(0.375));
  CHECK(spec.den(4, hip_flexors) == Approx(1.0));
}

TEST_CASE("balance ratios of hand-made dose rows", "[balance]") {
  const auto spec = BalanceSpec::from_graph(make_graph(), kShares);
  RowMatrix dose(5, 6);
  //       glutes hams quads hipfl lats obliques
  dose << 8, 4, 6, 2, 4, 0,  //
      3, 3, 3, 3, 3, 3,      // the same dose everywhere: every ratio is exactly 1
      1, 0, 0, 0, 0, 0,      // posterior only
      0, 0, 0, 0, 0, 10,     // obliques only: split evenly
      0, 0, 0, 0, 0, 0;      // nothing
  RowMatrix out(5, 6);
  balance(spec, dose, out);

  // Row 0: P = (0.05 x 8 + 0.03 x 4 + 0.04 x 4) / 0.13 = 0.68 / 0.13 = 5.2308;
  // A = (0.05 x 6 + 0.01 x 2) / 0.07 = 0.32 / 0.07 = 4.5714; P / A = 0.68 x 0.07 / (0.13 x 0.32) = 1.1442.
  CHECK(out(0, 0) == Approx(0.68 * 0.07 / (0.13 * 0.32)));
  CHECK(std::isnan(out(0, 1)));  // upper: no anterior muscle in the region
  // lower: P = (0.4 + 0.12) / 0.08 = 6.5, A = 0.32 / 0.06 = 5.333 -> 1.21875.
  CHECK(out(0, 2) == Approx(6.5 / (0.32 / 0.06)));
  CHECK(std::isnan(out(0, 3)));  // trunk: 0 / 0
  // hip: (0.05 x 8 + 0.03 x 4) / 0.08 = 6.5 over hip_flexors 2 -> 3.25; knee: hamstrings 4 / quads 6.
  CHECK(out(0, 4) == Approx(3.25));
  CHECK(out(0, 5) == Approx(4.0 / 6.0));
  // Row 1: equal dose on every muscle -> every defined ratio 1.
  for (Eigen::Index c : {0, 2, 3, 4, 5}) CHECK(out(1, c) == Approx(1.0));
  // Row 2: glutes only -> +inf overall, lower and hip; knee 0 / 0.
  CHECK(out(2, 0) == kInf);
  CHECK(out(2, 2) == kInf);
  CHECK(out(2, 4) == kInf);
  CHECK(std::isnan(out(2, 5)));
  // Row 3: obliques only -> P = 0.01 x 10 / 0.13, A = 0.01 x 10 / 0.07 -> 0.07 / 0.13; trunk 1.
  CHECK(out(3, 0) == Approx(0.07 / 0.13));
  CHECK(out(3, 3) == Approx(1.0));
  // Row 4: every ratio 0 / 0 = NaN.
  for (Eigen::Index c = 0; c < 6; ++c) CHECK(std::isnan(out(4, c)));
}

TEST_CASE("splitting a muscle leaves every ratio unchanged", "[balance]") {
  // The sample graph with quads cut into two heads of 0.03 + 0.02 sharing the same dose.
  MuscleGraph split;
  split.add_muscle({"glutes", "", Chain::posterior, Region::lower, 0.05});
  split.add_muscle({"hamstrings", "", Chain::posterior, Region::lower, 0.03});
  split.add_muscle({"vl", "", Chain::anterior, Region::lower, 0.03});
  split.add_muscle({"hip_flexors", "", Chain::anterior, Region::lower, 0.01});
  split.add_muscle({"lats", "", Chain::posterior, Region::upper, 0.04});
  split.add_muscle({"obliques", "", Chain::lateral, Region::core, 0.02});
  split.add_muscle({"vm", "", Chain::anterior, Region::lower, 0.02});
  split.add_link("glutes", "hip_flexors", LinkType::antagonist, 1.0, "hip");
  split.add_link("hamstrings", "vl", LinkType::antagonist, 1.0, "knee");
  split.add_link("hamstrings", "vm", LinkType::antagonist, 1.0, "knee");
  split.add_link("hamstrings", "hip_flexors", LinkType::antagonist, 1.0, "hip");
  std::vector<double> shares = kShares;
  shares.push_back(0.0);
  const auto whole = BalanceSpec::from_graph(make_graph(), kShares);
  const auto parts = BalanceSpec::from_graph(split, shares);
  REQUIRE(parts.columns() == whole.columns());
  RowMatrix d6(1, 6), d7(1, 7);
  d6 << 8, 4, 6, 2, 4, 5;
  d7 << 8, 4, 6, 2, 4, 5, 6;
  RowMatrix o6(1, 6), o7(1, 6);
  balance(whole, d6, o6);
  balance(parts, d7, o7);
  for (Eigen::Index c : {0, 2, 4, 5}) CHECK(o7(0, c) == Approx(o6(0, c)).epsilon(1e-12));
}

TEST_CASE("balance rejects bad shares and arrays of the wrong shape", "[balance][errors]") {
  CHECK_THROWS_AS(BalanceSpec::from_graph(make_graph()), InvalidInput);  // obliques is lateral
  CHECK_THROWS_AS(BalanceSpec::from_graph(make_graph(), {1, 1, 0, 0, 1}), InvalidInput);
  CHECK_THROWS_AS(BalanceSpec::from_graph(make_graph(), {1, 1, 0, 0, 1, 1.5}), InvalidInput);
  CHECK_THROWS_AS(BalanceSpec::from_graph(make_graph(), {1, 1, 0, 0, 1, std::nan("")}), InvalidInput);
  const auto spec = BalanceSpec::from_graph(make_graph(), kShares);
  RowMatrix dose = RowMatrix::Ones(2, 6), five_muscles = RowMatrix::Ones(2, 5);
  RowMatrix ok(2, 6), few_rows(1, 6), few_cols(2, 3), many_cols(2, 7);
  CHECK_NOTHROW(balance(spec, dose, ok));
  CHECK_THROWS_AS(balance(spec, five_muscles, ok), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, few_rows), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, few_cols), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, many_cols), InvalidInput);
}
