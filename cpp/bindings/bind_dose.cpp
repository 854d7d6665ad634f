#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "chainload/balance.hpp"
#include "chainload/dose.hpp"
#include "chainload/errors.hpp"
#include "chainload/load_reps.hpp"

namespace py = pybind11;

namespace chainload {

namespace {
template <typename T>
using CArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
const T* checked(const CArray<T>& a, std::size_t n, const char* name) {
  if (a.ndim() != 1 || static_cast<std::size_t>(a.shape(0)) != n)
    throw InvalidInput(std::string(name) + " must be a 1-d array of length " + std::to_string(n));
  return a.data();
}

// The set blocks of a batch, converted and checked once for every dose kernel. The index arrays
// are kept here because SetBlocks points into them.
struct BoundBlocks {
  CArray<std::int32_t> day, exercise;
  SetBlocks blocks;
};

BoundBlocks bind_blocks(const py::object& day_in, const py::object& exercise_in, const CArray<double>& sets,
                        const CArray<double>& reps, const CArray<double>& kg, const CArray<std::int64_t>& offsets) {
  BoundBlocks b{int32_indices(day_in, "day"), int32_indices(exercise_in, "exercise"), {}};
  const auto n = static_cast<std::size_t>(b.day.size());
  if (offsets.ndim() != 1 || offsets.size() < 1) throw InvalidInput("offsets must be a 1-d array of length >= 1");
  b.blocks = SetBlocks{checked(b.day, n, "day"),
                       checked(b.exercise, n, "exercise"),
                       checked(sets, n, "sets"),
                       checked(reps, n, "reps"),
                       checked(kg, n, "kg"),
                       n,
                       offsets.data(),
                       static_cast<std::size_t>(offsets.size() - 1)};
  return b;
}

// The outputs of a dose kernel: fresh arrays, or the caller's `out` (a tuple of one buffer per
// output, each checked by caller_buffer against the set blocks and the other buffers).
std::vector<py::array_t<double>> dose_outputs(const py::object& out, const BoundBlocks& b,
                                              const std::vector<std::pair<py::ssize_t, py::ssize_t>>& shapes,
                                              const CArray<double>& sets, const CArray<double>& reps,
                                              const CArray<double>& kg) {
  std::vector<py::array_t<double>> arrays;
  if (out.is_none()) {
    // numpy's allocator asks for huge pages, which saves page faults of a large fresh buffer
    for (const auto& [rows, cols] : shapes) arrays.emplace_back(std::vector<py::ssize_t>{rows, cols});
    return arrays;
  }
  if (!py::isinstance<py::tuple>(out) || py::len(out) != shapes.size())
    throw InvalidInput("out must be a tuple of " + std::to_string(shapes.size()) + " arrays, got " +
                       std::string(py::str(py::repr(out))).substr(0, 80));
  const auto bytes = [](const auto& a) { return static_cast<std::size_t>(a.nbytes()); };
  const auto t = out.cast<py::tuple>();
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    std::vector<Span> taken{{b.day.data(), bytes(b.day)}, {b.exercise.data(), bytes(b.exercise)},
                            {sets.data(), bytes(sets)}, {reps.data(), bytes(reps)}, {kg.data(), bytes(kg)}};
    for (const auto& a : arrays) taken.emplace_back(a.data(), bytes(a));
    const std::string name = "out[" + std::to_string(k) + "]";
    py::array_t<double> a = caller_buffer(t[k], shapes[k].first, shapes[k].second, name, taken);
    arrays.push_back(a);
  }
  return arrays;
}
}  // namespace

