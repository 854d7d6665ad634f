#pragma once
// Errors the core throws. The bindings turn them into chainload.ValidationError (a ValueError)
// and chainload.UnknownNameError (a KeyError), both subclasses of chainload.Error.
#include <stdexcept>
#include <string>
#include <vector>

namespace chainload {

// A value outside its allowed domain (negative sets, NaN load, non-positive time constant ...).
class InvalidInput : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A muscle, exercise or other id that does not exist. The message suggests the nearest names.
class UnknownName : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Up to `k` candidates closest to `name` by edit distance (ties keep the candidates' order).
std::vector<std::string> nearest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t k = 3);

// "unknown muscle 'hamstring'; did you mean 'hamstrings'?"
[[noreturn]] void throw_unknown(const std::string& what, const std::string& name,
                                const std::vector<std::string>& candidates);

// Throws InvalidInput naming `field` unless value is finite and >= 0.
void require_non_negative(double value, const char* field);

}  // namespace chainload
