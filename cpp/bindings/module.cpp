// The private extension module chainload._core: one bind_<area>() per file.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "chainload/errors.hpp"

namespace py = pybind11;

unsigned long& chainload::python_main_thread() {
  static unsigned long id = 0;
  return id;
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "chainload's C++ core (private: use the chainload package)";
  // Core errors become the Python classes defined in chainload.errors, so that users catch one
  // chainload.Error (and ValueError / KeyError where those fit).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const chainload::UnknownName& e) {
      py::object cls = py::module_::import("chainload.errors").attr("UnknownNameError");
      PyErr_SetString(cls.ptr(), e.what());
    } catch (const chainload::InvalidInput& e) {
      py::object cls = py::module_::import("chainload.errors").attr("ValidationError");
      PyErr_SetString(cls.ptr(), e.what());
    } catch (const chainload::ResourceError& e) {
      py::object cls = py::module_::import("chainload.errors").attr("ResourceError");
      PyErr_SetString(cls.ptr(), e.what());
    } catch (const chainload::Cancelled& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const std::bad_alloc&) {
      py::object cls = py::module_::import("chainload.errors").attr("ResourceError");
      PyErr_SetString(cls.ptr(), "out of memory in the C++ core (lower the sizes or chainload.config.memory_budget)");
    }
  });
  chainload::python_main_thread() = py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
  m.def("set_thread_limit", &chainload::set_thread_limit, py::arg("limit"),
        "Most threads one call may use (0 = the machine's cores).");
  m.def("thread_limit", &chainload::thread_limit);
  m.def("set_memory_budget", &chainload::set_memory_budget, py::arg("bytes"),
        "Most bytes one call may allocate (0 = no limit).");
  m.def("memory_budget", &chainload::memory_budget);
  chainload::bind_graph(m);
  chainload::bind_dose(m);
  chainload::bind_adaptation(m);
  chainload::bind_fit(m);
}
