#include "cpu/batchnorm.h"

#include <algorithm>

#include "common/batchnorm.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

namespace {
// Channels per task: about 16K elements.
int64_t channelGrain(BatchNormShape s) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(s.N * s.L, 1)); }

// Calls f(value index) for every element of channel c.
template <typename F>
void forChannel(BatchNormShape s, int64_t c, F f) {
  for (int64_t n = 0; n < s.N; ++n) {
    const int64_t base = (n * s.C + c) * s.L;
    for (int64_t l = 0; l < s.L; ++l) f(base + l);
  }
}
}  // namespace

void batchNormForward(const float* x, BatchNormShape s, const float* gamma, const float* beta, float* runMean,
                      float* runVar, bool training, float momentum, float eps, float* y, float* saveMean,
                      float* saveInvstd) {
  const int64_t M = s.N * s.L;
  parallelFor(s.C, channelGrain(s), [&](int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      double mean, var;
      if (training) {
        double sum = 0;
        forChannel(s, c, [&](int64_t i) { sum += x[i]; });
        mean = sum / static_cast<double>(M);
        double sq = 0;
        forChannel(s, c, [&](int64_t i) { sq += batchNormSquaredDeviation(x[i], mean); });
        var = sq / static_cast<double>(M);
        batchNormUpdateRunning(runMean, runVar, c, momentum, mean, sq, M);
      } else {
        mean = runMean[c];
        var = runVar[c];
      }
      const double invstd = batchNormInvstd(var, eps);
      saveMean[c] = static_cast<float>(mean);
      saveInvstd[c] = static_cast<float>(invstd);
      const double a = batchNormScale(gamma, c, invstd);
      const double b = batchNormShift(beta, c, mean, a);
      forChannel(s, c, [&](int64_t i) { y[i] = batchNormOutput(x[i], a, b); });
    }
  });
}

void batchNormBackward(const float* x, const float* g, BatchNormShape s, const float* gamma, const float* saveMean,
                       const float* saveInvstd, bool training, float* dx, float* dgamma, float* dbeta) {
  const double M = static_cast<double>(s.N * s.L);
  parallelFor(s.C, channelGrain(s), [&](int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      const double mean = saveMean[c], invstd = saveInvstd[c];
      double sg = 0, sgx = 0;
      forChannel(s, c, [&](int64_t i) {
        sg += g[i];
        sgx += batchNormGradXhat(g[i], x[i], mean, invstd);
      });
      if (dgamma) dgamma[c] = static_cast<float>(sgx);
      if (dbeta) dbeta[c] = static_cast<float>(sg);
      if (!dx) continue;
      const double k = batchNormScale(gamma, c, invstd);
      forChannel(s, c, [&](int64_t i) {
        dx[i] = static_cast<float>(batchNormInputGrad(g[i], batchNormXhat(x[i], mean, invstd), k, sg, sgx, M, training));
      });
    }
  });
}

}  // namespace steepest::cpu
