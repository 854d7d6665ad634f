// Brzycki load-reps relation: fraction of 1RM = (37 - r) / 36 for r in [1, 36] (reps clamped),
// and its inverse r = 37 - 36 f clamped to [0, 36].
#include "catch.hpp"

#include "chainload/load_reps.hpp"

#include <cmath>
#include <cstdint>

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

// The batched kernels' divide_by_constant (AVX2 / AVX-512, with FMA): q = x inv, then
// q + (x - q c) inv by two fused multiply-adds must round as x / c does, on the ranges its callers
// divide (brzycki_fraction: 37 - r over 36 for r in [1, 36]; effort_weight: 10 - rir over 6 for
// rir in [0, 36]). This build has no FMA instructions, so the formula is checked here with
// std::fma (exact by definition, in hardware or software): every multiple of 2^-16 in the range,
// the range's ends and integers, and 10^6 random dividends with random mantissas per divisor. The
// batched-vs-scalar tests then check the kernels themselves bit for bit on every shipped program.
TEST_CASE("Markstein's quotient equals division on the constant divisions' ranges", "[load_reps]") {
  struct Case {
    double c, low, high;
  };
  for (const Case& k : {Case{36.0, 1.0, 36.0}, Case{6.0, -26.0, 10.0}}) {
    const double inv = 1.0 / k.c;
    auto markstein = [&](double x) {
      const double q = x * inv;
      return std::fma(std::fma(-q, k.c, x), inv, q);
    };
    std::size_t mismatches = 0, checked = 0, product_mismatches = 0;
    auto check = [&](double x) {
      ++checked;
      if (markstein(x) != x / k.c) ++mismatches;
      if (x * inv != x / k.c) ++product_mismatches;  // what the correction step is for
    };
    for (double x = k.low; x <= k.high; x += 0x1p-16) check(x);
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;  // splitmix64: a fixed, portable sequence
    auto next = [&state]() {
      std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    for (int i = 0; i < 1000000; ++i) {
      const double u = static_cast<double>(next() >> 11) * 0x1p-53;  // [0, 1), every mantissa bit random
      check(k.low + u * (k.high - k.low));
    }
    CHECK(checked > 3000000);
    CHECK(mismatches == 0);
    CHECK(product_mismatches > 100000);  // the multiply alone is wrong often: the check can fail
  }
}
