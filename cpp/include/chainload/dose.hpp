#pragma once
// Per-muscle training dose: a program flattened to set blocks becomes a (time bucket x muscle)
// load matrix. Metrics and units:
//   fractional sets  [sets]        a set counts on each muscle by its activation weight (Schoenfeld's
//                                  "secondary = 0.5" counting convention, DESIGN.md "Dose");
//   volume load      [kg x reps]   sets x reps x kg x activation weight.
#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace chainload {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixRef = Eigen::Ref<RowMatrix>;
using ConstRowMatrixRef = Eigen::Ref<const RowMatrix>;

// Activation weights of each exercise on each muscle, kept sparse by exercise: a compound lift
// loads a handful of the graph's muscles, and the dose loop touches only those.
class ActivationTable {
 public:
  struct Entry {
    std::int32_t muscle;
    double weight;
  };
  // dense: exercises x muscles, each weight finite and in [0, 1].
  explicit ActivationTable(const ConstRowMatrixRef& dense);

  std::size_t n_exercises() const { return offsets_.size() - 1; }
  std::size_t n_muscles() const { return n_muscles_; }
  const Entry* begin(std::size_t exercise) const { return entries_.data() + offsets_[exercise]; }
  const Entry* end(std::size_t exercise) const { return entries_.data() + offsets_[exercise + 1]; }

 private:
  std::vector<std::size_t> offsets_;
  std::vector<Entry> entries_;
  std::size_t n_muscles_;
};

// A batch of programs flattened into set blocks, as parallel arrays of length `size`. Block i is
// `sets` sets of `reps` reps at `kg` of exercise `exercise` on day `day` (day 0 = Monday of week 1).
// Program p owns blocks offsets[p] .. offsets[p+1]-1.
struct SetBlocks {
  const std::int32_t* day;
  const std::int32_t* exercise;
  const double* sets;
  const double* reps;
  const double* kg;
  std::size_t size;
  const std::int64_t* offsets;
  std::size_t n_programs;
};

// Checks every block (indices in range, finite non-negative numbers) and the offsets; throws
// InvalidInput naming the first bad block.
void validate(const SetBlocks& blocks, const ActivationTable& activation, std::int32_t n_days);

// Dose of every program summed over buckets of `bucket_days` days (1 = daily, 7 = weekly).
// out_sets and out_volume: (n_programs * n_buckets) x n_muscles, row p * n_buckets + b; they are
// overwritten. Programs are split across `threads` threads (0 = all cores). Touches no Python.
void dose_batch(const ActivationTable& activation, const SetBlocks& blocks, std::int32_t n_days,
                std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume, unsigned threads);
// dose_batch, and in the same pass a ratio of two per-exercise sums for every bucket and column c:
//   out_ratio(row, c) = sum_e sets_e num_coef(e, c) / sum_e sets_e den_coef(e, c)
// (x / 0 = +inf for x > 0, 0 / 0 = NaN). With num_coef(e, c) = sum_m num(c, m) share(e, m), the
// per-set volume share of exercise e on column c's numerator muscles (chains.ChainSpec.
// exercise_weights), this is every balance ratio of docs/balance.md without forming the stimulus.
// num_coef, den_coef: exercises x columns, finite and >= 0; out_ratio: rows x columns.
void dose_balance_batch(const ActivationTable& activation, const ConstRowMatrixRef& num_coef,
                        const ConstRowMatrixRef& den_coef, const SetBlocks& blocks, std::int32_t n_days,
                        std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume,
                        RowMatrixRef out_ratio, unsigned threads);

// Number of buckets of `bucket_days` days that cover `n_days` days, in 64-bit arithmetic (in 32
// bits n_days + bucket_days - 1 overflows for bucket_days near 2^31).
inline std::int64_t bucket_count(std::int32_t n_days, std::int32_t bucket_days) {
  return (static_cast<std::int64_t>(n_days) + bucket_days - 1) / bucket_days;
}

// Rows of dose_batch's outputs (n_programs * n_buckets) after checking n_days > 0,
// bucket_days > 0, the products in 64 bits, and the outputs plus scratch against the memory
// budget; throws InvalidInput or ResourceError before anything is allocated.
std::size_t dose_rows(std::size_t n_programs, std::size_t n_muscles, std::int32_t n_days, std::int32_t bucket_days);

}  // namespace chainload

#include "chainload/detail/parallel.hpp"
