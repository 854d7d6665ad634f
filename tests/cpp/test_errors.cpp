// errors.hpp: nearest_names (edit-distance suggestions), throw_unknown, require_non_negative.
// Edit distances below are Levenshtein distances worked out by hand (insertions, deletions and
// substitutions each cost 1). The "far-away" rule as implemented: a candidate is suggested only
// when distance <= max(2, candidate.size() / 2) -- half the *candidate's* length, floor 2.
#include "catch.hpp"

#include "chainload/errors.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using chainload::InvalidInput;
using chainload::nearest_names;
using chainload::UnknownName;
using chainload_test::message_of;
using Names = std::vector<std::string>;

TEST_CASE("nearest_names orders by edit distance", "[errors]") {
  // glute -> glutes: insert 's' = 1 (limit max(2, 6/2) = 3, kept)
  // glute -> glute_med: insert "_med" = 4 (limit max(2, 9/2) = 4, kept)
  // glute -> glutes_max: insert "s_max" = 5 (limit max(2, 10/2) = 5, kept)
  // The input order is the reverse of the distance order, so this checks the sort.
  const Names candidates{"glutes_max", "glutes", "glute_med"};
  CHECK(nearest_names("glute", candidates) == Names{"glutes", "glute_med", "glutes_max"});
  CHECK(nearest_names("glute", candidates, 2) == Names{"glutes", "glute_med"});
  CHECK(nearest_names("glute", candidates, 0).empty());
  CHECK(nearest_names("glute", {}).empty());
}

TEST_CASE("nearest_names puts an exact match first", "[errors]") {
  // abs -> abs = 0; abs -> obliques >= 5 (length difference), limit max(2, 8/2) = 4: dropped.
  CHECK(nearest_names("abs", Names{"obliques", "abs"}) == Names{"abs"});
}

TEST_CASE("nearest_names keeps the candidates' order on ties", "[errors]") {
  // cat -> cut, bat (one substitution), cast (one insertion), cot (one substitution): all 1.
  // cat -> dog: three substitutions = 3 > max(2, 3/2) = 2: too far.
  CHECK(nearest_names("cat", Names{"cut", "bat", "cast", "dog"}) == Names{"cut", "bat", "cast"});
  CHECK(nearest_names("cat", Names{"cast", "dog", "bat", "cut"}) == Names{"cast", "bat", "cut"});
  // k = 3 by default: the fourth name at distance 1 is cut off.
  CHECK(nearest_names("cat", Names{"cut", "bat", "cast", "cot"}) == Names{"cut", "bat", "cast"});
}

TEST_CASE("nearest_names gives no far-away suggestions", "[errors]") {
  // xyz -> abc = 3 substitutions > 2: nothing.
  CHECK(nearest_names("xyz", Names{"abc"}).empty());
  // pecs -> abs: delete p, e->a, c->b = 3 > max(2, 3/2) = 2: nothing.
  CHECK(nearest_names("pecs", Names{"abs"}).empty());
  // The limit never drops below 2: ab -> xy = 2 is still suggested.
  CHECK(nearest_names("ab", Names{"xy"}) == Names{"xy"});
  // The limit is half the candidate's length: hamst -> hamstrings = 5 insertions <= 10/2 (kept),
  // hams -> hamstrings = 6 > 5 (dropped) ...
  CHECK(nearest_names("hamst", Names{"hamstrings"}) == Names{"hamstrings"});
  CHECK(nearest_names("hams", Names{"hamstrings"}).empty());
  // ... so it is not symmetric: hamstrings -> hamst = 5 > max(2, 5/2) = 2.
  CHECK(nearest_names("hamstrings", Names{"hamst"}).empty());
}

TEST_CASE("throw_unknown formats the suggestions", "[errors]") {
  // quad -> quads = 1 (kept); quad -> glutes = 5 > max(2, 6/2) = 3 (dropped).
  CHECK_THROWS_AS(chainload::throw_unknown("muscle", "quad", {"quads", "glutes"}), UnknownName);
  CHECK(message_of([] { chainload::throw_unknown("muscle", "quad", {"quads", "glutes"}); }) ==
        "unknown muscle 'quad'; did you mean 'quads'?");
  CHECK(message_of([] { chainload::throw_unknown("exercise", "cat", {"cut", "bat", "cast", "dog"}); }) ==
        "unknown exercise 'cat'; did you mean 'cut', 'bat', 'cast'?");
  // No candidate close enough: no "did you mean" at all.
  CHECK(message_of([] { chainload::throw_unknown("muscle", "xyz", {"abc"}); }) == "unknown muscle 'xyz'");
  CHECK(message_of([] { chainload::throw_unknown("muscle", "xyz", {}); }) == "unknown muscle 'xyz'");
}

TEST_CASE("require_non_negative accepts finite values >= 0 only", "[errors]") {
  CHECK_NOTHROW(chainload::require_non_negative(0.0, "sets"));
  CHECK_NOTHROW(chainload::require_non_negative(2.5, "sets"));
  CHECK_THROWS_AS(chainload::require_non_negative(-1.0, "sets"), InvalidInput);
  CHECK_THROWS_AS(chainload::require_non_negative(-0.0001, "sets"), InvalidInput);
  CHECK_THROWS_AS(chainload::require_non_negative(std::nan(""), "sets"), InvalidInput);
  CHECK_THROWS_AS(chainload::require_non_negative(std::numeric_limits<double>::infinity(), "sets"), InvalidInput);
  CHECK(message_of([] { chainload::require_non_negative(-1.0, "reps"); }) ==
        "reps must be a finite number >= 0, got -1");
}

