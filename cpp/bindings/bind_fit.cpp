// Model fitting (fit.hpp): numpy arrays in, a dict of numpy arrays out; the GIL is released
// around the fit. chainload.fit wraps these in fit_series / fit.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "chainload/errors.hpp"
#include "chainload/fit.hpp"

namespace py = pybind11;

namespace chainload {

namespace {
using Vec = Eigen::VectorXd;
using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using CArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

void require_1d(const py::array& a, const char* name) {
  if (a.ndim() != 1) throw InvalidInput(std::string(name) + " must be a 1-d array");
}
}  // namespace

void bind_fit(py::module_& m) {
  m.def(
      "fit_param_names", [](const std::string& model) { return fit_param_names(parse_fit_model(model)); },
      py::arg("model"));

  m.def(
      "fit_default_bounds",
      [](const std::string& model) {
        FitBounds b = default_fit_bounds(parse_fit_model(model));
        return py::make_tuple(b.lower, b.upper);
      },
      py::arg("model"));

  m.def(
      "fit_check_bounds",
      [](const std::string& model, const Vec& lower, const Vec& upper) {
        check_fit_bounds(parse_fit_model(model), FitBounds{lower, upper});
      },
      py::arg("model"), py::arg("lower"), py::arg("upper"),
      "The bounds' one check (fit.hpp check_fit_bounds): raises naming the parameter at fault.");

  m.def(
      "fit_model",
      [](const std::string& model, const CArray<double>& load, const py::object& obs_day_in,
         const CArray<double>& obs_value, const Vec& lower, const Vec& upper, int starts, int bootstrap,
         std::uint64_t seed, int lag, unsigned threads, int max_iterations) {
        const FitModel kind = parse_fit_model(model);
        const CArray<std::int32_t> obs_day = int32_indices(obs_day_in, "obs_day");
        require_1d(load, "load");
        require_1d(obs_day, "obs_day");
        require_1d(obs_value, "obs_value");
        if (obs_day.shape(0) != obs_value.shape(0))
          throw InvalidInput("obs_day and obs_value differ in length (" + std::to_string(obs_day.shape(0)) + " and " +
                             std::to_string(obs_value.shape(0)) + ")");
        FitOptions options;
        options.starts = starts;
        options.bootstrap = bootstrap;
        options.seed = seed;
        options.lag = lag;
        options.threads = threads;
        options.max_iterations = max_iterations;
        const FitBounds bounds{lower, upper};
        FitResult r = run_interruptible([&] {
          return fit_model(kind, load.data(), static_cast<std::size_t>(load.shape(0)), obs_day.data(), obs_value.data(),
                           static_cast<std::size_t>(obs_day.shape(0)), bounds, options);
        });
        const auto S = static_cast<Eigen::Index>(r.starts.size());
        const Eigen::Index P = r.params.size();
        RowMat initial(S, P), params(S, P);
        Vec sse(S);
        Eigen::VectorXi iterations(S);
        Eigen::Matrix<bool, Eigen::Dynamic, 1> converged(S);
        for (Eigen::Index i = 0; i < S; ++i) {
          const FitStart& s = r.starts[static_cast<std::size_t>(i)];
          initial.row(i) = s.initial.transpose();
          params.row(i) = s.params.transpose();
          sse[i] = s.sse;
          iterations[i] = s.iterations;
          converged[i] = s.converged;
        }
        py::dict d;
        d["params"] = std::move(r.params);
        d["sse"] = r.sse;
        d["n_obs"] = r.n_obs;
        d["n_free"] = r.n_free;
        d["fitted"] = std::move(r.fitted);
        d["start_initial"] = std::move(initial);
        d["start_params"] = std::move(params);
        d["start_sse"] = std::move(sse);
        d["start_iterations"] = std::move(iterations);
        d["start_converged"] = std::move(converged);
        d["replicates"] = std::move(r.replicates);
        d["se"] = std::move(r.se);
        d["ci_low"] = std::move(r.ci_low);
        d["ci_high"] = std::move(r.ci_high);
        return d;
      },
      py::arg("model"), py::arg("load"), py::arg("obs_day"), py::arg("obs_value"), py::arg("lower"), py::arg("upper"),
      py::arg("starts") = 20, py::arg("bootstrap") = 200, py::arg("seed") = 0, py::arg("lag") = 0,
      py::arg("threads") = 0, py::arg("max_iterations") = 200,
      "Bounded least-squares fit of a model to obs_value on obs_day given the daily load (see fit.hpp).");

  m.def(
      "fit_predict",
      [](const std::string& model, const Vec& params, const CArray<double>& load) {
        const FitModel kind = parse_fit_model(model);
        require_1d(load, "load");
        return fit_predict(kind, params, load.data(), static_cast<std::size_t>(load.shape(0)));
      },
      py::arg("model"), py::arg("params"), py::arg("load"));
}

}  // namespace chainload
