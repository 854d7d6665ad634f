#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "chainload/errors.hpp"

namespace chainload {
void bind_graph(pybind11::module_& m);
void bind_dose(pybind11::module_& m);
void bind_adaptation(pybind11::module_& m);
void bind_fit(pybind11::module_& m);

using IndexArray = pybind11::array_t<std::int32_t, pybind11::array::c_style | pybind11::array::forcecast>;

// An index array as int32 without a silent wrap: int32 input passes through untouched (no copy);
// any other integer or float input is range-checked first, so 2**40 is an error, not day 0.
inline IndexArray int32_indices(const pybind11::object& input, const char* name) {
  const pybind11::array a = pybind11::module_::import("numpy").attr("asarray")(input);
  if (pybind11::isinstance<IndexArray>(a) && (a.flags() & pybind11::array::c_style)) return a.cast<IndexArray>();
  if (a.size() > 0) {
    const double lo = pybind11::float_(a.attr("min")()), hi = pybind11::float_(a.attr("max")());
    const pybind11::module_ np = pybind11::module_::import("numpy");
    const bool whole = np.attr("array_equal")(a, np.attr("floor")(a)).cast<bool>();
    if (!whole || !(lo >= -2147483648.0 && hi <= 2147483647.0))
      throw InvalidInput(std::string(name) + " values must be whole numbers within 32-bit range, got " +
                         std::to_string(lo) + " .. " + std::to_string(hi));
  }
  return IndexArray::ensure(a);
}

// Python's main thread (threading.main_thread().ident): the only one that sees signals.
unsigned long& python_main_thread();

// Runs f() with the GIL released. Called from Python's main thread, f runs on a helper thread
// while this one polls for signals every 20 ms (PyErr_CheckSignals): on Ctrl-C the core's
// cancellation flag is set, the helper stops at its next check_cancelled() and the
// KeyboardInterrupt propagates. From other threads (or when no helper thread can be started)
// f runs here directly, uncancellable; so does work below kInlineWork units. Exceptions of f
// propagate unchanged.
// Work below this many units (blocks, athlete-days ...: about a millisecond of core time) runs on
// the calling thread: a helper thread's start-up would cost more than the work, and Ctrl-C waits
// at most that long. Engine choice.
constexpr double kInlineWork = 2e5;

template <typename F>
auto run_interruptible(F&& f, double work = kInlineWork) -> decltype(f()) {
  using R = decltype(f());
  namespace py = pybind11;
  if (work < kInlineWork || PyThread_get_thread_ident() != python_main_thread()) {
    py::gil_scoped_release release;
    return f();
  }
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false, interrupted = false;
  std::exception_ptr error;
  std::conditional_t<std::is_void_v<R>, bool, std::optional<std::conditional_t<std::is_void_v<R>, bool, R>>> result{};
  {
    py::gil_scoped_release release;
    std::thread worker;
    try {
      worker = std::thread([&] {
        CancelScope scope(&cancel);
        try {
          if constexpr (std::is_void_v<R>)
            f();
          else
            result.emplace(f());
        } catch (...) {
          error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
        done_cv.notify_one();
      });
    } catch (const std::system_error&) {
      // No thread to spare: run here, without Ctrl-C (the GIL stays released).
      if constexpr (std::is_void_v<R>) {
        f();
        return;
      } else {
        return f();
      }
    }
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      if (done_cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return done; })) break;
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {  // the handler raised (KeyboardInterrupt): stop the work
          interrupted = true;
          cancel.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();  // the error the signal handler set
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<R>) return std::move(*result);
}

// A caller's output buffer (`out=`), checked before any work: a float64 numpy array, C-contiguous,
// writeable, of shape rows x cols, and sharing no byte with any of `inputs` (the kernels read
// inputs after writing outputs). `name` is the argument as the user wrote it ("out", "out[1]").
using Span = std::pair<const void*, std::size_t>;  // a buffer's first byte and length in bytes
inline pybind11::array_t<double> caller_buffer(const pybind11::object& out, pybind11::ssize_t rows,
                                               pybind11::ssize_t cols, const std::string& name,
                                               const std::vector<Span>& inputs) {
  namespace py = pybind11;
  if (!py::isinstance<py::array>(out))
    throw InvalidInput(name + " must be a numpy array, got " + std::string(py::str(py::type::of(out).attr("__name__"))));
  const auto a = out.cast<py::array>();
  if (!a.dtype().is(py::dtype::of<double>()))
    throw InvalidInput(name + " must have dtype float64, got " + std::string(py::str(a.dtype())));
  if (a.ndim() != 2 || a.shape(0) != rows || a.shape(1) != cols)
    throw InvalidInput(name + " must have shape (" + std::to_string(rows) + ", " + std::to_string(cols) + "), got " +
                       std::string(py::str(out.attr("shape"))));
  if (!(a.flags() & py::array::c_style)) throw InvalidInput(name + " must be C-contiguous");
  if (!a.writeable()) throw InvalidInput(name + " must be writeable");
  const auto* o = static_cast<const char*>(a.data());
  const auto o_bytes = static_cast<std::size_t>(a.nbytes());
  for (const Span& in : inputs) {
    const auto* i = static_cast<const char*>(in.first);
    if (o_bytes && in.second && o < i + in.second && i < o + o_bytes)
      throw InvalidInput(name + " must not overlap an input or another output");
  }
  return a.cast<py::array_t<double>>();
}

}  // namespace chainload
