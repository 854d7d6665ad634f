#include "chainload/dose.hpp"

#include "chainload/errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace chainload {

ActivationTable::ActivationTable(const ConstRowMatrixRef& dense) : n_muscles_(static_cast<std::size_t>(dense.cols())) {
  offsets_.reserve(static_cast<std::size_t>(dense.rows()) + 1);
  offsets_.push_back(0);
  for (Eigen::Index e = 0; e < dense.rows(); ++e) {
    for (Eigen::Index m = 0; m < dense.cols(); ++m) {
      const double w = dense(e, m);
      if (!std::isfinite(w) || w < 0.0 || w > 1.0)
        throw InvalidInput("activation weight of exercise " + std::to_string(e) + " on muscle " + std::to_string(m) +
                           " must lie in [0, 1], got " + std::to_string(w));
      if (w > 0.0) entries_.push_back({static_cast<std::int32_t>(m), w});
    }
    offsets_.push_back(entries_.size());
  }
}

void validate_offsets(const SetBlocks& b, std::int32_t n_days) {
  if (n_days <= 0) throw InvalidInput("n_days must be > 0, got " + std::to_string(n_days));
  if (b.offsets[0] != 0 || static_cast<std::size_t>(b.offsets[b.n_programs]) != b.size)
    throw InvalidInput("offsets must start at 0 and end at the number of blocks");
  for (std::size_t p = 0; p < b.n_programs; ++p)
    if (b.offsets[p + 1] < b.offsets[p]) throw InvalidInput("offsets must not decrease (program " + std::to_string(p) + ")");
}

std::size_t dose_rows(std::size_t n_programs, std::size_t n_muscles, std::int32_t n_days, std::int32_t bucket_days) {
  if (n_days <= 0) throw InvalidInput("n_days must be > 0, got " + std::to_string(n_days));
  if (bucket_days <= 0) throw InvalidInput("bucket_days must be > 0, got " + std::to_string(bucket_days));
  const auto n_buckets = static_cast<std::uint64_t>(bucket_count(n_days, bucket_days));
  const std::uint64_t rows = checked_mul(n_programs, n_buckets, "programs x buckets");
  const std::uint64_t cells = checked_mul(rows, std::max<std::uint64_t>(n_muscles, 1), "dose rows x muscles");
  // Two output matrices of doubles, the day -> bucket table, per-thread scratch of one bucket row.
  const std::uint64_t bytes = checked_mul(cells, 16, "dose output bytes") +
                              checked_mul(static_cast<std::uint64_t>(n_days), 8, "day table bytes");
  require_memory(bytes, "dose of " + std::to_string(n_programs) + " programs x " + std::to_string(n_buckets) +
                            " buckets x " + std::to_string(n_muscles) + " muscles");
  if (rows > static_cast<std::uint64_t>(PTRDIFF_MAX / 16)) throw InvalidInput("dose output too large to index");
  return static_cast<std::size_t>(rows);
}

namespace {
// The check of one block, cheap enough for the hot loop; the message is built only on failure.
inline bool block_ok(const SetBlocks& b, std::size_t i, std::int64_t n_exercises, std::int32_t n_days) {
  // Written so that NaN fails too.
  return b.day[i] >= 0 && b.day[i] < n_days && b.exercise[i] >= 0 && b.exercise[i] < n_exercises &&
         b.sets[i] >= 0.0 && b.reps[i] >= 0.0 && b.kg[i] >= 0.0 && std::isfinite(b.sets[i] * b.reps[i] * b.kg[i]);
}

[[noreturn]] void bad_block(const SetBlocks& b, std::size_t i, std::int64_t n_exercises, std::int32_t n_days) {
  const std::string where = "block " + std::to_string(i) + ": ";
  if (b.day[i] < 0 || b.day[i] >= n_days)
    throw InvalidInput(where + "day " + std::to_string(b.day[i]) + " outside [0, " + std::to_string(n_days) + ")");
  if (b.exercise[i] < 0 || b.exercise[i] >= n_exercises)
    throw InvalidInput(where + "exercise index " + std::to_string(b.exercise[i]) + " out of range");
  throw InvalidInput(where + "sets, reps and kg must be finite numbers >= 0, got " + std::to_string(b.sets[i]) + ", " +
                     std::to_string(b.reps[i]) + ", " + std::to_string(b.kg[i]));
}
}  // namespace

