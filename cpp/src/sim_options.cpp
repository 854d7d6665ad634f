#include "chainload/sim_options.hpp"

#include "chainload/errors.hpp"

#include <cmath>

namespace chainload {

SimOptions make_sim_options(const std::string& model, double round_kg, double limit_weight, double default_rir,
                            bool record, std::int32_t sample_days) {
  if (!(round_kg >= 0.0) || !std::isfinite(round_kg)) throw InvalidInput("round_kg must be >= 0");
  if (!(limit_weight > 0.0 && limit_weight <= 1.0)) throw InvalidInput("limit_weight must lie in (0, 1]");
  if (!(default_rir >= 0.0 && default_rir <= 10.0)) throw InvalidInput("default_rir must lie in [0, 10]");
  if (sample_days < 0) throw InvalidInput("sample_days must be >= 0");
  SimOptions o;
  o.model = parse_model(model);
  o.round_kg = round_kg;
  o.limit_weight = limit_weight;
  o.default_rir = default_rir;
  o.record = record;
  o.sample_days = sample_days;
  return o;
}

}  // namespace chainload
