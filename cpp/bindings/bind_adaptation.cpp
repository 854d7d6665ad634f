#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>

#include "bindings.hpp"
#include "chainload/adaptation.hpp"
#include "chainload/detail/lanes.hpp"
#include "chainload/errors.hpp"
#include "chainload/sim_options.hpp"
#include "chainload/simulator.hpp"

namespace py = pybind11;

namespace chainload {

namespace {
using Vec = Eigen::VectorXd;
template <typename T>
using CArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

// The per-muscle parameters {name: (muscles,) array}, every one of model_param_fields.
ModelParams params_from(const py::dict& d) {
  ModelParams p;
  for (const auto& f : model_param_fields) {
    if (!d.contains(f.name)) throw InvalidInput(std::string("model parameters lack '") + f.name + "'");
    p.*(f.field) = d[f.name].cast<Vec>();
  }
  for (const auto& f : model_param_fields)
    if ((p.*(f.field)).size() != p.k1.size())
      throw InvalidInput("model parameters must all have one value per muscle");
  return p;
}

// Per-muscle fields of SizeNeuralParams, by name.
struct SnMuscleField {
  const char* name;
  Eigen::VectorXd SizeNeuralParams::*field;
};
const SnMuscleField sn_muscle_fields[] = {
    {"size_start", &SizeNeuralParams::size_start},
    {"size_response", &SizeNeuralParams::size_response},
};

void check_sn_keys(const py::dict& d) {
  std::vector<std::string> names;
  for (const auto& f : sn_muscle_fields) names.emplace_back(f.name);
  for (const auto& f : size_neural_fields) names.emplace_back(f.name);
  for (const auto& item : d) {
    const auto key = item.first.cast<std::string>();
    if (std::find(names.begin(), names.end(), key) == names.end()) throw_unknown("size_neural parameter", key, names);
  }
}

// A dict {name: float} (+ size_start, size_response per muscle); a missing name stays unset (NaN),
// which the core's validate() names.
SizeNeuralParams sn_from(const py::dict& d) {
  check_sn_keys(d);
  SizeNeuralParams p;
  for (const auto& f : size_neural_fields)
    if (d.contains(f.name)) p.*(f.field) = d[f.name].cast<double>();
  for (const auto& f : sn_muscle_fields)
    if (d.contains(f.name)) p.*(f.field) = d[f.name].cast<Vec>();
  return p;
}

// A population's arrays read in place as a PopulationView: one_rm and body_load (athletes x
// exercises), params {name: (athletes x muscles)}, every one of model_param_fields, size_neural
// {name: (athletes,)} (+ size_start, size_response as (athletes x muscles)); a missing size_neural
// name stays unset, which the core's checks name. `keep` holds the arrays (a cast copies only what
// is not C-contiguous float64 already) while the view is in use.
PopulationView population_view(const CArray<double>& one_rm, const CArray<double>& body_load, const py::dict& params,
                               const py::dict& size_neural, std::vector<CArray<double>>& keep) {
  if (one_rm.ndim() != 2 || body_load.ndim() != 2 || one_rm.shape(0) != body_load.shape(0) ||
      one_rm.shape(1) != body_load.shape(1))
    throw InvalidInput("one_rm and body_load must be (athletes x exercises) arrays of one shape");
  PopulationView view;
  view.athletes = static_cast<std::size_t>(one_rm.shape(0));
  view.exercises = static_cast<std::size_t>(one_rm.shape(1));
  view.one_rm = one_rm.data();
  view.body_load = body_load.data();
  auto rows = [&](const py::handle& value, const std::string& what) {
    keep.push_back(value.cast<CArray<double>>());
    const CArray<double>& m = keep.back();
    if (m.ndim() != 2 || static_cast<std::size_t>(m.shape(0)) != view.athletes)
      throw InvalidInput(what + " needs one row per athlete");
    if (view.muscles == 0) view.muscles = static_cast<std::size_t>(m.shape(1));
    if (static_cast<std::size_t>(m.shape(1)) != view.muscles)
      throw InvalidInput(what + " has " + std::to_string(m.shape(1)) + " values per athlete for " +
                         std::to_string(view.muscles) + " muscles");
    return m.data();
  };
  for (std::size_t f = 0; f < model_param_fields.size(); ++f) {
    const char* name = model_param_fields[f].name;
    if (!params.contains(name)) throw InvalidInput(std::string("model parameters lack '") + name + "'");
    view.params[f] = rows(params[name], std::string("parameter '") + name + "'");
  }
  check_sn_keys(size_neural);
  for (std::size_t f = 0; f < view.sn.size(); ++f) {
    const char* name = size_neural_fields[f].name;
    if (!size_neural.contains(name)) continue;
    keep.push_back(size_neural[name].cast<CArray<double>>());
    const CArray<double>& v = keep.back();
    if (v.ndim() != 1 || static_cast<std::size_t>(v.shape(0)) != view.athletes)
      throw InvalidInput(std::string("size_neural parameter '") + name + "' needs one value per athlete");
    view.sn[f] = v.data();
  }
  if (size_neural.contains("size_start"))
    view.size_start = rows(size_neural["size_start"], "size_neural parameter 'size_start'");
  if (size_neural.contains("size_response"))
    view.size_response = rows(size_neural["size_response"], "size_neural parameter 'size_response'");
  return view;
}

// A vector's buffer as a numpy array that owns it (no copy): 1-D, or the given shape and strides.
template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& v, std::vector<py::ssize_t> shape = {}, std::vector<py::ssize_t> strides = {}) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  if (shape.empty()) shape = {static_cast<py::ssize_t>(owner->size())};
  return py::array_t<T>(std::move(shape), std::move(strides), owner->data(), free_when_done);
}

