#include "chainload/balance.hpp"

#include "chainload/errors.hpp"

#include <cmath>
#include <limits>

namespace chainload {

BalanceSpec BalanceSpec::from_graph(const MuscleGraph& graph) {
  BalanceSpec spec;
  spec.posterior = graph.in_chain(Chain::posterior);
  spec.anterior = graph.in_chain(Chain::anterior);
  for (std::size_t m = 0; m < graph.size(); ++m) spec.size.push_back(graph.muscle(m).size);
  spec.groups = graph.antagonist_groups();
  return spec;
}

std::vector<std::string> BalanceSpec::columns() const {
  std::vector<std::string> out{"posterior_anterior", "posterior_anterior_per_size"};
  for (const auto& g : groups) out.push_back(g.name);
  return out;
}

double ratio(double num, double den) {
  if (den > 0.0) return num / den;
  return num > 0.0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
}

void balance(const BalanceSpec& spec, const ConstRowMatrixRef& dose, RowMatrixRef out) {
  if (static_cast<std::size_t>(dose.cols()) != spec.size.size())
    throw InvalidInput("dose has " + std::to_string(dose.cols()) + " muscle columns, the graph " +
                       std::to_string(spec.size.size()));
  if (out.rows() != dose.rows() || static_cast<std::size_t>(out.cols()) != 2 + spec.groups.size())
    throw InvalidInput("balance output array has the wrong shape");
  auto sum = [](const auto& row, const std::vector<std::size_t>& muscles) {
    double s = 0.0;
    for (auto m : muscles) s += row(static_cast<Eigen::Index>(m));
    return s;
  };
  double posterior_size = 0.0, anterior_size = 0.0;
  for (auto m : spec.posterior) posterior_size += spec.size[m];
  for (auto m : spec.anterior) anterior_size += spec.size[m];
  for (Eigen::Index r = 0; r < dose.rows(); ++r) {
    const auto row = dose.row(r);
    const double post = sum(row, spec.posterior), ant = sum(row, spec.anterior);
    out(r, 0) = ratio(post, ant);
    out(r, 1) = ratio(post / posterior_size, ant / anterior_size);
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
      out(r, static_cast<Eigen::Index>(2 + g)) = ratio(sum(row, spec.groups[g].a_side), sum(row, spec.groups[g].b_side));
  }
}

}  // namespace chainload
