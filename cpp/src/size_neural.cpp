#include "chainload/size_neural.hpp"

#include "chainload/errors.hpp"

#include <cmath>
#include <string>
#include <utility>

namespace chainload {

void SizeNeuralParams::validate_scalars() const {
  for (const auto& f : size_neural_fields)
    if (std::isnan(this->*(f.field)))
      throw InvalidInput(std::string("size_neural parameter ") + f.name +
                         " is not set (its value and source: python/chainload/data/model_size_neural.toml)");
  const std::pair<const char*, double> positive[] = {
      {"dose_tau", dose_tau},       {"size_half", size_half},         {"size_tau_detrain", size_tau_detrain},
      {"size_rir_zero", size_rir_zero}, {"neural_half", neural_half}, {"size_full_reps", size_full_reps}, {"neural_tau_up", neural_tau_up},
      {"neural_tau_down", neural_tau_down}, {"fast_sets", fast_sets}, {"fast_tau_h", fast_tau_h},
      {"slow_sets", slow_sets},     {"slow_tau_h", slow_tau_h},       {"slow_rir", slow_rir},
      {"size_scale", size_scale}};
  for (const auto& [name, v] : positive)
    if (!(v > 0.0) || !std::isfinite(v))
      throw InvalidInput(std::string("size_neural parameter ") + name + " must be finite and > 0, got " + std::to_string(v));
  const std::pair<const char*, double> non_negative[] = {
      {"size_rate", size_rate},     {"size_force", size_force},       {"neural_max", neural_max},
      {"load_power", load_power},   {"transfer_same", transfer_same}, {"transfer_other", transfer_other},
      {"fast_max", fast_max},       {"slow_max", slow_max},           {"multi_joint", multi_joint}};
  for (const auto& [name, v] : non_negative)
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InvalidInput(std::string("size_neural parameter ") + name + " must be finite and >= 0, got " + std::to_string(v));
  if (!(size_ceiling > 1.0) || !std::isfinite(size_ceiling))
    throw InvalidInput("size_neural parameter size_ceiling must be > 1, got " + std::to_string(size_ceiling));
  if (!(size_full_reps > 1.0))
    throw InvalidInput("size_neural parameter size_full_reps must be > 1, got " + std::to_string(size_full_reps));
  if (!(load_full > 0.0) || !(load_full <= 1.5))
    throw InvalidInput("size_neural parameter load_full must lie in (0, 1.5], got " + std::to_string(load_full));
  if (!(fast_max + slow_max < 1.0))
    throw InvalidInput("size_neural parameters need fast_max + slow_max < 1, got " + std::to_string(fast_max + slow_max));
}

void SizeNeuralParams::validate_rows(const double* start, const double* response, std::size_t n) const {
  const std::pair<const char*, const double*> rows[] = {{"size_start", start}, {"size_response", response}};
  for (const auto& [name, v] : rows)
    for (std::size_t m = 0; v && m < n; ++m)
      if (!(v[m] > 0.0) || !std::isfinite(v[m]))
        throw InvalidInput(std::string("size_neural parameter ") + name + " of muscle " + std::to_string(m) +
                           " must be finite and > 0, got " + std::to_string(v[m]));
  for (std::size_t m = 0; start && m < n; ++m)
    if (!(start[m] < size_ceiling))
      throw InvalidInput("size_neural parameter size_start of muscle " + std::to_string(m) +
                         " must be below size_ceiling, got " + std::to_string(start[m]));
}

void SizeNeuralParams::validate(std::size_t n_muscles) const {
  validate_scalars();
  const std::pair<const char*, const Eigen::VectorXd*> vectors[] = {{"size_start", &size_start},
                                                                     {"size_response", &size_response}};
  for (const auto& [name, v] : vectors)
    if (v->size() != 0 && static_cast<std::size_t>(v->size()) != n_muscles)
      throw InvalidInput(std::string("size_neural parameter ") + name + " has " + std::to_string(v->size()) +
                         " values for " + std::to_string(n_muscles) + " muscles");
  validate_rows(size_start.size() ? size_start.data() : nullptr, size_response.size() ? size_response.data() : nullptr,
                n_muscles);
}

}  // namespace chainload
