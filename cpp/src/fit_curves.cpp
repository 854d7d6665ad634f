// The fitted models (fit.hpp) as curves A(theta) c with their derivatives in theta.
#include "chainload/detail/fit_curves.hpp"

#include "chainload/kinetics.hpp"

#include <cmath>

namespace chainload::fit_detail {

namespace {
// Banister: A = [1, fitness(tau1), -fatigue(tau2)], c = (p0, k1, k2), theta = (tau1, tau2).
// d fitness(t) / d tau = e^(-1/tau) (d fitness(t-1) / d tau + fitness(t-1) / tau^2).
class BanisterCurve : public Curve {
 public:
  using Curve::Curve;
  std::vector<std::size_t> linear() const override { return {0, 1, 2}; }
  std::vector<std::size_t> nonlinear() const override { return {3, 4}; }
  void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const override {
    const double d1 = kinetics::day_decay(theta[0]), d2 = kinetics::day_decay(theta[1]);
    const double c1 = d1 / (theta[0] * theta[0]), c2 = d2 / (theta[1] * theta[1]);
    double f = 0.0, df = 0.0, g = 0.0, dg = 0.0;
    dA[0].col(0).setZero();
    dA[0].col(2).setZero();
    dA[1].col(0).setZero();
    dA[1].col(1).setZero();
    walk(
        [&](double w) {
          df = d1 * df + c1 * f;
          f = kinetics::trace_step(f, d1, w);
          dg = d2 * dg + c2 * g;
          g = kinetics::trace_step(g, d2, w);
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0;
          A(r, 1) = f;
          A(r, 2) = -g;
          dA[0](r, 1) = df;
          dA[1](r, 2) = -dg;
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A.row(r) << 1.0, 0.0, 0.0;
          dA[0](r, 1) = 0.0;
          dA[1](r, 2) = 0.0;
        });
  }
};

// Saturating: A = [1 + S - k2 fatigue], c = (p0), theta = (gain, ceiling, tau_detrain, k2, tau2).
// Each day S <- S e^(-1/tau_d); with load w > 0, S <- R - (R - S) E, E = e^(-gain w / R), R = ceiling - 1;
// the derivatives of S follow by differentiating these two steps.
class SaturatingCurve : public Curve {
 public:
  using Curve::Curve;
  std::vector<std::size_t> linear() const override { return {0}; }
  std::vector<std::size_t> nonlinear() const override { return {1, 2, 3, 4, 5}; }
  void eval(const Vec& theta, Mat& A, std::vector<Mat>& dA) const override {
    const double gain = theta[0], room = theta[1] - 1.0, td = theta[2], k2 = theta[3], tau2 = theta[4];
    const double ed = kinetics::day_decay(td), ded = ed / (td * td);
    const double d2 = kinetics::day_decay(tau2), c2 = d2 / (tau2 * tau2);
    double s = 0.0, sg = 0.0, sc = 0.0, sd = 0.0, g = 0.0, dg = 0.0;
    walk(
        [&](double w) {
          sd = sd * ed + s * ded;
          s *= ed;
          sg *= ed;
          sc *= ed;
          if (w > 0.0) {
            const double e = kinetics::saturating_factor(gain, w, room), gap = room - s;
            sg = sg * e + gap * e * w / room;
            sc = 1.0 - (1.0 - sc) * e - gap * e * gain * w / (room * room);
            sd *= e;
            s = room - gap * e;
          }
          dg = d2 * dg + c2 * g;
          g = kinetics::trace_step(g, d2, w);
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0 + s - k2 * g;
          dA[0](r, 0) = sg;
          dA[1](r, 0) = sc;
          dA[2](r, 0) = sd;
          dA[3](r, 0) = -g;
          dA[4](r, 0) = -k2 * dg;
        },
        [&](std::size_t i) {
          const auto r = static_cast<Eigen::Index>(i);
          A(r, 0) = 1.0;
          for (auto& m : dA) m(r, 0) = 0.0;
        });
  }
};
}  // namespace

std::unique_ptr<Curve> make_curve(FitModel model, const double* load, std::vector<std::int32_t> idx) {
  if (model == FitModel::saturating) return std::make_unique<SaturatingCurve>(load, std::move(idx));
  return std::make_unique<BanisterCurve>(load, std::move(idx));
}

}  // namespace chainload::fit_detail
