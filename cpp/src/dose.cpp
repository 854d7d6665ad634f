#include "chainload/dose.hpp"

#include "chainload/errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// The vectorised loops are also compiled for AVX2, chosen at run time. AVX2 only, not FMA: a fused
// multiply-add rounds once where the baseline rounds twice, and results must not depend on the CPU.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_ADDRESS__)
#define CHAINLOAD_DOSE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CHAINLOAD_DOSE_CLONES
#endif

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
// Every block of [begin, end) valid (indices in range; sets, reps, kg finite and >= 0 and their
// product finite): one branch-free pass, written as reductions the compiler vectorises, so that
// the accumulation loop needs no per-block branch.
CHAINLOAD_DOSE_CLONES bool blocks_ok(const SetBlocks& b, std::size_t begin, std::size_t end, std::uint32_t n_exercises,
               std::uint32_t n_days) {
  const std::int32_t* day = b.day;
  const std::int32_t* exercise = b.exercise;
  // As unsigned, a negative index is >= 2^31, so one comparison tests both bounds.
  unsigned bad = 0;
  for (std::size_t i = begin; i < end; ++i)
    bad |= static_cast<unsigned>(static_cast<std::uint32_t>(day[i]) >= n_days) |
           static_cast<unsigned>(static_cast<std::uint32_t>(exercise[i]) >= n_exercises);
  // The numbers, tested on their bits so that the loop is integer adds and ors (which vectorise;
  // floating-point min and compare reductions do not without fast-math). x + 0.0 turns -0.0 into
  // +0.0; then x is finite and >= 0 exactly when its bits are below those of +inf, i.e. neither
  // the sign bit is set nor does adding one to the exponent field carry into it. A NaN or infinite
  // factor makes the volume non-finite or fails itself, so checking the factors and the volume
  // (s x r) x k, as the accumulation computes it, tests "each >= 0 and a finite product".
  constexpr std::uint64_t kExponentOne = 0x0010000000000000ULL;
  std::uint64_t flags = 0;
  const double* sets = b.sets;
  const double* reps = b.reps;
  const double* kg = b.kg;
  for (std::size_t i = begin; i < end; ++i) {
    const double x[4] = {sets[i] + 0.0, reps[i] + 0.0, kg[i] + 0.0, sets[i] * reps[i] * kg[i] + 0.0};
    for (const double v : x) {
      std::uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      flags |= bits | (bits + kExponentOne);
    }
  }
  bad |= static_cast<unsigned>(flags >> 63);
  return bad == 0;
}

[[noreturn]] void bad_block(const SetBlocks& b, std::size_t i, std::int64_t n_exercises, std::int32_t n_days) {
  const std::string where = "block " + std::to_string(i) + ": ";
  if (b.day[i] < 0 || b.day[i] >= n_days)
    throw InvalidInput(where + "day " + std::to_string(b.day[i]) + " outside [0, " + std::to_string(n_days) + ")");
  if (b.exercise[i] < 0 || b.exercise[i] >= n_exercises)
    throw InvalidInput(where + "exercise index " + std::to_string(b.exercise[i]) + " out of range [0, " +
                       std::to_string(n_exercises) + ")");
  throw InvalidInput(where + "sets, reps and kg must be finite numbers >= 0 with a finite product, got " +
                     std::to_string(b.sets[i]) + ", " + std::to_string(b.reps[i]) + ", " + std::to_string(b.kg[i]));
}

// Thrown by a worker that found a bad block; the caller then names the first one of the batch.
struct BadBlockFound {};
}  // namespace

void validate(const SetBlocks& b, const ActivationTable& activation, std::int32_t n_days) {
  validate_offsets(b, n_days);
  const auto n_exercises = static_cast<std::int64_t>(activation.n_exercises());
  const auto n_ex32 = static_cast<std::uint32_t>(std::min<std::int64_t>(n_exercises, INT32_MAX));
  const auto days = static_cast<std::uint32_t>(n_days);
  // A chunk at a time; the per-block message only for the chunk that fails.
  constexpr std::size_t chunk = 4096;
  for (std::size_t begin = 0; begin < b.size; begin += chunk) {
    const std::size_t end = std::min(b.size, begin + chunk);
    if (blocks_ok(b, begin, end, n_ex32, days)) continue;
    for (std::size_t i = begin; i < end; ++i)
      if (!blocks_ok(b, i, i + 1, n_ex32, days)) bad_block(b, i, n_exercises, n_days);
  }
}

