#include "cpu/recurrent.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu/gemm.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

using common::Cell;
using common::GruGates;
using common::LstmGates;

// Per-thread scratch (the step's W_hh products, the backward's gradients): grown once, reused
// by every later call, so a training step allocates nothing.
float* scratch(std::vector<float>& v, int64_t size) {
  if (static_cast<int64_t>(v.size()) < size) v.resize(static_cast<size_t>(size));
  return v.data();
}

// The gate kernels split the batch over the pool in chunks of at least ~2k hidden units: less
// is cheaper inline than a wake-up.
int64_t batchGrain(const RecurrentShape& s) { return std::max<int64_t>(1, 2048 / s.H); }

// out[j] += sum_r g[r * cols + j], row by row so the inner loop is contiguous.
void addColumnSums(const float* g, int64_t rows, int64_t cols, float* out) {
  parallelFor(cols, 256, [&](int64_t jb, int64_t je) {
    for (int64_t r = 0; r < rows; ++r) {
      const float* gr = g + r * cols;
      for (int64_t j = jb; j < je; ++j) out[j] += gr[j];
    }
  });
}

// The gate loops are compiled for AVX-512, AVX2 and the baseline and the best is picked at load
// time (as optim.cc's loops): with the branch-free exp / tanh of common/activations.h they
// vectorize across hidden units.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define SP_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SP_VECTOR_CLONES
#endif

// One batch row of one step. a: the row's [gates*H] input projections in, activations out;
// hh: h_prev W_hh^T; bh: b_hh (zeros when absent); h: the new hidden state into y and next.
SP_VECTOR_CLONES void lstmRow(int64_t H, float* __restrict a, const float* __restrict hh, const float* __restrict bh,
                              const float* __restrict cPrev, float* __restrict c, float* __restrict y, float* __restrict next) {
  for (int64_t j = 0; j < H; ++j) {
    float h;
    const LstmGates g = common::lstmCell(a[j] + hh[j] + bh[j], a[H + j] + hh[H + j] + bh[H + j], a[2 * H + j] + hh[2 * H + j] + bh[2 * H + j],
                                         a[3 * H + j] + hh[3 * H + j] + bh[3 * H + j], cPrev[j], c[j], h);
    a[j] = g.i, a[H + j] = g.f, a[2 * H + j] = g.g, a[3 * H + j] = g.o;
    y[j] = h, next[j] = h;
  }
}

// hn: W_hn h_prev + b_hn saved for the backward.
SP_VECTOR_CLONES void gruRow(int64_t H, float* __restrict a, const float* __restrict hh, const float* __restrict bh,
                             const float* __restrict hPrev, float* __restrict hn, float* __restrict y, float* __restrict next) {
  for (int64_t j = 0; j < H; ++j) {
    hn[j] = hh[2 * H + j] + bh[2 * H + j];
    float h;
    const GruGates g = common::gruCell(a[j] + hh[j] + bh[j], a[H + j] + hh[H + j] + bh[H + j], a[2 * H + j], hn[j], hPrev[j], h);
    a[j] = g.r, a[H + j] = g.z, a[2 * H + j] = g.n;
    y[j] = h, next[j] = h;
  }
}

// The adjoint of lstmRow: dA (pre-activation gradients) from the saved row; dc in: dL/dc from
// the next step, out: dL/dc_prev.
SP_VECTOR_CLONES void lstmRowBackward(int64_t H, const float* __restrict a, const float* __restrict c, const float* __restrict cPrev,
                                      const float* __restrict dy, const float* __restrict dhNext, float* __restrict dc, float* __restrict dA) {
  for (int64_t j = 0; j < H; ++j) {
    float dcPrev;
    const LstmGates d = common::lstmCellBackward({a[j], a[H + j], a[2 * H + j], a[3 * H + j]}, c[j], cPrev[j], dy[j] + dhNext[j], dc[j], dcPrev);
    dA[j] = d.i, dA[H + j] = d.f, dA[2 * H + j] = d.g, dA[3 * H + j] = d.o;
    dc[j] = dcPrev;
  }
}

// dh in: dL/dh from the next step; out: its direct part z dh of dL/dh_prev.
SP_VECTOR_CLONES void gruRowBackward(int64_t H, const float* __restrict a, const float* __restrict hn, const float* __restrict hPrev,
                                     const float* __restrict dy, float* __restrict dh, float* __restrict dAh, float* __restrict dAx) {
  for (int64_t j = 0; j < H; ++j) {
    float dhPrev;
    const common::GruGrads d = common::gruCellBackward({a[j], a[H + j], a[2 * H + j]}, hn[j], hPrev[j], dy[j] + dh[j], dhPrev);
    dAh[j] = dAx[j] = d.ar;
    dAh[H + j] = dAx[H + j] = d.az;
    dAh[2 * H + j] = d.hn;
    dAx[2 * H + j] = d.anx;
    dh[j] = dhPrev;
  }
}

// A zero row of at least n floats (absent biases and initial states read it).
const float* zeros(int64_t n) {
  thread_local std::vector<float> z;
  if (static_cast<int64_t>(z.size()) < n) z.assign(static_cast<size_t>(n), 0.f);
  return z.data();
}

struct Workspace {
  float *gates, *aux, *hPrev;
};
Workspace split(const RecurrentShape& s, float* ws) {
  const int64_t R = s.rows();
  return {ws, ws + R * s.gates() * s.H, ws + R * (s.gates() + 1) * s.H};
}

}  // namespace

