// Posterior:anterior and antagonist-group ratios, worked out by hand on the six-muscle graph of
// sample_graph.hpp (posterior: glutes, hamstrings, lats, sizes 0.05 + 0.03 + 0.04 = 0.12;
// anterior: quads, hip_flexors, 0.05 + 0.01 = 0.06; obliques is lateral and in neither chain).
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
}

TEST_CASE("ratio conventions", "[balance]") {
  CHECK(ratio(3.0, 1.5) == 2.0);
  CHECK(ratio(0.0, 2.0) == 0.0);
  CHECK(ratio(3.0, 0.0) == kInf);     // x / 0 = +inf for x > 0
  CHECK(ratio(1e-300, 0.0) == kInf);
  CHECK(std::isnan(ratio(0.0, 0.0)));  // 0 / 0 = NaN
}

TEST_CASE("BalanceSpec from the graph", "[balance]") {
  const auto spec = BalanceSpec::from_graph(make_graph());
  CHECK(spec.posterior == std::vector<std::size_t>{glutes, hamstrings, lats});
  CHECK(spec.anterior == std::vector<std::size_t>{quads, hip_flexors});
  CHECK(spec.size == std::vector<double>{0.05, 0.03, 0.05, 0.01, 0.04, 0.02});
  REQUIRE(spec.groups.size() == 2);
  CHECK(spec.groups[0].name == "hip");
  CHECK(spec.groups[1].name == "knee");
  CHECK(spec.columns() == std::vector<std::string>{"posterior_anterior", "posterior_anterior_per_size", "hip", "knee"});
  CHECK(BalanceSpec{}.columns() == std::vector<std::string>{"posterior_anterior", "posterior_anterior_per_size"});
}

TEST_CASE("balance ratios of hand-made dose rows", "[balance]") {
  const auto spec = BalanceSpec::from_graph(make_graph());
  RowMatrix dose(6, 6);
  //       glutes hams quads hipfl lats obliques
  dose << 8, 4, 6, 2, 4, 10,  //
      8, 4, 6, 2, 4, 1000,    // row 0 with far more obliques: lateral muscles do not count
      3, 3, 2, 2, 0, 0,       //
      1, 0, 0, 0, 0, 0,       // posterior only
      0, 0, 3, 0, 0, 0,       // anterior only
      0, 0, 0, 0, 0, 0;       // nothing
  RowMatrix out(6, 4);
  balance(spec, dose, out);

  // Row 0: posterior 8 + 4 + 4 = 16, anterior 6 + 2 = 8: raw 16 / 8 = 2.
  // Per size: (16 / 0.12) / (8 / 0.06) = 133.3 / 133.3 = 1 (twice the dose on twice the muscle).
  // hip: (glutes + hamstrings) / hip_flexors = 12 / 2 = 6; knee: hamstrings / quads = 4 / 6.
  CHECK(out(0, 0) == Approx(2.0));
  CHECK(out(0, 1) == Approx(1.0));
  CHECK(out(0, 2) == Approx(6.0));
  CHECK(out(0, 3) == Approx(4.0 / 6.0));
  CHECK(out.row(1) == out.row(0));
  // Row 2: posterior 3 + 3 + 0 = 6, anterior 2 + 2 = 4: raw 1.5; per size (6 / 0.12) / (4 / 0.06)
  // = 50 / 66.7 = 0.75; hip (3 + 3) / 2 = 3; knee 3 / 2 = 1.5.
  CHECK(out(2, 0) == Approx(1.5));
  CHECK(out(2, 1) == Approx(0.75));
  CHECK(out(2, 2) == Approx(3.0));
  CHECK(out(2, 3) == Approx(1.5));
  // Row 3: 1 / 0 = +inf for both chain ratios and hip; knee 0 / 0 = NaN.
  CHECK(out(3, 0) == kInf);
  CHECK(out(3, 1) == kInf);
  CHECK(out(3, 2) == kInf);
  CHECK(std::isnan(out(3, 3)));
  // Row 4: 0 / 3 = 0; hip 0 / 0 = NaN; knee 0 / 3 = 0.
  CHECK(out(4, 0) == 0.0);
  CHECK(out(4, 1) == 0.0);
  CHECK(std::isnan(out(4, 2)));
  CHECK(out(4, 3) == 0.0);
  // Row 5: every ratio 0 / 0 = NaN.
  for (Eigen::Index c = 0; c < 4; ++c) CHECK(std::isnan(out(5, c)));
}

TEST_CASE("balance with a hand-made spec", "[balance]") {
  // Three muscles: posterior {0} of size 2, anterior {1, 2} of sizes 1 and 3; group "ab" = 0 over 1.
  BalanceSpec spec;
  spec.posterior = {0};
  spec.anterior = {1, 2};
  spec.size = {2.0, 1.0, 3.0};
  spec.groups = {AntagonistGroup{"ab", {0}, {1}}};
  CHECK(spec.columns() == std::vector<std::string>{"posterior_anterior", "posterior_anterior_per_size", "ab"});
  RowMatrix dose(1, 3);
  dose << 6, 1, 2;
  RowMatrix out(1, 3);
  balance(spec, dose, out);
  // Raw 6 / (1 + 2) = 2. Per size (6 / 2) / (3 / (1 + 3)) = 3 / 0.75 = 4. ab: 6 / 1 = 6.
  CHECK(out(0, 0) == 2.0);
  CHECK(out(0, 1) == 4.0);
  CHECK(out(0, 2) == 6.0);
}

TEST_CASE("balance rejects arrays of the wrong shape", "[balance][errors]") {
  const auto spec = BalanceSpec::from_graph(make_graph());
  RowMatrix dose = RowMatrix::Ones(2, 6), five_muscles = RowMatrix::Ones(2, 5);
  RowMatrix ok(2, 4), few_rows(1, 4), few_cols(2, 3), many_cols(2, 5);
  CHECK_NOTHROW(balance(spec, dose, ok));
  CHECK_THROWS_AS(balance(spec, five_muscles, ok), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, few_rows), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, few_cols), InvalidInput);
  CHECK_THROWS_AS(balance(spec, dose, many_cols), InvalidInput);
}
