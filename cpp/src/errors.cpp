#include "chainload/errors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace chainload {

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::vector<std::string> nearest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t k) {
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, candidate index)
  scored.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) scored.emplace_back(edit_distance(name, candidates[i]), i);
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  // Suggest only names within half their length of the query: a far name is noise, not help.
  for (const auto& [distance, index] : scored) {
    if (out.size() == k) break;
    if (distance <= std::max<std::size_t>(2, candidates[index].size() / 2)) out.push_back(candidates[index]);
  }
  return out;
}

void throw_unknown(const std::string& what, const std::string& name, const std::vector<std::string>& candidates) {
  std::ostringstream msg;
  msg << "unknown " << what << " '" << name << "'";
  const auto near = nearest_names(name, candidates);
  if (!near.empty()) {
    msg << "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) msg << (i ? ", '" : "'") << near[i] << "'";
    msg << "?";
  }
  throw UnknownName(msg.str());
}

void require_non_negative(double value, const char* field) {
  if (!std::isfinite(value) || value < 0.0) {
    std::ostringstream msg;
    msg << field << " must be a finite number >= 0, got " << value;
    throw InvalidInput(msg.str());
  }
}

CancelFlags& cancel_flags() {
  thread_local CancelFlags flags;
  return flags;
}

namespace {
std::atomic<unsigned> g_thread_limit{0};
std::atomic<std::uint64_t> g_memory_budget{0};
}  // namespace

void set_thread_limit(unsigned limit) { g_thread_limit.store(limit); }
unsigned thread_limit() { return g_thread_limit.load(); }
void set_memory_budget(std::uint64_t bytes) { g_memory_budget.store(bytes); }
std::uint64_t memory_budget() { return g_memory_budget.load(); }

void require_memory(std::uint64_t bytes, const std::string& what) {
  const std::uint64_t budget = memory_budget();
  if (budget && bytes > budget) {
    std::ostringstream msg;
    msg.precision(3);
    msg << what << " needs about " << static_cast<double>(bytes) / 1073741824.0 << " GiB, over the memory budget of "
        << static_cast<double>(budget) / 1073741824.0 << " GiB (chainload.config.memory_budget)";
    throw ResourceError(msg.str());
  }
}

std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what) {
  if (a != 0 && b > UINT64_MAX / a) throw InvalidInput(std::string(what) + " overflows 64 bits");
  return a * b;
}

}  // namespace chainload
