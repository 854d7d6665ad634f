// Brzycki load-reps relation: fraction of 1RM = (37 - r) / 36 for r in [1, 36] (reps clamped),
// and its inverse r = 37 - 36 f clamped to [0, 36].
#include "catch.hpp"

#include "chainload/load_reps.hpp"

#include <cmath>

using chainload::brzycki_fraction;
using chainload::brzycki_reps;
using chainload_test::Approx;

TEST_CASE("brzycki_fraction at the anchor points", "[load_reps]") {
  CHECK(brzycki_fraction(1) == 1.0);              // (37 - 1) / 36 = 1: exact at one rep
  CHECK(brzycki_fraction(10) == 0.75);            // 27 / 36 = 0.75, equal to Epley there
  CHECK(brzycki_fraction(5) == 32.0 / 36.0);      // 32 / 36 = 0.8889
  CHECK(brzycki_fraction(36) == 1.0 / 36.0);      // the lightest load the relation covers
  CHECK(brzycki_fraction(7.5) == 29.5 / 36.0);    // fractional reps are fine
  // SCIENCE.md 5.1 consistency check: Brzycki gives 75.0 % at a 10RM and 88.9 % at a 5RM.
  CHECK(std::round(brzycki_fraction(10) * 1000) / 10 == Approx(75.0));
  CHECK(std::round(brzycki_fraction(5) * 1000) / 10 == Approx(88.9));
}

TEST_CASE("brzycki_fraction clamps reps to [1, 36]", "[load_reps]") {
  CHECK(brzycki_fraction(0) == 1.0);
  CHECK(brzycki_fraction(-5) == 1.0);
  CHECK(brzycki_fraction(0.5) == 1.0);
  CHECK(brzycki_fraction(37) == 1.0 / 36.0);
  CHECK(brzycki_fraction(100) == 1.0 / 36.0);
}

TEST_CASE("brzycki_reps inverts brzycki_fraction on [1, 36]", "[load_reps]") {
  CHECK(brzycki_reps(1.0) == 1.0);
  CHECK(brzycki_reps(0.75) == 10.0);       // 37 - 36 * 0.75 = 10
  CHECK(brzycki_reps(0.5) == 19.0);        // 37 - 18 = 19
  CHECK(brzycki_reps(1.0 / 36.0) == Approx(36.0));
  for (double r = 1.0; r <= 36.0; r += 0.25) {
    INFO("reps = " << r);
    CHECK(brzycki_reps(brzycki_fraction(r)) == Approx(r).margin(1e-12));
  }
  // And the other way round on the fraction range [1/36, 1].
  for (int i = 1; i <= 36; ++i) {
    const double f = i / 36.0;
    INFO("fraction = " << f);
    CHECK(brzycki_fraction(brzycki_reps(f)) == Approx(f).margin(1e-12));
  }
}

TEST_CASE("brzycki_reps clamps to [0, 36]", "[load_reps]") {
  // Light loads: 37 - 36 f > 36 below f = 1/36, clamped to 36; f <= 0 gives 36; NaN gives 0 (no reps).
  CHECK(brzycki_reps(0.01) == 36.0);
  CHECK(brzycki_reps(0.0) == 36.0);
  CHECK(brzycki_reps(-0.5) == 36.0);
  CHECK(brzycki_reps(std::nan("")) == 0.0);
  // Heavy loads: 37 - 36 f reaches 0 at f = 37/36 and is clamped there.
  CHECK(brzycki_reps(37.0 / 36.0) == 0.0);
  CHECK(brzycki_reps(1.5) == 0.0);
  CHECK(brzycki_reps(2.0) == 0.0);
}
