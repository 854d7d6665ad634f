#pragma once
#include <algorithm>
#include <atomic>
#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "chainload/errors.hpp"

namespace chainload {

// Threads for `n` items: `threads` (0 = all cores), capped at thread_limit() (default: the
// machine's cores; chainload.config.max_threads raises or lowers the cap) and at n.
inline unsigned resolve_threads(unsigned threads, std::size_t n) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned limit = thread_limit() ? thread_limit() : cores;
  const unsigned t = std::max(1u, std::min(threads ? threads : cores, limit));
  return static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(n, 1)));
}

// Runs body(begin, end) over [0, n) on up to `threads` threads: one contiguous chunk per thread,
// or, with `grain` > 0, chunks of `grain` items handed out in order as threads become free (a
// thread slowed by another process on a shared machine then takes fewer chunks; a body must not
// depend on which thread runs which chunk). Workers
// inherit the caller's cancellation flag. When a thread cannot be started (a process or memory
// limit) or a worker throws, the others stop at their next check_cancelled(), every started
// thread is joined, and then a ResourceError (naming the thread that failed to start) or the
// worker's exception is thrown.
template <typename Body>
void parallel_for(std::size_t n, unsigned threads, Body&& body, std::size_t grain = 0) {
  const unsigned t = resolve_threads(threads, n);
  if (t <= 1) {
    body(std::size_t{0}, n);
    return;
  }
  const std::atomic<bool>* call = cancel_flags().call;
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  pool.reserve(t);
  std::vector<std::exception_ptr> errors(t);
  const std::size_t chunk = (n + t - 1) / t;
  std::atomic<std::size_t> next{0};  // the next chunk's first item (grain > 0)
  std::string failure;
  for (unsigned i = 0; i < t; ++i) {
    const std::size_t begin = std::min(n, i * chunk), end = std::min(n, begin + chunk);
    try {
      pool.emplace_back([&, i, begin, end] {
        CancelScope scope(call, &stop);
        try {
          if (grain == 0) {
            body(begin, end);
          } else {
            for (std::size_t first = next.fetch_add(grain); first < n && !stop.load(); first = next.fetch_add(grain))
              body(first, std::min(n, first + grain));
          }
        } catch (...) {
          errors[i] = std::current_exception();
          stop.store(true);
        }
      });
    } catch (const std::system_error& e) {
      failure = "could not start thread " + std::to_string(i + 1) + " of " + std::to_string(t) + " (" + e.what() +
                "); lower `threads` or chainload.config.max_threads";
      stop.store(true);
      break;
    }
  }
  for (auto& th : pool) th.join();
  if (!failure.empty()) throw ResourceError(failure);
  // The first real error; a Cancelled one only when the caller cancelled (siblings of a failed
  // worker are cancelled by `stop`, not by the caller).
  std::exception_ptr cancelled;
  for (auto& e : errors) {
    if (!e) continue;
    try {
      std::rethrow_exception(e);
    } catch (const Cancelled&) {
      cancelled = e;
    } catch (...) {
      throw;
    }
  }
  if (cancelled) std::rethrow_exception(cancelled);
}

}  // namespace chainload