void recurrentForward(const RecurrentShape& s, const float* x, const RecurrentParams& p, const float* h0,
                      const float* c0, float* y, float* hN, float* cN, float* ws) {
  const int64_t H = s.H, GH = s.gates() * H, bs = s.batchStride();
  const Workspace w = split(s, ws);
  GemmEpilogue bias;
  bias.bias = p.bIh;
  gemm(false, true, s.rows(), GH, s.I, 1.f, x, s.I, p.wIh, s.I, 0.f, w.gates, GH, bias);
  const int64_t t0 = s.timeAt(0);
  for (int64_t b = 0; b < s.B; ++b) {
    float* hp = w.hPrev + s.row(t0, b) * H;
    if (h0) std::memcpy(hp, h0 + b * H, static_cast<size_t>(H) * sizeof(float));
    else std::fill(hp, hp + H, 0.f);
  }
  thread_local std::vector<float> hhBuffer;
  float* hh = scratch(hhBuffer, s.B * GH);
  const float* zero = zeros(GH);
  const float* bh = p.bHh ? p.bHh : zero;
  for (int64_t step = 0; step < s.T; ++step) {
    const int64_t t = s.timeAt(step);
    const bool last = step + 1 == s.T;
    gemm(false, true, s.B, GH, H, 1.f, w.hPrev + s.row(t, 0) * H, bs * H, p.wHh, H, 0.f, hh, GH);
    parallelFor(s.B, batchGrain(s), [&](int64_t bb, int64_t be) {
      for (int64_t b = bb; b < be; ++b) {
        const int64_t r = s.row(t, b);
        float* a = w.gates + r * GH;
        float* next = last ? hN + b * H : w.hPrev + s.row(s.timeAt(step + 1), b) * H;
        if (s.cell == Cell::kLstm) {
          const float* cPrev = step > 0 ? w.aux + s.row(s.timeAt(step - 1), b) * H : c0 ? c0 + b * H : zero;
          lstmRow(H, a, hh + b * GH, bh, cPrev, w.aux + r * H, y + r * s.yStride, next);
          if (last) std::memcpy(cN + b * H, w.aux + r * H, static_cast<size_t>(H) * sizeof(float));
        } else {
          gruRow(H, a, hh + b * GH, bh, w.hPrev + r * H, w.aux + r * H, y + r * s.yStride, next);
        }
      }
    });
  }
}

void recurrentBackward(const RecurrentShape& s, const float* x, const RecurrentParams& p, const float* c0,
                       const float* ws, const float* dy, const float* dhN, const float* dcN, const RecurrentGrads& g) {
  const int64_t H = s.H, GH = s.gates() * H, R = s.rows(), bs = s.batchStride();
  const bool lstm = s.cell == Cell::kLstm;
  const Workspace w = split(s, const_cast<float*>(ws));
  thread_local std::vector<float> dAhBuffer, dAxBuffer, dhBuffer, dcBuffer;
  float* dAh = scratch(dAhBuffer, R * GH);
  // The LSTM's input and hidden halves share every pre-activation: one buffer serves both.
  float* dAx = lstm ? dAh : scratch(dAxBuffer, R * GH);
  float* dh = scratch(dhBuffer, s.B * H);
  float* dc = scratch(dcBuffer, s.B * H);
  const float* zero = zeros(H);
  std::memcpy(dh, dhN, static_cast<size_t>(s.B * H) * sizeof(float));
  if (lstm) std::memcpy(dc, dcN, static_cast<size_t>(s.B * H) * sizeof(float));
  for (int64_t step = s.T - 1; step >= 0; --step) {
    const int64_t t = s.timeAt(step);
    parallelFor(s.B, batchGrain(s), [&](int64_t bb, int64_t be) {
      for (int64_t b = bb; b < be; ++b) {
        const int64_t r = s.row(t, b);
        const float* a = w.gates + r * GH;
        const float* dyr = dy + r * s.yStride;
        if (lstm) {
          const float* cPrev = step > 0 ? w.aux + s.row(s.timeAt(step - 1), b) * H : c0 ? c0 + b * H : zero;
          lstmRowBackward(H, a, w.aux + r * H, cPrev, dyr, dh + b * H, dc + b * H, dAh + r * GH);
        } else {
          gruRowBackward(H, a, w.aux + r * H, w.hPrev + r * H, dyr, dh + b * H, dAh + r * GH, dAx + r * GH);
        }
      }
    });
    // dh_prev = (GRU: z dh +) dA_h W_hh; at step 0 only when dh0 is wanted.
    if (step > 0 || g.dh0) gemm(false, false, s.B, H, GH, 1.f, dAh + s.row(t, 0) * GH, bs * GH, p.wHh, H, lstm ? 0.f : 1.f, dh, H);
  }
  if (g.dh0) std::memcpy(g.dh0, dh, static_cast<size_t>(s.B * H) * sizeof(float));
  if (g.dc0 && lstm) std::memcpy(g.dc0, dc, static_cast<size_t>(s.B * H) * sizeof(float));
  if (g.dWhh) gemm(true, false, GH, H, R, 1.f, dAh, GH, w.hPrev, H, 1.f, g.dWhh, H);
  if (g.dbHh) addColumnSums(dAh, R, GH, g.dbHh);
  if (g.dWih) gemm(true, false, GH, s.I, R, 1.f, dAx, GH, x, s.I, 1.f, g.dWih, s.I);
  if (g.dbIh) addColumnSums(dAx, R, GH, g.dbIh);
  if (g.dx) gemm(false, false, R, s.I, GH, 1.f, dAx, GH, p.wIh, s.I, g.accumulateDx ? 1.f : 0.f, g.dx, s.I);
}

}  // namespace steepest::cpu