void bind_dose(py::module_& m) {
  m.def("brzycki_fraction", py::vectorize(brzycki_fraction), py::arg("reps_to_failure"),
        "Fraction of 1RM at which that many reps to failure are possible (Brzycki 1993).");
  m.def("brzycki_reps", py::vectorize(brzycki_reps), py::arg("fraction"),
        "Reps to failure possible at a fraction of 1RM (Brzycki 1993, inverted).");
  py::class_<ActivationTable>(m, "ActivationTable")
      .def(py::init<const ConstRowMatrixRef&>(), py::arg("dense"))
      .def_property_readonly("n_exercises", &ActivationTable::n_exercises)
      .def_property_readonly("n_muscles", &ActivationTable::n_muscles);

  m.def(
      "dose_batch",
      [](const ActivationTable& activation, const py::object& day_in, const py::object& exercise_in,
         const CArray<double>& sets, const CArray<double>& reps, const CArray<double>& kg,
         const CArray<std::int64_t>& offsets, std::int32_t n_days, std::int32_t bucket_days, unsigned threads,
         const py::object& out) {
        const BoundBlocks bound = bind_blocks(day_in, exercise_in, sets, reps, kg, offsets);
        const SetBlocks& blocks = bound.blocks;
        const std::size_t n = blocks.size, n_programs = blocks.n_programs;
        const auto rows = static_cast<Eigen::Index>(dose_rows(n_programs, activation.n_muscles(), n_days, bucket_days));
        const auto cols = static_cast<Eigen::Index>(activation.n_muscles());
        // Results are numpy arrays from the start; the core writes into them through maps.
        auto outputs = dose_outputs(out, bound, {{rows, cols}, {rows, cols}}, sets, reps, kg);
        py::array_t<double>& sets_out = outputs[0];
        py::array_t<double>& volume_out = outputs[1];
        Eigen::Map<RowMatrix> sets_map(sets_out.mutable_data(), rows, cols);
        Eigen::Map<RowMatrix> volume_map(volume_out.mutable_data(), rows, cols);
        run_interruptible([&] { dose_batch(activation, blocks, n_days, bucket_days, sets_map, volume_map, threads); },
                          static_cast<double>(n) + static_cast<double>(rows) * static_cast<double>(cols));
        return py::make_tuple(sets_out, volume_out);
      },
      py::arg("activation"), py::arg("day"), py::arg("exercise"), py::arg("sets"), py::arg("reps"), py::arg("kg"),
      py::arg("offsets"), py::arg("n_days"), py::arg("bucket_days"), py::arg("threads") = 0, py::arg("out") = py::none(),
      "Dose of a batch of programs: (fractional_sets, volume_load), each (programs*buckets) x muscles. out: a "
      "tuple of two C-contiguous writeable float64 arrays of those shapes, written and returned.");

  m.def(
      "dose_balance_batch",
      [](const ActivationTable& activation, const ConstRowMatrixRef& num_coef, const ConstRowMatrixRef& den_coef,
         const py::object& day_in, const py::object& exercise_in, const CArray<double>& sets,
         const CArray<double>& reps, const CArray<double>& kg, const CArray<std::int64_t>& offsets,
         std::int32_t n_days, std::int32_t bucket_days, unsigned threads, const py::object& out) {
        const BoundBlocks bound = bind_blocks(day_in, exercise_in, sets, reps, kg, offsets);
        const SetBlocks& blocks = bound.blocks;
        const std::size_t n = blocks.size, n_programs = blocks.n_programs;
        const auto rows = static_cast<Eigen::Index>(dose_rows(n_programs, activation.n_muscles(), n_days, bucket_days));
        const auto cols = static_cast<Eigen::Index>(activation.n_muscles());
        const auto ratio_cols = static_cast<Eigen::Index>(num_coef.cols());
        auto outputs = dose_outputs(out, bound, {{rows, cols}, {rows, cols}, {rows, ratio_cols}}, sets, reps, kg);
        py::array_t<double>& sets_out = outputs[0];
        py::array_t<double>& volume_out = outputs[1];
        py::array_t<double>& ratio_out = outputs[2];
        Eigen::Map<RowMatrix> sets_map(sets_out.mutable_data(), rows, cols);
        Eigen::Map<RowMatrix> volume_map(volume_out.mutable_data(), rows, cols);
        Eigen::Map<RowMatrix> ratio_map(ratio_out.mutable_data(), rows, ratio_cols);
        run_interruptible(
            [&] {
              dose_balance_batch(activation, num_coef, den_coef, blocks, n_days, bucket_days, sets_map, volume_map,
                                 ratio_map, threads);
            },
            static_cast<double>(n) + static_cast<double>(rows) * static_cast<double>(cols));
        return py::make_tuple(sets_out, volume_out, ratio_out);
      },
      py::arg("activation"), py::arg("num_coef"), py::arg("den_coef"), py::arg("day"), py::arg("exercise"),
      py::arg("sets"), py::arg("reps"), py::arg("kg"), py::arg("offsets"), py::arg("n_days"), py::arg("bucket_days"),
      py::arg("threads") = 0, py::arg("out") = py::none(),
      "dose_batch and, in the same pass, sum_e sets num_coef[e] / sum_e sets den_coef[e] per bucket: "
      "(fractional_sets, volume_load, ratios). out: a tuple of three buffers of those shapes, as in dose_batch.");

  py::class_<BalanceSpec>(m, "BalanceSpec")
      .def(py::init([](const MuscleGraph& graph, const std::vector<double>& posterior_share) {
             return BalanceSpec::from_graph(graph, posterior_share);
           }),
           py::arg("graph"), py::arg("posterior_share"),
           "Volume-weighted chain, region and antagonist-group ratios; one posterior share in [0, 1] per muscle.")
      .def_property_readonly("columns", &BalanceSpec::columns);

  m.def(
      "balance",
      [](const BalanceSpec& spec, const ConstRowMatrixRef& dose, unsigned threads) {
        RowMatrix out(dose.rows(), spec.num.rows());
        {
          py::gil_scoped_release release;
          balance(spec, dose, out, threads);
        }
        return out;
      },
      py::arg("spec"), py::arg("dose").noconvert(), py::arg("threads") = 1,
      "Balance ratios of each dose row: posterior_anterior overall, upper, lower, trunk, then one per antagonist group.");
}

}  // namespace chainload
