// ActivationTable, validate and dose_batch.
//
// The hand-checked table has two exercises on three muscles (glutes, hamstrings, quads):
//   deadlift  0.50  1.00  0.25
//   squat     0.50  0.00  1.00
// Metrics: fractional sets = sets x weight; volume load = sets x reps x kg x weight.
// All weights and loads below are exact binary fractions, so hand results compare exactly.
#include "catch.hpp"

#include "chainload/dose.hpp"
#include "chainload/errors.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

using namespace chainload;
using chainload_test::message_of;

namespace {

enum : std::int32_t { deadlift, squat };
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

RowMatrix two_by_three() {
  RowMatrix dense(2, 3);
  dense << 0.5, 1.0, 0.25,  //
      0.5, 0.0, 1.0;
  return dense;
}

// Owns the parallel arrays that SetBlocks points into.
struct Batch {
  std::vector<std::int32_t> day, exercise;
  std::vector<double> sets, reps, kg;
  std::vector<std::int64_t> offsets{0};

  Batch& add(std::int32_t d, std::int32_t e, double s, double r, double k) {
    day.push_back(d);
    exercise.push_back(e);
    sets.push_back(s);
    reps.push_back(r);
    kg.push_back(k);
    return *this;
  }
  // Closes the current program: the blocks added since the last call belong to it.
  Batch& end_program() {
    offsets.push_back(static_cast<std::int64_t>(day.size()));
    return *this;
  }
  // Appends all programs of `other`.
  Batch& append(const Batch& other) {
    const auto base = static_cast<std::int64_t>(day.size());
    day.insert(day.end(), other.day.begin(), other.day.end());
    exercise.insert(exercise.end(), other.exercise.begin(), other.exercise.end());
    sets.insert(sets.end(), other.sets.begin(), other.sets.end());
    reps.insert(reps.end(), other.reps.begin(), other.reps.end());
    kg.insert(kg.end(), other.kg.begin(), other.kg.end());
    for (std::size_t p = 1; p < other.offsets.size(); ++p) offsets.push_back(base + other.offsets[p]);
    return *this;
  }
  SetBlocks view() const {
    return {day.data(), exercise.data(), sets.data(), reps.data(), kg.data(), day.size(), offsets.data(),
            offsets.size() - 1};
  }
};

struct Dose {
  RowMatrix sets, volume;
};

Dose run(const ActivationTable& table, const Batch& batch, std::int32_t n_days, std::int32_t bucket_days,
         unsigned threads = 1) {
  const auto rows = static_cast<Eigen::Index>(batch.offsets.size() - 1) * bucket_count(n_days, bucket_days);
  const auto cols = static_cast<Eigen::Index>(table.n_muscles());
  // Filled with garbage: dose_batch must overwrite every cell.
  Dose out{RowMatrix::Constant(rows, cols, 99.0), RowMatrix::Constant(rows, cols, 99.0)};
  dose_batch(table, batch.view(), n_days, bucket_days, out.sets, out.volume, threads);
  return out;
}

RowMatrix row(double a, double b, double c) {
  RowMatrix m(1, 3);
  m << a, b, c;
  return m;
}

}  // namespace

TEST_CASE("ActivationTable keeps the non-zero weights per exercise", "[dose]") {
  const ActivationTable table(two_by_three());
  REQUIRE(table.n_exercises() == 2);
  REQUIRE(table.n_muscles() == 3);
  // deadlift: all three muscles; squat: the 0 on hamstrings is dropped.
  REQUIRE(table.end(deadlift) - table.begin(deadlift) == 3);
  CHECK(table.begin(deadlift)[0].muscle == 0);
  CHECK(table.begin(deadlift)[0].weight == 0.5);
  CHECK(table.begin(deadlift)[1].muscle == 1);
  CHECK(table.begin(deadlift)[1].weight == 1.0);
  CHECK(table.begin(deadlift)[2].muscle == 2);
  CHECK(table.begin(deadlift)[2].weight == 0.25);
  REQUIRE(table.end(squat) - table.begin(squat) == 2);
  CHECK(table.begin(squat)[0].muscle == 0);
  CHECK(table.begin(squat)[1].muscle == 2);
  CHECK(table.begin(squat)[1].weight == 1.0);
}

