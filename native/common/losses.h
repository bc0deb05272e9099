// Loss math written once for the CPU and CUDA kernels (SP_HD).
//
// Classification (softmax cross-entropy / NLL, PyTorch 1.13 semantics), for one row z of C
// logits with target y, class weights w (all 1 when absent) and label smoothing e:
//   logp_c  = z_c - logsumexp(z)                 (or z_c itself when the input is log-probs)
//   loss    = (1 - e) * w_y * (-logp_y) + (e / C) * sum_c w_c * (-logp_c)
//   dloss/dz_c = (1 - e) * w_y * (p_c - [c == y]) + (e / C) * (W * p_c - w_c),  W = sum_c w_c
// An ignored row (y == ignoreIndex) contributes 0 and counts for nothing. The 'mean' reduction
// divides by sum over kept rows of w_y (the row count without weights), as nll_loss does.
//
// Pointwise regression/binary losses of input x and target t, with their derivative in x:
//   mse     (x - t)^2                                 2 (x - t)
//   l1      |x - t|                                   sign(x - t)
//   huber   r^2 / 2 if |r| <= d else d (|r| - d / 2)  r if |r| <= d else d sign(r),  r = x - t
//   bce     (1 - t) x + l (log(1 + e^-|x|) + max(-x, 0)),  l = 1 + (pw - 1) t
//           d/dx = (1 - t) - l sigmoid(-x)            (BCEWithLogits, pos_weight pw)
#pragma once
#include <cmath>
#include <cstdint>

#include "common/activations.h"
#include "common/hostdevice.h"

namespace steepest {

enum class PointwiseLoss : int { Mse = 0, L1, Huber, BceWithLogits, Count };

// Loss value of one element; `param` is Huber's delta or BCE's pos_weight.
SP_HD float pointwiseLoss(PointwiseLoss op, float x, float t, float param) {
  const float r = x - t;
  switch (op) {
    case PointwiseLoss::Mse: return r * r;
    case PointwiseLoss::L1: return fabsf(r);
    case PointwiseLoss::Huber: {
      const float a = fabsf(r);
      return a <= param ? 0.5f * r * r : param * (a - 0.5f * param);
    }
    default: {
      const float l = 1.f + (param - 1.f) * t;
      return (1.f - t) * x + l * (log1pf(expf(-fabsf(x))) + fmaxf(-x, 0.f));
    }
  }
}

// d loss / d x of one element.
SP_HD float pointwiseLossGrad(PointwiseLoss op, float x, float t, float param) {
  const float r = x - t;
  switch (op) {
    case PointwiseLoss::Mse: return 2.f * r;
    case PointwiseLoss::L1: return signOf(r);
    case PointwiseLoss::Huber: return fabsf(r) <= param ? r : param * signOf(r);
    default: {
      const float l = 1.f + (param - 1.f) * t;
      return (1.f - t) - l * sigmoid(-x);
    }
  }
}

// The pos_weight of element i: its column's entry of posWeight [cols], else `param` for all.
SP_HD float pointwiseParamAt(const float* posWeight, int64_t i, int64_t cols, float param) {
  return posWeight ? posWeight[i % cols] : param;
}

// The gradient's factor: 1 / n for the 'mean' reduction (in float), 1 otherwise.
SP_HD float pointwiseGradScale(bool mean, int64_t n) { return mean ? 1.f / static_cast<float>(n) : 1.f; }

// The reduced loss from the double sum of the n element losses ('mean': 0 / 0 = NaN when n = 0).
SP_HD float pointwiseReduced(double total, bool mean, int64_t n) {
  return static_cast<float>(mean ? total / static_cast<double>(n) : total);
}

struct ClassLossParams {
  int64_t classes;
  const float* weight;  // per-class weights, or null for all ones
  float weightSum;      // sum of the weights (classes when null)
  float smoothing;      // label smoothing e in [0, 1]
  bool logProbInput;    // input already holds log-probabilities (NLLLoss)
};

// Loss of one kept row (target y valid); writes d loss / d z (unscaled) into grad when not null.
SP_HD double classLossRow(const float* z, int32_t y, const ClassLossParams& p, float* grad) {
  const int64_t C = p.classes;
  double lse = 0;  // logsumexp(z), 0 for log-prob input
  if (!p.logProbInput) {
    float m = z[0];
    for (int64_t c = 1; c < C; ++c) m = z[c] > m ? z[c] : m;
    double s = 0;
    for (int64_t c = 0; c < C; ++c) s += exp(static_cast<double>(z[c] - m));
    lse = m + log(s);
  }
  const double wy = p.weight ? p.weight[y] : 1.0;
  const double e = p.smoothing;
  double smooth = 0;
  if (e != 0) {
    for (int64_t c = 0; c < C; ++c) smooth -= (p.weight ? p.weight[c] : 1.0) * (z[c] - lse);
  }
  const double loss = (1 - e) * wy * (lse - z[y]) + e / static_cast<double>(C) * smooth;
  if (grad) {
    if (p.logProbInput) {
      for (int64_t c = 0; c < C; ++c) grad[c] = 0.f;
      grad[y] = static_cast<float>(-wy);
    } else {
      const double a = (1 - e) * wy + e / static_cast<double>(C) * p.weightSum;
      const double b = e / static_cast<double>(C);
      for (int64_t c = 0; c < C; ++c) {
        const double pc = exp(static_cast<double>(z[c]) - lse);
        grad[c] = static_cast<float>(a * pc - b * (p.weight ? p.weight[c] : 1.0));
      }
      grad[y] -= static_cast<float>((1 - e) * wy);
    }
  }
  return loss;
}

}  // namespace steepest
