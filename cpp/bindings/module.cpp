// The private extension module chainload._core: one bind_<area>() per file.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "chainload/errors.hpp"

namespace py = pybind11;

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
    }
  });
  chainload::bind_graph(m);
  chainload::bind_dose(m);
  chainload::bind_adaptation(m);
  chainload::bind_fit(m);
}
