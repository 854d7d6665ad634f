#pragma once
// Posterior:anterior balance and antagonist-pair ratios of a dose matrix (rows x muscles),
// invariant to how finely the graph is cut (docs/balance.md).
//
// Every muscle m has a size s_m (share of body muscle volume) and a posterior share p_m in [0, 1]
// (1 posterior, 0 anterior, in between for groups that wrap around the body). A side's stimulus is
// the volume-weighted mean dose of its muscles:
//   P = sum_m p_m s_m d_m / sum_m p_m s_m,   A = sum_m (1 - p_m) s_m d_m / sum_m (1 - p_m) s_m,
// and posterior:anterior = P / A. Splitting a muscle into parts whose sizes add up and whose doses
// equal the whole's leaves both means, hence every ratio, unchanged. The same per region (sums over
// the region's muscles only) and per antagonist group (size-weighted mean dose of the a-side over
// that of the b-side).
#include "chainload/dose.hpp"
#include "chainload/muscle_graph.hpp"

#include <string>
#include <vector>

namespace chainload {

struct BalanceSpec {
  std::vector<std::string> names;  // one per output column
  RowMatrix num;                   // columns x muscles: normalised numerator weights (each row sums to 1, or is 0)
  RowMatrix den;                   // columns x muscles: normalised denominator weights
  // The nonzero weights of num and den, column by column (CSR), which is what balance() reads:
  // entries [offset[c], offset[c + 1]) of index / weight.
  std::vector<std::size_t> num_offset, den_offset;
  std::vector<Eigen::Index> num_index, den_index;
  std::vector<double> num_weight, den_weight;
  // The chain columns in one pass over the muscles: each muscle's region (0 upper, 1 lower,
  // 2 trunk) and its posterior and anterior weight (share x size) divided by the largest such
  // weight of its region and side (so no sum under- or overflows); per region and side,
  // region_norm = that largest weight / the side's total weight in the region, and
  // body_norm = that largest weight / the side's total weight over the body (0 where a side has
  // no muscle, which makes the column 0 / 0 = NaN).
  std::vector<int> region;                    // per muscle, graph order
  std::vector<double> post_weight, ant_weight;  // per muscle, graph order (scaled as above)
  // The same weights with the muscles sorted by region (what the row loop reads): muscles
  // order[region_offset[k] .. region_offset[k + 1]) are region k's.
  std::vector<Eigen::Index> order;
  std::size_t region_offset[4] = {0, 0, 0, 0};
  std::vector<double> post_sorted, ant_sorted;
  double post_region_norm[3] = {0, 0, 0}, ant_region_norm[3] = {0, 0, 0};
  double post_body_norm[3] = {0, 0, 0}, ant_body_norm[3] = {0, 0, 0};

  // Columns: posterior_anterior, posterior_anterior_upper, posterior_anterior_lower,
  // posterior_anterior_trunk, then one per antagonist group. posterior_share has one entry per
  // muscle in [0, 1]; throws InvalidInput otherwise.
  static BalanceSpec from_graph(const MuscleGraph& graph, const std::vector<double>& posterior_share);
  // Shares from the chains alone: posterior 1, anterior 0; throws InvalidInput naming any lateral
  // muscle (a wrapping muscle needs an explicit share, never a silent exclusion).
  static BalanceSpec from_graph(const MuscleGraph& graph);
  std::vector<std::string> columns() const { return names; }
  Eigen::Index n_muscles() const { return num.cols(); }
};

// num / den, with the conventions of every ratio chainload reports: x/0 = +inf for x > 0, 0/0 = NaN.
double ratio(double num, double den);

// out: rows x columns. out(r, c) = ratio(num.row(c) . dose.row(r), den.row(c) . dose.row(r)).
// A column whose numerator or denominator side has no muscle (zero total weight) is NaN. Rows are
// split over `threads` threads (0: all cores); no allocation inside the loop. Doses must be >= 0
// (the loop divides without a branch; a negative dose over 0 would give -inf, not NaN).
void balance(const BalanceSpec& spec, const ConstRowMatrixRef& dose, RowMatrixRef out, unsigned threads = 1);

}  // namespace chainload
