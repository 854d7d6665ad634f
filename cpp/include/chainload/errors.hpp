#pragma once
// Errors the core throws. The bindings turn them into chainload.ValidationError (a ValueError),
// chainload.UnknownNameError (a KeyError) and chainload.ResourceError (a MemoryError), all
// subclasses of chainload.Error; Cancelled becomes the KeyboardInterrupt that caused it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace chainload {

// A value outside its allowed domain (negative sets, NaN load, non-positive time constant ...).
class InvalidInput : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A muscle, exercise or other id that does not exist. The message suggests the nearest names.
class UnknownName : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A resource the work needs is not there: a thread that cannot be started, or an allocation
// past the memory budget (set_memory_budget).
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The work was cancelled through its cancellation flag (Ctrl-C in Python).
class Cancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --- cancellation ------------------------------------------------------------------------------
// Each call into the core may carry a flag that another thread sets to stop it. The flag is
// per thread (parallel_for hands the caller's flag to its workers), so concurrent calls do not
// cancel each other. Long loops call check_cancelled() between athletes, starts or iterations.
struct CancelFlags {
  const std::atomic<bool>* call = nullptr;   // set by the caller of the core (Ctrl-C)
  const std::atomic<bool>* group = nullptr;  // set by parallel_for when a sibling worker failed
};
CancelFlags& cancel_flags();

inline void check_cancelled() {
  const CancelFlags& f = cancel_flags();
  if ((f.call && f.call->load(std::memory_order_relaxed)) || (f.group && f.group->load(std::memory_order_relaxed)))
    throw Cancelled("cancelled");
}

// Installs the flags for the lifetime of the scope (this thread only).
class CancelScope {
 public:
  explicit CancelScope(const std::atomic<bool>* call, const std::atomic<bool>* group = nullptr)
      : previous_(cancel_flags()) {
    cancel_flags() = CancelFlags{call, group};
  }
  ~CancelScope() { cancel_flags() = previous_; }
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  CancelFlags previous_;
};

// --- limits ------------------------------------------------------------------------------------
// Threads a call may use at most (0 = the machine's cores, the default); set from Python with
// chainload.config.max_threads. A request above the limit is capped, not refused.
void set_thread_limit(unsigned limit);
unsigned thread_limit();

// Bytes one call may allocate for its results and scratch (0 = no limit); set from Python with
// chainload.config.memory_budget. require_memory throws ResourceError naming `what` past it.
void set_memory_budget(std::uint64_t bytes);
std::uint64_t memory_budget();
void require_memory(std::uint64_t bytes, const std::string& what);

// a * b, throwing InvalidInput naming `what` when the product does not fit in 64 bits.
std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what);

// Up to `k` candidates closest to `name` by edit distance (ties keep the candidates' order).
std::vector<std::string> nearest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t k = 3);

// "unknown muscle 'hamstring'; did you mean 'hamstrings'?"
[[noreturn]] void throw_unknown(const std::string& what, const std::string& name,
                                const std::vector<std::string>& candidates);

// Throws InvalidInput naming `field` unless value is finite and >= 0.
void require_non_negative(double value, const char* field);

}  // namespace chainload
