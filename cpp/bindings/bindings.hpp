#pragma once
#include <pybind11/pybind11.h>

namespace chainload {
void bind_graph(pybind11::module_& m);
void bind_dose(pybind11::module_& m);
void bind_adaptation(pybind11::module_& m);
void bind_fit(pybind11::module_& m);
}  // namespace chainload
