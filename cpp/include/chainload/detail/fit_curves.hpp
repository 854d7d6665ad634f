#pragma once
// The fitted models as curves (fit.hpp): a model's performance at the observations is A(theta) c,
// c the parameters it is linear in, theta the others. Used by the solver (fit_solver.hpp) and
// the public fit (fit.cpp); the models themselves are in fit_curves.cpp.
#include "chainload/fit.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

namespace chainload::fit_detail {

using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;

// eval() fills A (n_obs x n_lin) and dA[i] = dA/dtheta_i.
class Curve {
 public:
  Curve(const double* load, std::vector<std::int32_t> idx)
      : load_(load), idx_(std::move(idx)), order_(idx_.size()) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return idx_[a] < idx_[b]; });
    last_ = idx_.empty() ? -1 : idx_[order_.back()];
  }
  virtual ~Curve() = default;
  std::size_t n_obs() const { return idx_.size(); }
  virtual std::vector<std::size_t> linear() const = 0;     // positions of c in the parameter vector
  virtual std::vector<std::size_t> nonlinear() const = 0;  // positions of theta
  virtual void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const = 0;

 protected:
  // Calls row(i, t) for every observation i, in order of its day index t (t < 0 first: state 0),
  // after advance(t) has been called for each day 0 .. t.
  template <typename Advance, typename Row, typename Zero>
  void walk(Advance&& advance, Row&& row, Zero&& zero) const {
    std::size_t k = 0;
    const std::size_t n = order_.size();
    while (k < n && idx_[order_[k]] < 0) zero(order_[k++]);
    for (std::int32_t t = 0; t <= last_ && k < n; ++t) {
      advance(load_[t]);
      while (k < n && idx_[order_[k]] == t) row(order_[k++]);
    }
  }
  const double* load_;
  std::vector<std::int32_t> idx_;  // the day index whose performance each observation sees
  std::vector<std::size_t> order_;
  std::int32_t last_;
};

// The curve of `model` observed at day indices idx (load[0 ..] must outlive it).
std::unique_ptr<Curve> make_curve(FitModel model, const double* load, std::vector<std::int32_t> idx);

}  // namespace chainload::fit_detail