TEST_CASE("ActivationTable rejects weights outside [0, 1]", "[dose][errors]") {
  for (const double bad : {1.5, -0.1, kNaN, kInf, -kInf}) {
    RowMatrix dense = two_by_three();
    dense(1, 2) = bad;
    CHECK_THROWS_AS(ActivationTable(dense), InvalidInput);
  }
  RowMatrix dense = two_by_three();
  dense(1, 2) = 1.5;
  CHECK(message_of([&] { ActivationTable{dense}; }) ==
        "activation weight of exercise 1 on muscle 2 must lie in [0, 1], got 1.500000");
  // The bounds themselves are allowed.
  dense(1, 2) = 1.0;
  dense(0, 0) = 0.0;
  CHECK_NOTHROW(ActivationTable(dense));
}

TEST_CASE("bucket_count covers n_days", "[dose]") {
  CHECK(bucket_count(14, 7) == 2);
  CHECK(bucket_count(15, 7) == 3);
  CHECK(bucket_count(7, 7) == 1);
  CHECK(bucket_count(1, 7) == 1);
  CHECK(bucket_count(10, 1) == 10);
}

TEST_CASE("dose of one deadlift session", "[dose]") {
  // 3 sets x 5 reps at 100 kg on day 0: fractional sets = 3 x weight, volume = 3*5*100 = 1500 x weight.
  const ActivationTable table(two_by_three());
  Batch batch;
  batch.add(0, deadlift, 3, 5, 100).end_program();
  const auto dose = run(table, batch, 7, 7);
  REQUIRE(dose.sets.rows() == 1);
  CHECK(dose.sets == row(3 * 0.5, 3 * 1.0, 3 * 0.25));           // 1.5, 3, 0.75
  CHECK(dose.volume == row(1500 * 0.5, 1500 * 1.0, 1500 * 0.25));  // 750, 1500, 375
}

TEST_CASE("dose sums blocks into buckets", "[dose]") {
  // Squat (weights 0.5, 0, 1) on days 0, 3 and 8, 2 + 1 + 4 sets of 5 at 100 kg.
  const ActivationTable table(two_by_three());
  Batch batch;
  batch.add(0, squat, 2, 5, 100).add(3, squat, 1, 5, 100).add(8, squat, 4, 5, 100).end_program();

  SECTION("weekly: days 0 and 3 land in week 0, day 8 in week 1") {
    const auto dose = run(table, batch, 14, 7);
    REQUIRE(dose.sets.rows() == 2);
    // week 0: 3 sets, 3*5*100 = 1500 kg x reps; week 1: 4 sets, 2000 kg x reps.
    CHECK(dose.sets.row(0) == row(1.5, 0, 3));
    CHECK(dose.volume.row(0) == row(750, 0, 1500));
    CHECK(dose.sets.row(1) == row(2, 0, 4));
    CHECK(dose.volume.row(1) == row(1000, 0, 2000));
  }
  SECTION("a partial last week is a bucket of its own") {
    // 10 days in weeks of 7: buckets [0, 7) and [7, 10).
    const auto dose = run(table, batch, 10, 7);
    REQUIRE(dose.sets.rows() == 2);
    CHECK(dose.sets.row(1) == row(2, 0, 4));
  }
  SECTION("daily: one row per day") {
    const auto dose = run(table, batch, 14, 1);
    REQUIRE(dose.sets.rows() == 14);
    for (Eigen::Index d = 0; d < 14; ++d) {
      INFO("day " << d);
      const double sets = d == 0 ? 2 : d == 3 ? 1 : d == 8 ? 4 : 0;
      CHECK(dose.sets.row(d) == row(sets * 0.5, 0, sets));
      CHECK(dose.volume.row(d) == row(sets * 500 * 0.5, 0, sets * 500));
    }
  }
}

TEST_CASE("dose counts fractional and zero sets", "[dose]") {
  const ActivationTable table(two_by_three());
  Batch batch;
  // 2.5 sets of 4 at 60 kg: 2.5 x weight sets, 2.5*4*60 = 600 x weight volume; the 0-set block adds nothing.
  batch.add(1, deadlift, 2.5, 4, 60).add(2, squat, 0, 10, 100).add(2, squat, 1, 10, 0).end_program();
  const auto dose = run(table, batch, 7, 7);
  // squat 1 x 10 x 0 kg: 1 set x weight, no volume.
  CHECK(dose.sets == row(2.5 * 0.5 + 0.5, 2.5, 2.5 * 0.25 + 1.0));
  CHECK(dose.volume == row(300, 600, 150));
}

