#pragma once
// Posterior:anterior balance and antagonist-pair ratios of a dose matrix (rows x muscles).
// Lateral muscles are outside both chains and take no part in the chain ratio.
#include "chainload/dose.hpp"
#include "chainload/muscle_graph.hpp"

#include <string>
#include <vector>

namespace chainload {

struct BalanceSpec {
  std::vector<std::size_t> posterior;
  std::vector<std::size_t> anterior;
  std::vector<double> size;  // per muscle
  std::vector<AntagonistGroup> groups;

  static BalanceSpec from_graph(const MuscleGraph& graph);
  // Names of the output columns, in order.
  std::vector<std::string> columns() const;
};

// num / den, with the conventions of every ratio chainload reports: x/0 = +inf for x > 0, 0/0 = NaN.
double ratio(double num, double den);

// out: rows x (2 + groups). Column 0: posterior:anterior of the raw dose; column 1: the same with
// each chain's dose divided by the chain's total muscle size (load per unit of muscle); then one
// column per antagonist group (a-side load / b-side load).
void balance(const BalanceSpec& spec, const ConstRowMatrixRef& dose, RowMatrixRef out);

}  // namespace chainload
