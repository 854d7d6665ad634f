#include "chainload/balance.hpp"

#include "chainload/detail/parallel.hpp"
#include "chainload/errors.hpp"

#include <algorithm>
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
    spec.post_weight.push_back(post);
    spec.ant_weight.push_back(ant);
    for (Eigen::Index r = 0; r < 3; ++r) {
      if (muscle.region != regions[r]) continue;
      spec.num(1 + r, j) = post;
      spec.den(1 + r, j) = ant;
      spec.region.push_back(static_cast<int>(r));
    }
  }
  {
    double post_max[3] = {0, 0, 0}, ant_max[3] = {0, 0, 0};
    for (std::size_t m = 0; m < n; ++m) {
      const auto k = static_cast<std::size_t>(spec.region[m]);
      post_max[k] = std::max(post_max[k], spec.post_weight[m]);
      ant_max[k] = std::max(ant_max[k], spec.ant_weight[m]);
    }
    const double post_total = spec.num.row(0).sum(), ant_total = spec.den.row(0).sum();
    const bool body = post_total > 0.0 && ant_total > 0.0;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto c = static_cast<Eigen::Index>(1 + k);
      const double p = spec.num.row(c).sum(), a = spec.den.row(c).sum();
      const bool both = p > 0.0 && a > 0.0;
      spec.post_region_norm[k] = both ? post_max[k] / p : 0.0;
      spec.ant_region_norm[k] = both ? ant_max[k] / a : 0.0;
      spec.post_body_norm[k] = body ? post_max[k] / post_total : 0.0;
      spec.ant_body_norm[k] = body ? ant_max[k] / ant_total : 0.0;
    }
    for (std::size_t m = 0; m < n; ++m) {
      const auto k = static_cast<std::size_t>(spec.region[m]);
      spec.post_weight[m] = post_max[k] > 0.0 ? spec.post_weight[m] / post_max[k] : 0.0;
      spec.ant_weight[m] = ant_max[k] > 0.0 ? spec.ant_weight[m] / ant_max[k] : 0.0;
    }
    for (std::size_t k = 0; k < 3; ++k) {
      for (std::size_t m = 0; m < n; ++m) {
        if (static_cast<std::size_t>(spec.region[m]) != k) continue;
        spec.order.push_back(static_cast<Eigen::Index>(m));
        spec.post_sorted.push_back(spec.post_weight[m]);
        spec.ant_sorted.push_back(spec.ant_weight[m]);
      }
      spec.region_offset[k + 1] = spec.order.size();
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

namespace {
// ratio() without a branch for the row loop: doses are >= 0, so IEEE division already gives
// x / 0 = +inf for x > 0 and 0 / 0 = NaN, the conventions of ratio().
inline double quotient(double num, double den) { return num / den; }
}  // namespace

void balance(const BalanceSpec& spec, const ConstRowMatrixRef& dose, RowMatrixRef out, unsigned threads) {
  if (dose.cols() != spec.n_muscles())
    throw InvalidInput("dose has " + std::to_string(dose.cols()) + " muscle columns, the graph " +
                       std::to_string(spec.n_muscles()));
  if (out.rows() != dose.rows() || out.cols() != spec.num.rows())
    throw InvalidInput("balance output array has the wrong shape");
  if (spec.num_offset.size() != static_cast<std::size_t>(spec.num.rows()) + 1 ||
      spec.den_offset.size() != static_cast<std::size_t>(spec.den.rows()) + 1)
    throw InvalidInput("balance spec was not built by BalanceSpec::from_graph");
  if (spec.order.size() != static_cast<std::size_t>(dose.cols()))
    throw InvalidInput("balance spec was not built by BalanceSpec::from_graph");
  const auto cols = static_cast<std::size_t>(spec.num.rows());
  // Local copies of every pointer the loop reads, so that the stores to `out` cannot alias them
  // and nothing is reloaded per muscle.
  const Eigen::Index* order = spec.order.data();
  const double* post_w = spec.post_sorted.data();
  const double* ant_w = spec.ant_sorted.data();
  const std::size_t region_offset[4] = {spec.region_offset[0], spec.region_offset[1], spec.region_offset[2],
                                        spec.region_offset[3]};
  const std::size_t* num_off = spec.num_offset.data();
  const std::size_t* den_off = spec.den_offset.data();
  const Eigen::Index* num_idx = spec.num_index.data();
  const Eigen::Index* den_idx = spec.den_index.data();
  const double* num_w = spec.num_weight.data();
  const double* den_w = spec.den_weight.data();
  double post_region[3], ant_region[3], post_body[3], ant_body[3];
  for (std::size_t k = 0; k < 3; ++k) {
    post_region[k] = spec.post_region_norm[k];
    ant_region[k] = spec.ant_region_norm[k];
    post_body[k] = spec.post_body_norm[k];
    ant_body[k] = spec.ant_body_norm[k];
  }
  const double* dose_data = dose.data();
  const Eigen::Index dose_stride = dose.outerStride();
  double* out_data = out.data();
  const Eigen::Index out_stride = out.outerStride();
  parallel_for(static_cast<std::size_t>(dose.rows()), threads, [&](std::size_t first, std::size_t last) {
    for (std::size_t r = first; r < last; ++r) {
      const double* d = dose_data + static_cast<Eigen::Index>(r) * dose_stride;
      double* o = out_data + static_cast<Eigen::Index>(r) * out_stride;
      // chain columns: one pass, each side's weighted sum per region
      // (scalar accumulators per region: they stay in registers)
      double post[3], ant[3];
      for (std::size_t k = 0; k < 3; ++k) {
        double p = 0.0, a = 0.0;
        for (std::size_t j = region_offset[k]; j < region_offset[k + 1]; ++j) {
          const double x = d[order[j]];
          p += post_w[j] * x;
          a += ant_w[j] * x;
        }
        post[k] = p;
        ant[k] = a;
      }
      o[0] = quotient(post[0] * post_body[0] + post[1] * post_body[1] + post[2] * post_body[2],
                   ant[0] * ant_body[0] + ant[1] * ant_body[1] + ant[2] * ant_body[2]);
      for (std::size_t k = 0; k < 3; ++k) o[1 + k] = quotient(post[k] * post_region[k], ant[k] * ant_region[k]);
      for (std::size_t c = 4; c < cols; ++c) {
        double n = 0.0, a = 0.0;
        for (std::size_t j = num_off[c]; j < num_off[c + 1]; ++j) n += num_w[j] * d[num_idx[j]];
        for (std::size_t j = den_off[c]; j < den_off[c + 1]; ++j) a += den_w[j] * d[den_idx[j]];
        o[c] = quotient(n, a);
      }
    }
  });
}

}  // namespace chainload