TEST_CASE("dose of a batch equals the dose of each program alone", "[dose]") {
  const ActivationTable table(two_by_three());
  Batch a, b, empty;
  a.add(0, deadlift, 3, 5, 100).add(9, squat, 4, 8, 80).end_program();
  b.add(2, squat, 5, 5, 120).add(13, deadlift, 1, 3, 180).add(4, squat, 1, 5, 120).end_program();
  empty.end_program();
  Batch both;
  both.append(a).append(empty).append(b);
  REQUIRE(both.offsets == std::vector<std::int64_t>{0, 2, 2, 5});

  const auto alone_a = run(table, a, 14, 7), alone_b = run(table, b, 14, 7);
  const auto together = run(table, both, 14, 7);
  REQUIRE(together.sets.rows() == 6);
  CHECK(together.sets.topRows(2) == alone_a.sets);
  CHECK(together.volume.topRows(2) == alone_a.volume);
  CHECK(together.sets.middleRows(2, 2).isZero());
  CHECK(together.volume.middleRows(2, 2).isZero());
  CHECK(together.sets.bottomRows(2) == alone_b.sets);
  CHECK(together.volume.bottomRows(2) == alone_b.volume);

  // By hand, program a: week 0 deadlift 3x5x100 (1500); week 1 squat 4x8x80 = 2560.
  CHECK(alone_a.sets.row(0) == row(1.5, 3, 0.75));
  CHECK(alone_a.volume.row(0) == row(750, 1500, 375));
  CHECK(alone_a.sets.row(1) == row(2, 0, 4));
  CHECK(alone_a.volume.row(1) == row(1280, 0, 2560));
  // Program b: week 0 squat 5x5x120 + 1x5x120 = 6 sets, 3600; week 1 deadlift 1x3x180 = 540.
  CHECK(alone_b.sets.row(0) == row(3, 0, 6));
  CHECK(alone_b.volume.row(0) == row(1800, 0, 3600));
  CHECK(alone_b.sets.row(1) == row(0.5, 1, 0.25));
  CHECK(alone_b.volume.row(1) == row(270, 540, 135));
}

TEST_CASE("dose of an empty batch", "[dose]") {
  const ActivationTable table(two_by_three());
  Batch none;  // zero programs: offsets {0}
  const auto dose = run(table, none, 14, 7);
  CHECK(dose.sets.rows() == 0);
  CHECK(dose.volume.rows() == 0);
}

TEST_CASE("dose is the same on 1, 2 or more threads", "[dose]") {
  // 50 random programs (fixed seed) on a random 5 x 6 table; results must be bit-identical
  // whatever the thread count, and match a naive block-by-block reference.
  std::mt19937 rng(20240611u);
  const Eigen::Index n_ex = 5, n_mus = 6;
  const double levels[] = {0.0, 0.0, 0.25, 0.5, 1.0};
  std::uniform_int_distribution<int> level(0, 4);
  RowMatrix dense(n_ex, n_mus);
  for (Eigen::Index e = 0; e < n_ex; ++e)
    for (Eigen::Index m = 0; m < n_mus; ++m) dense(e, m) = levels[level(rng)];
  const ActivationTable table(dense);

  const std::int32_t n_days = 28, bucket_days = 7;
  std::uniform_int_distribution<int> n_blocks(0, 20), sets(1, 5), reps(1, 12), plates(8, 80);
  std::uniform_int_distribution<std::int32_t> day(0, n_days - 1), exercise(0, static_cast<std::int32_t>(n_ex - 1));
  Batch batch;
  for (int p = 0; p < 50; ++p) {
    for (int i = n_blocks(rng); i > 0; --i)
      batch.add(day(rng), exercise(rng), sets(rng), reps(rng), 2.5 * plates(rng));
    batch.end_program();
  }

  const auto one = run(table, batch, n_days, bucket_days, 1);
  for (const unsigned threads : {2u, 3u, 0u, 64u}) {
    INFO("threads = " << threads);
    const auto many = run(table, batch, n_days, bucket_days, threads);
    CHECK(many.sets == one.sets);
    CHECK(many.volume == one.volume);
  }

  // Reference: every block straight onto every muscle.
  const Eigen::Index n_buckets = bucket_count(n_days, bucket_days);
  RowMatrix ref_sets = RowMatrix::Zero(50 * n_buckets, n_mus), ref_volume = ref_sets;
  for (std::size_t p = 0; p + 1 < batch.offsets.size(); ++p)
    for (auto i = static_cast<std::size_t>(batch.offsets[p]); i < static_cast<std::size_t>(batch.offsets[p + 1]); ++i) {
      const Eigen::Index r = static_cast<Eigen::Index>(p) * n_buckets + batch.day[i] / bucket_days;
      for (Eigen::Index m = 0; m < n_mus; ++m) {
        ref_sets(r, m) += batch.sets[i] * dense(batch.exercise[i], m);
        ref_volume(r, m) += batch.sets[i] * batch.reps[i] * batch.kg[i] * dense(batch.exercise[i], m);
      }
    }
  CHECK(one.sets.sum() > 0.0);
  CHECK(one.sets.isApprox(ref_sets, 1e-12));
  CHECK(one.volume.isApprox(ref_volume, 1e-12));
}

