// The whole backward of y = act(x W^T + b) in one call, so a layer costs one N-API crossing:
//   gz = g * [y > 0] (ReLU, in place in g) or g
//   db = dbBeta * db + sum_rows gz        dW = dwBeta * dW + gz^T x        dx = gz W
// beta = 1 accumulates straight into a parameter's existing gradient (an optimizer's arena).
// x: M x K, W: N x K, g and y: M x N. Any of dx, dW, db may be null.
#pragma once
#include <cstdint>

namespace steepest::cpu {

struct LinearGrads {
  float* dx = nullptr;
  float* dW = nullptr;
  float dwBeta = 0.f;
  float* db = nullptr;
  float dbBeta = 0.f;
};

void linearBackward(float* g, const float* y, bool relu, const float* x, const float* W, int64_t M, int64_t N,
                    int64_t K, LinearGrads out);

}  // namespace steepest::cpu
