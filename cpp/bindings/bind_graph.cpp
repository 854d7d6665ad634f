#include <pybind11/stl.h>

#include "bindings.hpp"
#include "chainload/errors.hpp"
#include "chainload/muscle_graph.hpp"

namespace py = pybind11;

namespace chainload {

void bind_graph(py::module_& m) {
  m.def("nearest_names", &nearest_names, py::arg("name"), py::arg("candidates"), py::arg("k") = 3,
        "Up to k candidates nearest to name by edit distance.");
  py::class_<MuscleGraph>(m, "MuscleGraph")
      .def(py::init<>())
      .def(
          "add_muscle",
          [](MuscleGraph& g, const std::string& id, const std::string& name, const std::string& chain,
             const std::string& region, double size) {
            return g.add_muscle(Muscle{id, name, parse_chain(chain), parse_region(region), size});
          },
          py::arg("id"), py::arg("name"), py::arg("chain"), py::arg("region"), py::arg("size"))
      .def(
          "add_link",
          [](MuscleGraph& g, const std::string& a, const std::string& b, const std::string& type, double weight,
             const std::string& group) { g.add_link(a, b, parse_link_type(type), weight, group); },
          py::arg("a"), py::arg("b"), py::arg("type"), py::arg("weight"), py::arg("group"))
      .def("__len__", &MuscleGraph::size)
      .def("index", &MuscleGraph::index, py::arg("id"))
      .def("ids", &MuscleGraph::ids)
      .def("muscle",
           [](const MuscleGraph& g, std::size_t i) {
             const Muscle& mu = g.muscle(i);
             return py::dict(py::arg("id") = mu.id, py::arg("name") = mu.name, py::arg("chain") = to_string(mu.chain),
                             py::arg("region") = to_string(mu.region), py::arg("size") = mu.size);
           })
      .def("in_chain", [](const MuscleGraph& g, const std::string& c) { return g.in_chain(parse_chain(c)); })
      .def("in_region", [](const MuscleGraph& g, const std::string& r) { return g.in_region(parse_region(r)); })
      .def("neighbours", [](const MuscleGraph& g, std::size_t i,
                            const std::string& type) { return g.neighbours(i, parse_link_type(type)); })
      .def("links",
           [](const MuscleGraph& g) {
             py::list out;
             for (const auto& r : g.links())
               out.append(py::make_tuple(r.a, r.b, to_string(r.link.type), r.link.weight, r.link.group));
             return out;
           })
      .def("antagonist_groups",
           [](const MuscleGraph& g) {
             py::list out;
             for (const auto& grp : g.antagonist_groups()) out.append(py::make_tuple(grp.name, grp.a_side, grp.b_side));
             return out;
           })
      .def("synergist_path", &MuscleGraph::synergist_path)
      .def("synergist_components", &MuscleGraph::synergist_components);
}

}  // namespace chainload