TEST_CASE("dose validation rejects bad blocks", "[dose][errors]") {
  const ActivationTable table(two_by_three());
  Batch good;
  good.add(0, deadlift, 3, 5, 100).add(6, squat, 2, 8, 80).end_program();
  CHECK_NOTHROW(validate(good.view(), table, 7));
  CHECK_NOTHROW(run(table, good, 7, 7));

  // Each case breaks block 1 of the good batch.
  auto check_bad = [&](const char* what, auto&& mutate) {
    INFO(what);
    Batch bad = good;
    mutate(bad);
    CHECK_THROWS_AS(validate(bad.view(), table, 7), InvalidInput);
    CHECK_THROWS_AS(run(table, bad, 7, 7), InvalidInput);
    CHECK(message_of([&] { validate(bad.view(), table, 7); }).rfind("block 1: ", 0) == 0);
  };
  check_bad("day -1", [](Batch& b) { b.day[1] = -1; });
  check_bad("day == n_days", [](Batch& b) { b.day[1] = 7; });
  check_bad("exercise -1", [](Batch& b) { b.exercise[1] = -1; });
  check_bad("exercise == n_exercises", [](Batch& b) { b.exercise[1] = 2; });
  check_bad("negative sets", [](Batch& b) { b.sets[1] = -1; });
  check_bad("NaN sets", [](Batch& b) { b.sets[1] = kNaN; });
  check_bad("infinite sets", [](Batch& b) { b.sets[1] = kInf; });
  check_bad("negative reps", [](Batch& b) { b.reps[1] = -0.5; });
  check_bad("NaN reps", [](Batch& b) { b.reps[1] = kNaN; });
  check_bad("negative kg", [](Batch& b) { b.kg[1] = -20; });
  check_bad("NaN kg", [](Batch& b) { b.kg[1] = kNaN; });
  check_bad("infinite kg", [](Batch& b) { b.kg[1] = kInf; });
  check_bad("infinite sets at 0 kg", [](Batch& b) {
    b.sets[1] = kInf;
    b.kg[1] = 0;
  });
  CHECK(message_of([&] {
          Batch bad = good;
          bad.day[1] = 7;
          validate(bad.view(), table, 7);
        }) == "block 1: day 7 outside [0, 7)");
}

TEST_CASE("dose validation rejects bad offsets and sizes", "[dose][errors]") {
  const ActivationTable table(two_by_three());
  Batch good;
  good.add(0, deadlift, 3, 5, 100).add(1, squat, 2, 8, 80).add(2, squat, 1, 8, 80).end_program();
  auto check_bad = [&](const char* what, std::vector<std::int64_t> offsets) {
    INFO(what);
    Batch bad = good;
    bad.offsets = std::move(offsets);
    CHECK_THROWS_AS(validate(bad.view(), table, 7), InvalidInput);
    CHECK_THROWS_AS(run(table, bad, 7, 7), InvalidInput);
  };
  check_bad("first offset not 0", {1, 3});
  check_bad("last offset short of the block count", {0, 2});
  check_bad("last offset past the block count", {0, 4});
  check_bad("decreasing offsets", {0, 2, 1, 3});
  check_bad("negative offset", {0, -1, 3});
  CHECK_NOTHROW(validate(Batch(good).view(), table, 7));

  // n_days and bucket_days must be positive.
  CHECK_THROWS_AS(validate(good.view(), table, 0), InvalidInput);
  CHECK_THROWS_AS(run(table, good, 0, 7), InvalidInput);
  RowMatrix s(1, 3), v(1, 3);
  CHECK_THROWS_AS(dose_batch(table, good.view(), 7, 0, s, v, 1), InvalidInput);
  CHECK_THROWS_AS(dose_batch(table, good.view(), 7, -7, s, v, 1), InvalidInput);
}