// --- limits, cancellation and parallel_for (issue 14) ------------------------------------------
#include "chainload/detail/parallel.hpp"
#include "chainload/dose.hpp"

#include <atomic>
#include <cstdint>
#include <thread>

TEST_CASE("checked_mul refuses a product past 64 bits", "[errors][limits]") {
  CHECK(chainload::checked_mul(1u << 31, 1u << 31, "x") == (std::uint64_t{1} << 62));
  CHECK_THROWS_AS(chainload::checked_mul(std::uint64_t{1} << 32, std::uint64_t{1} << 32, "x"), InvalidInput);
  CHECK(chainload::checked_mul(0, UINT64_MAX, "x") == 0);
}

TEST_CASE("dose_rows counts buckets in 64 bits and checks the memory budget", "[errors][limits]") {
  // 7 days in buckets of 2^31 - 1 days: one bucket (in 32 bits 7 + 2^31 - 2 overflowed to < 0).
  CHECK(chainload::bucket_count(7, INT32_MAX) == 1);
  CHECK(chainload::dose_rows(3, 5, 7, INT32_MAX) == 3);
  CHECK(chainload::dose_rows(2, 5, 15, 7) == 6);  // 3 weekly buckets x 2 programs
  CHECK_THROWS_AS(chainload::dose_rows(1, 1, 0, 7), InvalidInput);
  CHECK_THROWS_AS(chainload::dose_rows(1, 1, 7, 0), InvalidInput);
  chainload::set_memory_budget(1000);
  // 1 program x 10 buckets x 5 muscles x 16 bytes + 10 days x 8 bytes = 880 bytes: under 1000.
  CHECK(chainload::dose_rows(1, 5, 10, 1) == 10);
  // 2 programs: 1600 + 80 = 1680 bytes, over.
  CHECK_THROWS_AS(chainload::dose_rows(2, 5, 10, 1), chainload::ResourceError);
  chainload::set_memory_budget(0);
  CHECK_THROWS_AS(chainload::dose_rows(SIZE_MAX / 2, 5, INT32_MAX, 1), InvalidInput);  // overflows 64 bits
}

TEST_CASE("threads are capped at the limit (default: the cores)", "[errors][limits]") {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  CHECK(chainload::resolve_threads(1000, 100000) == cores);
  CHECK(chainload::resolve_threads(0, 100000) == cores);
  CHECK(chainload::resolve_threads(1000, 3) == std::min(cores, 3u));
  chainload::set_thread_limit(64);
  CHECK(chainload::resolve_threads(1000, 100000) == 64);  // oversubscription when asked for
  chainload::set_thread_limit(0);
}

TEST_CASE("parallel_for stops on the caller's cancellation flag and prefers a real error", "[errors][cancel]") {
  chainload::set_thread_limit(4);
  std::atomic<bool> cancel{true};
  {
    chainload::CancelScope scope(&cancel);
    std::atomic<int> ran{0};
    CHECK_THROWS_AS(chainload::parallel_for(400, 4,
                                            [&](std::size_t b, std::size_t e) {
                                              for (std::size_t i = b; i < e; ++i) {
                                                chainload::check_cancelled();
                                                ++ran;
                                              }
                                            }),
                    chainload::Cancelled);
    CHECK(ran == 0);
  }
  chainload::check_cancelled();  // the scope is gone: no flag
  // A worker that throws stops its siblings; the worker's error, not Cancelled, comes out.
  CHECK_THROWS_AS(chainload::parallel_for(4, 4,
                                          [&](std::size_t b, std::size_t) {
                                            if (b == 0) throw InvalidInput("bad block");
                                            for (int i = 0; i < 1000000; ++i) chainload::check_cancelled();
                                          }),
                  InvalidInput);
  chainload::set_thread_limit(0);
}

TEST_CASE("parallel_for with a grain hands out every item exactly once, in chunks of the grain", "[errors]") {
  chainload::set_thread_limit(4);
  for (unsigned threads : {1u, 2u, 4u})
    for (std::size_t grain : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
      std::vector<std::atomic<int>> seen(1000);
      std::atomic<std::size_t> longest{0};
      chainload::parallel_for(
          seen.size(), threads,
          [&](std::size_t b, std::size_t e) {
            std::size_t was = longest.load();
            while (e - b > was && !longest.compare_exchange_weak(was, e - b)) {
            }
            for (std::size_t i = b; i < e; ++i) ++seen[i];
          },
          grain);
      for (const auto& s : seen) CHECK(s == 1);
      CHECK(longest <= (threads == 1 ? seen.size() : grain));  // one thread runs the whole range at once
    }
  // A worker's error still stops the others and comes out.
  CHECK_THROWS_AS(chainload::parallel_for(
                      64, 2,
                      [&](std::size_t b, std::size_t) {
                        if (b == 0) throw InvalidInput("bad chunk");
                      },
                      4),
                  InvalidInput);
  chainload::set_thread_limit(0);
}