void validate(const SetBlocks& b, const ActivationTable& activation, std::int32_t n_days) {
  validate_offsets(b, n_days);
  const auto n_exercises = static_cast<std::int64_t>(activation.n_exercises());
  for (std::size_t i = 0; i < b.size; ++i)
    if (!block_ok(b, i, n_exercises, n_days)) bad_block(b, i, n_exercises, n_days);
}

namespace {
// The per-exercise ratio coefficients of dose_balance_batch (none for dose_batch).
struct RatioCoefficients {
  const double* num = nullptr;  // exercises x columns, row-major
  const double* den = nullptr;
  std::size_t n_columns = 0;
  double* out = nullptr;  // rows x columns, row-major (stride out_stride)
  Eigen::Index out_stride = 0;
};

void dose_impl(const ActivationTable& activation, const SetBlocks& blocks, std::int32_t n_days,
               std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume,
               const RatioCoefficients& ratio, unsigned threads) {
  const auto rows = static_cast<Eigen::Index>(dose_rows(blocks.n_programs, activation.n_muscles(), n_days, bucket_days));
  validate_offsets(blocks, n_days);  // blocks are checked inside the threads, as they are read
  const auto n_buckets = static_cast<std::size_t>(bucket_count(n_days, bucket_days));
  const auto n_muscles = static_cast<Eigen::Index>(activation.n_muscles());
  if (out_sets.rows() != rows || out_sets.cols() != n_muscles || out_volume.rows() != rows ||
      out_volume.cols() != n_muscles)
    throw InvalidInput("dose output arrays have the wrong shape");
  const std::size_t n_exercises = activation.n_exercises();
  // Day -> bucket, once: an integer division per block costs more than the block's own work.
  std::vector<std::size_t> bucket_of(static_cast<std::size_t>(n_days));
  for (std::size_t d = 0; d < bucket_of.size(); ++d) bucket_of[d] = d / static_cast<std::size_t>(bucket_days);

  parallel_for(blocks.n_programs, threads, [&](std::size_t first, std::size_t last) {
    // Per-thread scratch, allocated once: totals per (exercise slot, bucket), then one sparse
    // product with the activation rows. Summing per exercise first keeps the muscle loop out of
    // the per-block work.
    std::vector<std::int32_t> slot_of(n_exercises, -1);
    std::vector<std::int32_t> exercise_of;
    std::vector<double> sets_total, volume_total;
    // per bucket: the numerator and denominator sums of every ratio column
    std::vector<double> num_total(n_buckets * ratio.n_columns), den_total(n_buckets * ratio.n_columns);
    exercise_of.reserve(n_exercises);
    for (std::size_t p = first; p < last; ++p) {
      check_cancelled();
      const auto begin = static_cast<std::size_t>(blocks.offsets[p]);
      const auto end = static_cast<std::size_t>(blocks.offsets[p + 1]);
      for (std::size_t i = begin; i < end; ++i) {
        if (!block_ok(blocks, i, static_cast<std::int64_t>(n_exercises), n_days))
          bad_block(blocks, i, static_cast<std::int64_t>(n_exercises), n_days);
        std::int32_t& slot = slot_of[static_cast<std::size_t>(blocks.exercise[i])];
        if (slot < 0) {
          slot = static_cast<std::int32_t>(exercise_of.size());
          exercise_of.push_back(blocks.exercise[i]);
          if (sets_total.size() < exercise_of.size() * n_buckets) {
            sets_total.resize(exercise_of.size() * n_buckets);
            volume_total.resize(exercise_of.size() * n_buckets);
          }
          std::fill_n(sets_total.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(slot) * n_buckets),
                      n_buckets, 0.0);
          std::fill_n(volume_total.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(slot) * n_buckets),
                      n_buckets, 0.0);
        }
        const std::size_t cell =
            static_cast<std::size_t>(slot) * n_buckets + bucket_of[static_cast<std::size_t>(blocks.day[i])];
        sets_total[cell] += blocks.sets[i];
        volume_total[cell] += blocks.sets[i] * blocks.reps[i] * blocks.kg[i];
      }
      auto sets_out = out_sets.middleRows(static_cast<Eigen::Index>(p * n_buckets), static_cast<Eigen::Index>(n_buckets));
      auto volume_out =
          out_volume.middleRows(static_cast<Eigen::Index>(p * n_buckets), static_cast<Eigen::Index>(n_buckets));
      sets_out.setZero();
      volume_out.setZero();
      const std::size_t n_cols = ratio.n_columns;
      std::fill(num_total.begin(), num_total.end(), 0.0);
      std::fill(den_total.begin(), den_total.end(), 0.0);
      for (std::size_t slot = 0; slot < exercise_of.size(); ++slot) {
        const auto exercise = static_cast<std::size_t>(exercise_of[slot]);
        const double* s = &sets_total[slot * n_buckets];
        const double* v = &volume_total[slot * n_buckets];
        const double* num_e = n_cols > 0 ? ratio.num + exercise * n_cols : nullptr;
        const double* den_e = n_cols > 0 ? ratio.den + exercise * n_cols : nullptr;
        for (std::size_t bucket = 0; bucket < n_buckets; ++bucket) {
          if (s[bucket] == 0.0 && v[bucket] == 0.0) continue;
          const auto row = static_cast<Eigen::Index>(bucket);
          for (const auto* a = activation.begin(exercise); a != activation.end(exercise); ++a) {
            sets_out(row, a->muscle) += s[bucket] * a->weight;
            volume_out(row, a->muscle) += v[bucket] * a->weight;
          }
          double* num_b = num_total.data() + bucket * n_cols;
          double* den_b = den_total.data() + bucket * n_cols;
          for (std::size_t c = 0; c < n_cols; ++c) {
            num_b[c] += s[bucket] * num_e[c];
            den_b[c] += s[bucket] * den_e[c];
          }
        }
        slot_of[exercise] = -1;
      }
      exercise_of.clear();
      // The ratios, with the conventions of balance(): sums are >= 0, so IEEE division gives
      // x / 0 = +inf for x > 0 and 0 / 0 = NaN.
      for (std::size_t bucket = 0; bucket < n_buckets && n_cols > 0; ++bucket) {
        double* o = ratio.out + static_cast<Eigen::Index>(p * n_buckets + bucket) * ratio.out_stride;
        for (std::size_t c = 0; c < n_cols; ++c)
          o[c] = num_total[bucket * n_cols + c] / den_total[bucket * n_cols + c];
      }
    }
  });
}

}  // namespace

