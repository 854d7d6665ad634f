#pragma once
// The closed loop's options from their values, parsed and checked once, here: the bindings only
// convert (as parse_rule for a rule name). InvalidInput names the option and the rule it breaks.
#include "chainload/simulator.hpp"

#include <cstdint>
#include <string>

namespace chainload {

SimOptions make_sim_options(const std::string& model, double round_kg, double limit_weight, double default_rir,
                            bool record, std::int32_t sample_days = 0);

}  // namespace chainload