py::dict result_dict(SimResult&& r) {
  py::dict d;
  d["final_capacity"] = std::move(r.final_capacity);
  d["final_one_rm"] = std::move(r.final_one_rm);
  d["total_dose"] = std::move(r.total_dose);
  d["peak_fatigue"] = r.peak_fatigue;
  d["failures"] = r.failures;
  d["auto_deloads"] = r.auto_deloads;
  d["pre_test_one_rm"] = std::move(r.pre_test_one_rm);
  d["post_test_one_rm"] = std::move(r.post_test_one_rm);
  d["pre_size"] = std::move(r.pre_size);
  d["post_size"] = std::move(r.post_size);
  if (r.recovery_muscle.size() > 0) {
    d["recovery_muscle"] = py::cast(std::move(r.recovery_muscle));
    d["recovery_lift"] = py::cast(std::move(r.recovery_lift));
  }
  if (r.fitness.size() > 0) {
    // Moved into numpy without a copy: each array owns its Eigen buffer.
    d["fitness"] = py::cast(std::move(r.fitness));
    d["fatigue"] = py::cast(std::move(r.fatigue));
    d["capacity"] = py::cast(std::move(r.capacity));
    d["readiness"] = py::cast(std::move(r.readiness));
    d["dose"] = py::cast(std::move(r.dose));
    d["one_rm"] = py::cast(std::move(r.one_rm));
    auto& s = r.sessions;
    py::dict log;
    log["day"] = to_numpy(std::move(s.day));
    log["prescription"] = to_numpy(std::move(s.prescription));
    log["sets"] = to_numpy(std::move(s.sets));
    log["target_reps"] = to_numpy(std::move(s.target_reps));
    log["kg"] = to_numpy(std::move(s.kg));
    log["achieved_reps"] = to_numpy(std::move(s.achieved_reps));
    log["reps_in_reserve"] = to_numpy(std::move(s.reps_in_reserve));
    log["one_rm"] = to_numpy(std::move(s.one_rm));
    log["failed"] = to_numpy(std::move(s.failed));
    log["planned_deload"] = to_numpy(std::move(s.planned_deload));
    log["auto_deload"] = to_numpy(std::move(s.auto_deload));
    d["sessions"] = log;
  }
  return d;
}

// A population's summaries as numpy arrays, each taking over its buffer (no copy).
py::dict population_dict(PopulationResult&& r) {
  const auto n = static_cast<py::ssize_t>(r.athletes()), blocks = static_cast<py::ssize_t>(r.blocks);
  const auto muscles = static_cast<py::ssize_t>(r.final_capacity.cols());  // read before the moves below
  py::dict d;
  d["final_capacity"] = py::cast(std::move(r.final_capacity));
  d["final_one_rm"] = py::cast(std::move(r.final_one_rm));
  d["total_dose"] = py::cast(std::move(r.total_dose));
  d["peak_fatigue"] = py::cast(std::move(r.peak_fatigue));
  d["failures"] = py::cast(std::move(r.failures));
  d["pre_test_one_rm"] = py::cast(std::move(r.pre_test_one_rm));
  d["post_test_one_rm"] = py::cast(std::move(r.post_test_one_rm));
  d["pre_size"] = py::cast(std::move(r.pre_size));
  d["post_size"] = py::cast(std::move(r.post_size));
  if (r.blocks > 0) {
    // (athletes x blocks x muscles) float32 over the core's muscle-by-muscle layout
    // (PopulationResult::sampled_at): strides, no transposed copy.
    const auto f32 = static_cast<py::ssize_t>(sizeof(float));
    const std::vector<py::ssize_t> shape{n, blocks, muscles}, strides{blocks * f32, f32, n * blocks * f32};
    d["capacity"] = to_numpy(std::move(r.sampled_capacity), shape, strides);
    d["fatigue"] = to_numpy(std::move(r.sampled_fatigue), shape, strides);
    d["dose"] = to_numpy(std::move(r.sampled_dose), shape, strides);
  }
  return d;
}