void dose_batch(const ActivationTable& activation, const SetBlocks& blocks, std::int32_t n_days,
                std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume, unsigned threads) {
  dose_impl(activation, blocks, n_days, bucket_days, out_sets, out_volume, RatioCoefficients{}, threads);
}

void dose_balance_batch(const ActivationTable& activation, const ConstRowMatrixRef& num_coef,
                        const ConstRowMatrixRef& den_coef, const SetBlocks& blocks, std::int32_t n_days,
                        std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume,
                        RowMatrixRef out_ratio, unsigned threads) {
  const auto n_exercises = static_cast<Eigen::Index>(activation.n_exercises());
  if (num_coef.rows() != n_exercises || den_coef.rows() != n_exercises || num_coef.cols() != den_coef.cols())
    throw InvalidInput("ratio coefficients must both be " + std::to_string(n_exercises) +
                       " exercises x columns, got " + std::to_string(num_coef.rows()) + " x " +
                       std::to_string(num_coef.cols()) + " and " + std::to_string(den_coef.rows()) + " x " +
                       std::to_string(den_coef.cols()));
  for (Eigen::Index e = 0; e < n_exercises; ++e)
    for (Eigen::Index c = 0; c < num_coef.cols(); ++c)
      if (!(num_coef(e, c) >= 0.0 && std::isfinite(num_coef(e, c)) && den_coef(e, c) >= 0.0 &&
            std::isfinite(den_coef(e, c))))
        throw InvalidInput("ratio coefficients of exercise " + std::to_string(e) + ", column " + std::to_string(c) +
                           " must be finite and >= 0, got " + std::to_string(num_coef(e, c)) + " and " +
                           std::to_string(den_coef(e, c)));
  const auto rows = static_cast<Eigen::Index>(dose_rows(blocks.n_programs, activation.n_muscles(), n_days, bucket_days));
  if (out_ratio.rows() != rows || out_ratio.cols() != num_coef.cols())
    throw InvalidInput("ratio output array has the wrong shape");
  // Contiguous row-major copies (the caller's may be strided); small: exercises x columns.
  const RowMatrix num = num_coef, den = den_coef;
  RatioCoefficients ratio{num.data(), den.data(), static_cast<std::size_t>(num.cols()), out_ratio.data(),
                          out_ratio.outerStride()};
  dose_impl(activation, blocks, n_days, bucket_days, out_sets, out_volume, ratio, threads);
}

}  // namespace chainload