TEST_CASE("dose rejects output arrays of the wrong shape", "[dose][errors]") {
  const ActivationTable table(two_by_three());
  Batch batch;
  batch.add(0, deadlift, 3, 5, 100).end_program().add(8, squat, 1, 5, 100).end_program();
  // 2 programs x 2 weekly buckets = 4 rows, 3 muscles.
  RowMatrix ok(4, 3), ok2(4, 3), few_rows(3, 3), few_cols(4, 2), many_cols(4, 4);
  CHECK_NOTHROW(dose_batch(table, batch.view(), 14, 7, ok, ok2, 1));
  CHECK_THROWS_AS(dose_batch(table, batch.view(), 14, 7, few_rows, ok2, 1), InvalidInput);
  CHECK_THROWS_AS(dose_batch(table, batch.view(), 14, 7, ok, few_rows, 1), InvalidInput);
  CHECK_THROWS_AS(dose_batch(table, batch.view(), 14, 7, few_cols, ok2, 1), InvalidInput);
  CHECK_THROWS_AS(dose_batch(table, batch.view(), 14, 7, ok, many_cols, 1), InvalidInput);
  // Daily buckets need 2 x 14 rows.
  CHECK_THROWS_AS(dose_batch(table, batch.view(), 14, 1, ok, ok2, 1), InvalidInput);
}

TEST_CASE("dose_balance_batch: the dose of dose_batch and hand ratios of per-exercise sums", "[dose][balance]") {
  const ActivationTable table(two_by_three());
  // One ratio column: numerator coefficient deadlift 0.75, squat 0.25; denominator 0.25, 0.5.
  RowMatrix num(2, 1), den(2, 1);
  num << 0.75, 0.25;
  den << 0.25, 0.5;
  Batch batch;
  // week 1: deadlift 4 sets + squat 2 sets -> (4 x 0.75 + 2 x 0.25) / (4 x 0.25 + 2 x 0.5) = 3.5 / 2 = 1.75
  // week 2: nothing -> 0 / 0 = NaN; week 3: deadlift 2 sets -> 1.5 / 0.5 = 3
  batch.add(0, deadlift, 4, 5, 100).add(3, squat, 2, 8, 80).add(15, deadlift, 2, 5, 100).end_program();
  // a second program, squat only with a zero numerator: 0 / (1 x 0.5) = 0, and 1 / 0 = inf
  RowMatrix num2 = num;
  batch.add(1, squat, 1, 5, 60).end_program();
  const std::int32_t n_days = 21, bucket = 7;
  const auto rows = static_cast<Eigen::Index>(2 * bucket_count(n_days, bucket));
  RowMatrix sets = RowMatrix::Constant(rows, 3, kNaN), volume = RowMatrix::Constant(rows, 3, kNaN);
  RowMatrix ratio = RowMatrix::Constant(rows, 1, -1.0);
  dose_balance_batch(table, num, den, batch.view(), n_days, bucket, sets, volume, ratio, 2);
  const Dose plain = run(table, batch, n_days, bucket);
  CHECK(sets == plain.sets);
  CHECK(volume == plain.volume);
  CHECK(ratio(0, 0) == 1.75);
  CHECK(std::isnan(ratio(1, 0)));
  CHECK(ratio(2, 0) == 3.0);
  CHECK(ratio(3, 0) == 0.5);  // squat 1 set: 0.25 / 0.5
  CHECK(std::isnan(ratio(4, 0)));
  CHECK(std::isnan(ratio(5, 0)));
  // x / 0 = +inf: a denominator without the squat
  RowMatrix den_no_squat(2, 1);
  den_no_squat << 0.25, 0.0;
  dose_balance_batch(table, num2, den_no_squat, batch.view(), n_days, bucket, sets, volume, ratio, 1);
  CHECK(ratio(3, 0) == kInf);

  RowMatrix bad = num;
  bad(1, 0) = -1.0;
  CHECK_THROWS_AS(dose_balance_batch(table, bad, den, batch.view(), n_days, bucket, sets, volume, ratio, 1),
                  InvalidInput);
  CHECK(message_of([&] { dose_balance_batch(table, bad, den, batch.view(), n_days, bucket, sets, volume, ratio, 1); })
            .find("ratio coefficients of exercise 1, column 0 must be finite and >= 0") != std::string::npos);
  RowMatrix wrong(rows, 2);
  CHECK_THROWS_AS(dose_balance_batch(table, num, den, batch.view(), n_days, bucket, sets, volume, wrong, 1),
                  InvalidInput);
}
