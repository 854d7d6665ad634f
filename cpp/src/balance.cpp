#include "chainload/balance.hpp"

#include "chainload/detail/parallel.hpp"
#include "chainload/errors.hpp"

#include <cmath>
#include <limits>

namespace chainload {

namespace {

// Normalise a weight row to sum 1; false when the row has no weight (a side without muscle).
bool normalise(RowMatrix& w, Eigen::Index row) {
  const double total = w.row(row).sum();
  if (!(total > 0.0)) return false;
  w.row(row) /= total;
  return true;
}

void compress(const RowMatrix& w, std::vector<std::size_t>& offset, std::vector<Eigen::Index>& index,
              std::vector<double>& weight) {
  offset.assign(1, 0);
  index.clear();
  weight.clear();
  for (Eigen::Index c = 0; c < w.rows(); ++c) {
    for (Eigen::Index m = 0; m < w.cols(); ++m) {
      if (w(c, m) == 0.0) continue;
      index.push_back(m);
      weight.push_back(w(c, m));
    }
    offset.push_back(index.size());
  }
}

double dot(const std::vector<std::size_t>& offset, const std::vector<Eigen::Index>& index,
           const std::vector<double>& weight, Eigen::Index c, const Eigen::Ref<const RowMatrix>& dose,
           Eigen::Index r) {
  double s = 0.0;
  const auto col = static_cast<std::size_t>(c);
  for (std::size_t k = offset[col]; k < offset[col + 1]; ++k) s += weight[k] * dose(r, index[k]);
  return s;
}

}  // namespace

BalanceSpec BalanceSpec::from_graph(const MuscleGraph& graph, const std::vector<double>& posterior_share) {
  const std::size_t n = graph.size();
  if (posterior_share.size() != n)
    throw InvalidInput("posterior_share has " + std::to_string(posterior_share.size()) + " entries, the graph " +
                       std::to_string(n) + " muscles");
  for (std::size_t m = 0; m < n; ++m) {
    const double p = posterior_share[m];
    if (!(p >= 0.0 && p <= 1.0))
      throw InvalidInput("posterior share of muscle '" + graph.muscle(m).id + "' must be in [0, 1], got " +
                         std::to_string(p));
  }
  const auto groups = graph.antagonist_groups();
  BalanceSpec spec;
  spec.names = {"posterior_anterior", "posterior_anterior_upper", "posterior_anterior_lower",
                "posterior_anterior_trunk"};
  for (const auto& g : groups) spec.names.push_back(g.name);
  const auto cols = static_cast<Eigen::Index>(spec.names.size());
  const auto muscles = static_cast<Eigen::Index>(n);
  spec.num = RowMatrix::Zero(cols, muscles);
  spec.den = RowMatrix::Zero(cols, muscles);
  const Region regions[] = {Region::upper, Region::lower, Region::core};
  for (std::size_t m = 0; m < n; ++m) {
    const auto& muscle = graph.muscle(m);
    const auto j = static_cast<Eigen::Index>(m);
    const double post = posterior_share[m] * muscle.size, ant = (1.0 - posterior_share[m]) * muscle.size;
    spec.num(0, j) = post;
    spec.den(0, j) = ant;
    for (Eigen::Index r = 0; r < 3; ++r) {
      if (muscle.region != regions[r]) continue;
      spec.num(1 + r, j) = post;
      spec.den(1 + r, j) = ant;
    }
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto c = static_cast<Eigen::Index>(4 + g);
    for (auto m : groups[g].a_side) spec.num(c, static_cast<Eigen::Index>(m)) = graph.muscle(m).size;
    for (auto m : groups[g].b_side) spec.den(c, static_cast<Eigen::Index>(m)) = graph.muscle(m).size;
  }
  for (Eigen::Index c = 0; c < cols; ++c) {
    // A side without muscle: both rows zeroed, so that the column is 0 / 0 = NaN for every dose.
    if (!normalise(spec.num, c) || !normalise(spec.den, c)) {
      spec.num.row(c).setZero();
      spec.den.row(c).setZero();
    }
  }
  compress(spec.num, spec.num_offset, spec.num_index, spec.num_weight);
  compress(spec.den, spec.den_offset, spec.den_index, spec.den_weight);
  return spec;
}

BalanceSpec BalanceSpec::from_graph(const MuscleGraph& graph) {
  std::vector<double> share(graph.size());
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const auto& muscle = graph.muscle(m);
    if (muscle.chain == Chain::lateral)
      throw InvalidInput("muscle '" + muscle.id +
                         "' is lateral: give its posterior share explicitly (it wraps around the body)");
    share[m] = muscle.chain == Chain::posterior ? 1.0 : 0.0;
  }
  return from_graph(graph, share);
}

double ratio(double num, double den) {
  if (den > 0.0) return num / den;
  return num > 0.0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
}

void balance(const BalanceSpec& spec, const ConstRowMatrixRef& dose, RowMatrixRef out, unsigned threads) {
  if (dose.cols() != spec.n_muscles())
    throw InvalidInput("dose has " + std::to_string(dose.cols()) + " muscle columns, the graph " +
                       std::to_string(spec.n_muscles()));
  if (out.rows() != dose.rows() || out.cols() != spec.num.rows())
    throw InvalidInput("balance output array has the wrong shape");
  if (spec.num_offset.size() != static_cast<std::size_t>(spec.num.rows()) + 1 ||
      spec.den_offset.size() != static_cast<std::size_t>(spec.den.rows()) + 1)
    throw InvalidInput("balance spec was not built by BalanceSpec::from_graph");
  const Eigen::Index cols = spec.num.rows();
  parallel_for(static_cast<std::size_t>(dose.rows()), threads, [&](std::size_t first, std::size_t last) {
    for (auto r = static_cast<Eigen::Index>(first); r < static_cast<Eigen::Index>(last); ++r)
      for (Eigen::Index c = 0; c < cols; ++c)
        out(r, c) = ratio(dot(spec.num_offset, spec.num_index, spec.num_weight, c, dose, r),
                          dot(spec.den_offset, spec.den_index, spec.den_weight, c, dose, r));
  });
}

}  // namespace chainload