// Rough units of work of simulating `athletes` athletes (for run_interruptible).
double sim_work(const ProgramSpec& program, const ActivationTable& activation, std::size_t athletes) {
  return static_cast<double>(athletes) * static_cast<double>(std::max(program.n_days, 0)) *
         static_cast<double>(program.prescriptions.size() + activation.n_muscles());
}

// Exercise facts size_neural needs: movement pattern ids and single-joint flags per catalogue exercise.
void lift_info(SimOptions& o, std::vector<std::int32_t> tests, std::vector<std::int32_t> pattern,
               std::vector<std::uint8_t> single_joint) {
  o.tests = std::move(tests);
  o.pattern = std::move(pattern);
  o.single_joint = std::move(single_joint);
}
}  // namespace

void bind_adaptation(py::module_& m) {
  const auto names = [](const auto& list) {
    py::tuple out(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) out[i] = py::str(list[i]);
    return out;
  };
  m.attr("MODEL_NAMES") = names(model_names);
  m.attr("RULE_NAMES") = names(rule_names);
  m.attr("INTENSITY_NAMES") = names(intensity_names);
  m.attr("BATCH_LANES") = lanes::kLanes;  // athletes per block of the batched closed loop
  py::tuple param_names(model_param_fields.size());
  for (std::size_t i = 0; i < model_param_fields.size(); ++i) param_names[i] = py::str(model_param_fields[i].name);
  m.attr("PARAM_NAMES") = param_names;
  py::tuple sn_names(std::size(size_neural_fields));
  for (std::size_t i = 0; i < std::size(size_neural_fields); ++i) sn_names[i] = py::str(size_neural_fields[i].name);
  m.attr("SIZE_NEURAL_PARAM_NAMES") = sn_names;
  m.def(
      "default_params",
      [] {
        py::dict d;
        for (const auto& f : model_param_fields) d[f.name] = f.default_value;
        return d;
      },
      "The per-muscle parameters' defaults {name: value} in the order of PARAM_NAMES (adaptation.hpp "
      "model_param_fields, where each cites its source).");
  py::class_<PrescriptionSpec>(m, "PrescriptionSpec")
      .def(py::init([](std::int32_t exercise, std::int32_t sets, std::int32_t reps_low, std::int32_t reps_high,
                       const std::string& intensity, double value, const std::string& rule, double increment,
                       bool per_week, std::int32_t deload_after, double deload_fraction, double min_kg,
                       std::vector<double> wave, double round_kg) {
             PrescriptionSpec p;
             p.exercise = exercise;
             p.sets = sets;
             p.reps_low = reps_low;
             p.reps_high = reps_high;
             p.intensity = parse_intensity(intensity);
             p.value = value;
             p.rule = parse_rule(rule);
             p.increment = increment;
             p.per_week = per_week;
             p.deload_after = deload_after;
             p.deload_fraction = deload_fraction;
             p.min_kg = min_kg;
             p.wave = std::move(wave);
             p.round_kg = round_kg;
             return p;
           }),
           py::arg("exercise"), py::arg("sets"), py::arg("reps_low"), py::arg("reps_high"), py::arg("intensity"),
           py::arg("value"), py::arg("rule"), py::arg("increment"), py::arg("per_week"), py::arg("deload_after"),
           py::arg("deload_fraction"), py::arg("min_kg"), py::arg("wave"), py::arg("round_kg") = -1.0);

  py::class_<ProgramSpec>(m, "ProgramSpec")
      .def(py::init([](std::vector<PrescriptionSpec> prescriptions, const std::vector<std::int32_t>& day,
                       const std::vector<std::int32_t>& prescription, std::int32_t n_days,
                       std::vector<std::uint8_t> deload_week, double deload_sets, double deload_load) {
             if (day.size() != prescription.size()) throw InvalidInput("schedule day and prescription differ in length");
             ProgramSpec p;
             p.prescriptions = std::move(prescriptions);
             for (std::size_t i = 0; i < day.size(); ++i) p.schedule.push_back({day[i], prescription[i]});
             p.n_days = n_days;
             p.deload_week = std::move(deload_week);
             p.deload_sets = deload_sets;
             p.deload_load = deload_load;
             return p;
           }),
           py::arg("prescriptions"), py::arg("day"), py::arg("prescription"), py::arg("n_days"),
           py::arg("deload_week"), py::arg("deload_sets"), py::arg("deload_load"))
      .def_property_readonly("used_exercises", [](const ProgramSpec& p) { return used_exercises(p); });

  py::class_<AthleteSpec>(m, "AthleteSpec")
      .def(py::init([](Vec one_rm, Vec body_load, const py::dict& params, const py::dict& size_neural) {
             return AthleteSpec{std::move(one_rm), std::move(body_load), params_from(params), sn_from(size_neural)};
           }),
           py::arg("one_rm"), py::arg("body_load"), py::arg("params"), py::arg("size_neural") = py::dict());

  m.def(
      "simulate",
      [](const ActivationTable& activation, const ProgramSpec& program, const AthleteSpec& athlete,
         const std::string& model, double round_kg, double limit_weight, double default_rir, bool record,
         std::vector<std::int32_t> tests, std::vector<std::int32_t> pattern, std::vector<std::uint8_t> single_joint,
         std::vector<double> recovery_hours) {
        SimOptions options = make_sim_options(model, round_kg, limit_weight, default_rir, record);
        lift_info(options, std::move(tests), std::move(pattern), std::move(single_joint));
        options.recovery_hours = std::move(recovery_hours);
        SimResult r = run_interruptible([&] { return simulate(activation, program, athlete, options); },
                                        sim_work(program, activation, 1));
        return result_dict(std::move(r));
      },
      py::arg("activation"), py::arg("program"), py::arg("athlete"), py::arg("model") = "banister",
      py::arg("round_kg") = 2.5, py::arg("limit_weight") = 0.5, py::arg("default_rir") = 2.0, py::arg("record") = true,
      py::arg("tests") = std::vector<std::int32_t>{}, py::arg("pattern") = std::vector<std::int32_t>{},
      py::arg("single_joint") = std::vector<std::uint8_t>{}, py::arg("recovery_hours") = std::vector<double>{});

  m.def(
      "simulate_batch",
      [](const ActivationTable& activation, const ProgramSpec& program, const std::vector<AthleteSpec>& athletes,
         const std::string& model, double round_kg, double limit_weight, double default_rir, unsigned threads,
         std::vector<std::int32_t> tests, std::vector<std::int32_t> pattern, std::vector<std::uint8_t> single_joint) {
        SimOptions options = make_sim_options(model, round_kg, limit_weight, default_rir, false);
        lift_info(options, std::move(tests), std::move(pattern), std::move(single_joint));
        PopulationResult results =
            run_interruptible([&] { return simulate_population(activation, program, athletes, options, threads); },
                              sim_work(program, activation, athletes.size()));
        return population_dict(std::move(results));
      },
      py::arg("activation"), py::arg("program"), py::arg("athletes"), py::arg("model") = "banister",
      py::arg("round_kg") = 2.5, py::arg("limit_weight") = 0.5, py::arg("default_rir") = 2.0, py::arg("threads") = 0,
      py::arg("tests") = std::vector<std::int32_t>{}, py::arg("pattern") = std::vector<std::int32_t>{},
      py::arg("single_joint") = std::vector<std::uint8_t>{});

  m.def(
      "simulate_population",
      [](const ActivationTable& activation, const ProgramSpec& program, const CArray<double>& one_rm,
         const CArray<double>& body_load, const py::dict& params, const std::string& model, double round_kg,
         double limit_weight, double default_rir, unsigned threads, std::int32_t sample_days,
         const py::dict& size_neural, std::vector<std::int32_t> tests, std::vector<std::int32_t> pattern,
         std::vector<std::uint8_t> single_joint) {
        SimOptions options = make_sim_options(model, round_kg, limit_weight, default_rir, false, sample_days);
        lift_info(options, std::move(tests), std::move(pattern), std::move(single_joint));
        std::vector<CArray<double>> keep;
        const PopulationView athletes = population_view(one_rm, body_load, params, size_neural, keep);
        PopulationResult results =
            run_interruptible([&] { return simulate_population(activation, program, athletes, options, threads); },
                              sim_work(program, activation, athletes.athletes));
        return population_dict(std::move(results));
      },
      py::arg("activation"), py::arg("program"), py::arg("one_rm"), py::arg("body_load"), py::arg("params"),
      py::arg("model") = "banister", py::arg("round_kg") = 2.5, py::arg("limit_weight") = 0.5,
      py::arg("default_rir") = 2.0, py::arg("threads") = 0, py::arg("sample_days") = 0,
      py::arg("size_neural") = py::dict(), py::arg("tests") = std::vector<std::int32_t>{},
      py::arg("pattern") = std::vector<std::int32_t>{}, py::arg("single_joint") = std::vector<std::uint8_t>{},
      "A population on one program from arrays: one_rm and body_load (athletes x exercises), params "
      "{name: (athletes x muscles)}, size_neural {name: (athletes,)} (+ size_start, size_response "
      "(athletes x muscles)); tests: catalogue exercises whose 1RM is reported before and after. Summaries, and with sample_days > 0 capacity, fatigue and dose every "
      "sample_days days as (athletes x blocks x muscles) float32 arrays.");

  m.def(
      "banister_open_loop",
      [](const CArray<double>& loads, const Vec& p0, const Vec& k1, const Vec& k2, const Vec& tau1, const Vec& tau2,
         bool states, bool daily, const py::object& out) {
        if (loads.ndim() != 2) throw InvalidInput("loads must be a 2-d array (days x series)");
        const auto days = static_cast<std::size_t>(loads.shape(0));
        const auto cols = static_cast<std::size_t>(loads.shape(1));
        for (const Vec* v : {&p0, &k1, &k2, &tau1, &tau2})
          if (static_cast<std::size_t>(v->size()) != cols) throw InvalidInput("one parameter value per series needed");
        const double* w = loads.data();
        // states = false: performance only (the fitness and fatigue arrays come back empty).
        // numpy allocates the outputs (huge pages for large buffers: fewer page faults).
        // daily = false: only the last day's performance (1 x series), no daily arrays at all.
        const auto rows = static_cast<py::ssize_t>(states && daily ? days : 0);
        const auto n_cols = static_cast<py::ssize_t>(cols);
        py::array_t<double> fit({rows, n_cols}), fat({rows, n_cols});
        const auto perf_rows = static_cast<py::ssize_t>(daily ? days : 1);
        // out: the caller's buffer for the performance (reused across calls: no fresh pages to fault in).
        py::array_t<double> perf =
            out.is_none() ? py::array_t<double>({perf_rows, n_cols})
                           : caller_buffer(out, perf_rows, n_cols, "out", {{loads.data(), static_cast<std::size_t>(loads.nbytes())}});
        double* fit_out = rows ? fit.mutable_data() : nullptr;
        double* fat_out = rows ? fat.mutable_data() : nullptr;
        double* perf_out = daily ? perf.mutable_data() : nullptr;
        std::vector<double> final(cols);
        {
          py::gil_scoped_release release;
          banister_open_loop(w, days, cols, p0.data(), k1.data(), k2.data(), tau1.data(), tau2.data(), fit_out, fat_out,
                             perf_out, final.data());
        }
        // A NaN or infinite load leaves its series' final state non-finite: only then are the
        // loads searched, so that valid input pays for no separate pass over them.
        for (std::size_t j = 0; j < cols; ++j)
          if (!std::isfinite(final[j]))
            for (std::size_t i = 0; i < days * cols; ++i)
              if (!std::isfinite(w[i]))
                throw InvalidInput("loads contain NaN or infinity at day " + std::to_string(i / cols));
        if (!daily) std::copy(final.begin(), final.end(), perf.mutable_data());
        return py::make_tuple(fit, fat, perf);
      },
      py::arg("loads"), py::arg("p0"), py::arg("k1"), py::arg("k2"), py::arg("tau1"), py::arg("tau2"),
      py::arg("states") = true, py::arg("daily") = true, py::arg("out") = py::none(),
      "Open-loop Banister of each series (column of loads): (fitness, fatigue, performance). out: a "
      "C-contiguous, writeable float64 array of performance's shape (days x series, or 1 x series with "
      "daily=False) that receives the performance and is returned as it.");

  m.def("effort_weight", py::vectorize(effort_weight), py::arg("rir"));
}

}  // namespace chainload
