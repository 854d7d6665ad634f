#pragma once
#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace chainload {

inline unsigned resolve_threads(unsigned threads, std::size_t n) {
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(n, 1)));
}

template <typename Body>
void parallel_for(std::size_t n, unsigned threads, Body&& body) {
  const unsigned t = resolve_threads(threads, n);
  if (t <= 1) {
    body(std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(t);
  const std::size_t chunk = (n + t - 1) / t;
  for (unsigned i = 0; i < t; ++i) {
    const std::size_t begin = std::min(n, i * chunk), end = std::min(n, begin + chunk);
    pool.emplace_back([&, i, begin, end] {
      try {
        body(begin, end);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace chainload