namespace {
// The per-exercise ratio coefficients of dose_balance_batch (none for dose_batch), kept sparse
// by exercise like the activation table: (column, coefficient) for the nonzero ones.
struct RatioCoefficients {
  std::vector<std::size_t> num_offset, den_offset;  // per exercise, into the entries below
  std::vector<ActivationTable::Entry> num, den;
  std::size_t n_columns = 0;
  double* out = nullptr;  // rows x columns, row-major (stride out_stride)
  Eigen::Index out_stride = 0;
};

void sparse_rows(const ConstRowMatrixRef& dense, std::vector<std::size_t>& offset,
                 std::vector<ActivationTable::Entry>& entries) {
  offset.assign(1, 0);
  for (Eigen::Index e = 0; e < dense.rows(); ++e) {
    for (Eigen::Index c = 0; c < dense.cols(); ++c)
      if (dense(e, c) != 0.0) entries.push_back({static_cast<std::int32_t>(c), dense(e, c)});
    offset.push_back(entries.size());
  }
}

constexpr std::size_t kUnused = SIZE_MAX;  // cell_of of an exercise not yet met in this program

// One thread's scratch, allocated once: the program's totals per (exercise slot, bucket), sets
// and volume side by side (one cache line for both), and the products column by column
// (transposed: bucket innermost, so the products vectorise over buckets).
struct DoseScratch {
  std::vector<std::size_t> cell_of;  // per exercise: offset of its slot in `total`, or kUnused
  std::vector<std::int32_t> exercise_of;  // per slot, in order of first use (n_slots of them)
  std::size_t n_slots = 0;
  std::vector<double> total;              // [slot][bucket][sets, volume]; all 0 between programs
  std::vector<double> slot_sets, slot_volume;  // one slot's totals split by kind: [bucket]
  std::vector<double> sets_t, volume_t;   // [muscle][bucket]
  std::vector<double> num_t, den_t;       // [ratio column][bucket]
};

// The hot loop: each block's sets and volume added to its (exercise slot, bucket) cell. Every
// block is valid (checked before). An exercise's first block gives it the next slot, in the same
// loop and without a call (a call would make the compiler keep its pointers on the stack); the
// slot needs no zeroing, since the products leave every used slot at 0. Values are loaded into
// locals before the stores so that no store forces a reload.
void accumulate(const SetBlocks& b, std::size_t begin, std::size_t end, const std::size_t* cell_in_bucket,
                DoseScratch& w, std::size_t n_buckets) {
  const std::int32_t* exercise = b.exercise;
  const std::int32_t* day = b.day;
  const double* sets = b.sets;
  const double* reps = b.reps;
  const double* kg = b.kg;
  std::size_t* cell_of = w.cell_of.data();
  std::int32_t* exercise_of = w.exercise_of.data();
  std::size_t n_slots = w.n_slots;
  double* total = w.total.data();
  // The next program's blocks are fetched while this one's accumulate (a program's blocks, a
  // few tens of KB, then meet its check pass in cache instead of memory): a line of each array
  // every 8 blocks, one program ahead.
  const std::size_t ahead = end - begin, limit = b.size;
  for (std::size_t i = begin; i < end; ++i) {
    if ((i & 7) == 0 && i + ahead < limit) {
      __builtin_prefetch(sets + i + ahead);
      __builtin_prefetch(reps + i + ahead);
      __builtin_prefetch(kg + i + ahead);
      if ((i & 15) == 0) {
        __builtin_prefetch(day + i + ahead);
        __builtin_prefetch(exercise + i + ahead);
      }
    }
    const double s = sets[i], volume = sets[i] * reps[i] * kg[i];
    const auto e = static_cast<std::size_t>(exercise[i]);
    std::size_t slot = cell_of[e];
    if (__builtin_expect(slot == kUnused, 0)) {
      slot = n_slots * n_buckets * 2;
      exercise_of[n_slots++] = static_cast<std::int32_t>(e);
      cell_of[e] = slot;
    }
    double* cell = total + slot + cell_in_bucket[static_cast<std::size_t>(day[i])];
    cell[0] += s;
    cell[1] += volume;
  }
  w.n_slots = n_slots;
}

// dst[0 .. n) = x[0], x[stride], ..., x[(n - 1) stride]: one output row from the transposed
// scratch. With `stream`, pairs by non-temporal stores (the outputs are written once and read by
// the caller only after the call: their lines skip the cache and the read for ownership of a plain
// store; dose outputs 8 % faster, 10,000 programs), an odd last value by a plain store. Only for
// rows that all start at a 16-byte boundary (streamable): a plain store into a line that
// non-temporal stores are filling at the same time costs more than both (rows of odd length ran
// at half the speed).
void put_row(double* dst, const double* x, std::size_t stride, std::size_t n, bool stream) {
  std::size_t m = 0;
#if defined(__SSE2__)
  if (stream)
    for (; m + 2 <= n; m += 2) _mm_stream_pd(dst + m, _mm_set_pd(x[(m + 1) * stride], x[m * stride]));
#endif
  (void)stream;
  for (; m < n; ++m) dst[m] = x[m * stride];
}

// Every row of `out` starts at a 16-byte boundary: its start does and its stride is even.
bool streamable(const RowMatrixRef& out) {
  return (reinterpret_cast<std::uintptr_t>(out.data()) & 15) == 0 && out.outerStride() % 2 == 0;
}

// column[0 .. n) += weight * x[0 .. n): the products, vectorised over buckets.
CHAINLOAD_DOSE_CLONES void add_scaled(double* column, const double* x, double weight, std::size_t n) {
  for (std::size_t b = 0; b < n; ++b) column[b] += x[b] * weight;
}

void dose_impl(const ActivationTable& activation, const SetBlocks& blocks, std::int32_t n_days,
               std::int32_t bucket_days, RowMatrixRef out_sets, RowMatrixRef out_volume,
               const RatioCoefficients& ratio, unsigned threads) {
  const auto rows = static_cast<Eigen::Index>(dose_rows(blocks.n_programs, activation.n_muscles(), n_days, bucket_days));
  validate_offsets(blocks, n_days);  // blocks are checked program by program inside the threads
  const auto n_buckets = static_cast<std::size_t>(bucket_count(n_days, bucket_days));
  const std::size_t n_muscles = activation.n_muscles();
  if (out_sets.rows() != rows || out_sets.cols() != static_cast<Eigen::Index>(n_muscles) ||
      out_volume.rows() != rows || out_volume.cols() != static_cast<Eigen::Index>(n_muscles))
    throw InvalidInput("dose output arrays have the wrong shape");
  const std::size_t n_exercises = activation.n_exercises();
  const auto n_ex32 = static_cast<std::uint32_t>(std::min<std::size_t>(n_exercises, INT32_MAX));
  // A program has at most min(exercises, its blocks) slots.
  std::size_t max_blocks = 0;
  for (std::size_t p = 0; p < blocks.n_programs; ++p)
    max_blocks = std::max(max_blocks, static_cast<std::size_t>(blocks.offsets[p + 1] - blocks.offsets[p]));
  const std::size_t max_slots = std::min(n_exercises, max_blocks);
  require_memory(checked_mul(checked_mul(max_slots, n_buckets, "slots x buckets"), 16, "dose scratch bytes"),
                 "dose scratch of " + std::to_string(max_slots) + " exercises x " + std::to_string(n_buckets) +
                     " buckets");
  // Day -> offset of its bucket's cell within a slot, once: an integer division per block costs
  // more than the block's own work.
  std::vector<std::size_t> cell_in_bucket(static_cast<std::size_t>(n_days));
  for (std::size_t d = 0; d < cell_in_bucket.size(); ++d)
    cell_in_bucket[d] = d / static_cast<std::size_t>(bucket_days) * 2;
  const std::size_t n_cols = ratio.n_columns;
  const Eigen::Index sets_stride = out_sets.outerStride(), volume_stride = out_volume.outerStride();
  const bool stream_sets = streamable(out_sets), stream_volume = streamable(out_volume);

  auto work = [&](std::size_t first, std::size_t last) {
    DoseScratch w;
    w.cell_of.assign(n_exercises, kUnused);
    w.exercise_of.resize(max_slots);
    w.total.assign(max_slots * n_buckets * 2, 0.0);
    w.slot_sets.resize(n_buckets);
    w.slot_volume.resize(n_buckets);
    w.sets_t.resize(n_muscles * n_buckets);
    w.volume_t.resize(n_muscles * n_buckets);
    w.num_t.resize(n_cols * n_buckets);
    w.den_t.resize(n_cols * n_buckets);
    for (std::size_t p = first; p < last; ++p) {
      check_cancelled();
      const auto begin = static_cast<std::size_t>(blocks.offsets[p]);
      const auto end = static_cast<std::size_t>(blocks.offsets[p + 1]);
      // The program's blocks are checked in one pass; the accumulation then reads them from cache.
      if (!blocks_ok(blocks, begin, end, n_ex32, static_cast<std::uint32_t>(n_days))) throw BadBlockFound{};
      accumulate(blocks, begin, end, cell_in_bucket.data(), w, n_buckets);
      // The products with the activation rows and the ratio coefficients, slot by slot in order
      // of first use (so every output sums in the same order as a per-bucket loop would).
      std::fill(w.sets_t.begin(), w.sets_t.end(), 0.0);
      std::fill(w.volume_t.begin(), w.volume_t.end(), 0.0);
      std::fill(w.num_t.begin(), w.num_t.end(), 0.0);
      std::fill(w.den_t.begin(), w.den_t.end(), 0.0);
      for (std::size_t slot = 0; slot < w.n_slots; ++slot) {
        const auto ex = static_cast<std::size_t>(w.exercise_of[slot]);
        double* t = &w.total[slot * n_buckets * 2];
        double* s = w.slot_sets.data();
        double* v = w.slot_volume.data();
        for (std::size_t b = 0; b < n_buckets; ++b) {  // read, and left at 0 for the next program
          s[b] = t[2 * b];
          v[b] = t[2 * b + 1];
          t[2 * b] = 0.0;
          t[2 * b + 1] = 0.0;
        }
        for (const auto* a = activation.begin(ex); a != activation.end(ex); ++a) {
          const auto m = static_cast<std::size_t>(a->muscle);
          add_scaled(&w.sets_t[m * n_buckets], s, a->weight, n_buckets);
          add_scaled(&w.volume_t[m * n_buckets], v, a->weight, n_buckets);
        }
        if (n_cols > 0) {
          for (std::size_t j = ratio.num_offset[ex]; j < ratio.num_offset[ex + 1]; ++j)
            add_scaled(&w.num_t[static_cast<std::size_t>(ratio.num[j].muscle) * n_buckets], s, ratio.num[j].weight,
                       n_buckets);
          for (std::size_t j = ratio.den_offset[ex]; j < ratio.den_offset[ex + 1]; ++j)
            add_scaled(&w.den_t[static_cast<std::size_t>(ratio.den[j].muscle) * n_buckets], s, ratio.den[j].weight,
                       n_buckets);
        }
        w.cell_of[ex] = kUnused;
      }
      w.n_slots = 0;
      // Back to row-major outputs. The ratios, with the conventions of balance(): sums are >= 0,
      // so IEEE division gives x / 0 = +inf for x > 0 and 0 / 0 = NaN.
      const auto row0 = static_cast<Eigen::Index>(p * n_buckets);
      for (std::size_t b = 0; b < n_buckets; ++b) {
        double* so = out_sets.data() + (row0 + static_cast<Eigen::Index>(b)) * sets_stride;
        double* vo = out_volume.data() + (row0 + static_cast<Eigen::Index>(b)) * volume_stride;
        put_row(so, w.sets_t.data() + b, n_buckets, n_muscles, stream_sets);
        put_row(vo, w.volume_t.data() + b, n_buckets, n_muscles, stream_volume);
        if (n_cols == 0) continue;
        double* o = ratio.out + (row0 + static_cast<Eigen::Index>(b)) * ratio.out_stride;
        for (std::size_t c = 0; c < n_cols; ++c) o[c] = w.num_t[c * n_buckets + b] / w.den_t[c * n_buckets + b];
      }
    }
#if defined(__SSE2__)
    _mm_sfence();  // this thread's non-temporal stores are visible before the caller reads the outputs
#endif
  };
  try {
    parallel_for(blocks.n_programs, threads, work);
  } catch (const BadBlockFound&) {
    validate(blocks, activation, n_days);  // names the batch's first bad block, whichever thread met one
    throw InvalidInput("a set block failed its check but none was found on the second look");
  }
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
  RatioCoefficients ratio;
  sparse_rows(num_coef, ratio.num_offset, ratio.num);
  sparse_rows(den_coef, ratio.den_offset, ratio.den);
  ratio.n_columns = static_cast<std::size_t>(num_coef.cols());
  ratio.out = out_ratio.data();
  ratio.out_stride = out_ratio.outerStride();
  dose_impl(activation, blocks, n_days, bucket_days, out_sets, out_volume, ratio, threads);
}

}  // namespace chainload
