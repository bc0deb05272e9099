// One LSTM or GRU layer-direction over a whole sequence on the GPU (cpu/recurrent.h's ops, its
// row layout and workspace: common/recurrent_cells.h), the CPU's plan with cuBLAS for the GEMMs:
//   forward:  G = X W_ih^T + b_ih over all T B rows (one GEMM, gemm.cu's bias epilogue); per
//             step one [B, H] x [H, gates H] GEMM of h_prev with W_hh, then one kernel applying
//             the cell (lstmCell / gruCell, + b_hh) to the step's B H units
//   backward: per step, last to first, the cell's adjoint kernel (lstmCellBackward /
//             gruCellBackward) gives dA, then dh_prev (+)= dA_h W_hh (one GEMM); after the
//             loop one GEMM each for dW_hh, dW_ih, dx and the bias gradients' column sums
// h_prev of step s+1 is written into its own workspace row by step s's kernel, so a step's
// GEMM reads its B rows with a row stride (batchFirst: T H) and no copies run between steps.
#include "common/recurrent_cells.h"
#include "runtime.cuh"
#include "workspace.cuh"

namespace steepest::cuda {
namespace {

using common::Cell;
using common::RecurrentShape;

// [T, B, I, H, batchFirst, reverse, yStride], as the binding's shape array.
RecurrentShape shapeOf(int cell, const int64_t* v) {
  return {static_cast<Cell>(cell), v[0], v[1], v[2], v[3], v[4] != 0, v[5] != 0, v[6]};
}

// The workspace's three parts: activated gates [rows, gates H], c or hn [rows, H], h_prev [rows, H].
struct Parts {
  float *gates, *aux, *hPrev;
};
Parts split(const RecurrentShape& s, float* ws) {
  const int64_t R = s.rows();
  return {ws, ws + R * s.gates() * s.H, ws + R * (s.gates() + 1) * s.H};
}

__device__ float at(const float* p, int64_t i) { return p != nullptr ? p[i] : 0.f; }

// The first step's h_prev rows: h0, or zeros.
__global__ void initialStateKernel(RecurrentShape s, const float* h0, float* hPrev) {
  const int64_t t = s.timeAt(0);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < s.B * s.H; i += int64_t(gridDim.x) * blockDim.x) {
    hPrev[s.row(t, i / s.H) * s.H + i % s.H] = at(h0, i);
  }
}

// Step `step`'s cells, a thread per (b, j). hh: [B, gates H] = h_prev W_hh^T. The new h goes to
// y, and to the next step's h_prev row (the last step: hN, and cN for the LSTM).
__global__ void forwardStepKernel(RecurrentShape s, int64_t step, Parts w, const float* hh, const float* bHh,
                                  const float* c0, float* y, float* hN, float* cN) {
  const int64_t H = s.H, GH = s.gates() * H, t = s.timeAt(step);
  const bool last = step + 1 == s.T;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < s.B * H; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = i / H, j = i % H, r = s.row(t, b);
    float* a = w.gates + r * GH;
    const float* q = hh + b * GH;
    float h;
    if (s.cell == Cell::kLstm) {
      const float cPrev = step > 0 ? w.aux[s.row(s.timeAt(step - 1), b) * H + j] : at(c0, i);
      float c;
      const common::LstmGates g = common::lstmCell(a[j] + q[j] + at(bHh, j), a[H + j] + q[H + j] + at(bHh, H + j),
                                                   a[2 * H + j] + q[2 * H + j] + at(bHh, 2 * H + j),
                                                   a[3 * H + j] + q[3 * H + j] + at(bHh, 3 * H + j), cPrev, c, h);
      a[j] = g.i, a[H + j] = g.f, a[2 * H + j] = g.g, a[3 * H + j] = g.o;
      w.aux[r * H + j] = c;
      if (last) cN[i] = c;
    } else {
      const float hn = q[2 * H + j] + at(bHh, 2 * H + j);
      const common::GruGates g = common::gruCell(a[j] + q[j] + at(bHh, j), a[H + j] + q[H + j] + at(bHh, H + j),
                                                 a[2 * H + j], hn, w.hPrev[r * H + j], h);
      a[j] = g.r, a[H + j] = g.z, a[2 * H + j] = g.n;
      w.aux[r * H + j] = hn;
    }
    y[r * s.yStride + j] = h;
    if (last) hN[i] = h;
    else w.hPrev[s.row(s.timeAt(step + 1), b) * H + j] = h;
  }
}

// The adjoint of step `step`'s cells. dh: dL/dh from the later steps in, and for the GRU its
// direct part z dh of dL/dh_prev out; dc (LSTM): dL/dc in, dL/dc_prev out. dAh / dAx: the
// pre-activation gradients of the hidden and input products (one buffer for the LSTM).
__global__ void backwardStepKernel(RecurrentShape s, int64_t step, Parts w, const float* c0, const float* dy, float* dh,
                                   float* dc, float* dAh, float* dAx) {
  const int64_t H = s.H, GH = s.gates() * H, t = s.timeAt(step);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < s.B * H; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = i / H, j = i % H, r = s.row(t, b);
    const float* a = w.gates + r * GH;
    const float g = dy[r * s.yStride + j] + dh[i];
    if (s.cell == Cell::kLstm) {
      const float cPrev = step > 0 ? w.aux[s.row(s.timeAt(step - 1), b) * H + j] : at(c0, i);
      float dcPrev;
      const common::LstmGates d = common::lstmCellBackward({a[j], a[H + j], a[2 * H + j], a[3 * H + j]}, w.aux[r * H + j],
                                                           cPrev, g, dc[i], dcPrev);
      float* da = dAh + r * GH;
      da[j] = d.i, da[H + j] = d.f, da[2 * H + j] = d.g, da[3 * H + j] = d.o;
      dc[i] = dcPrev;
    } else {
      float dhPrev;
      const common::GruGrads d = common::gruCellBackward({a[j], a[H + j], a[2 * H + j]}, w.aux[r * H + j],
                                                         w.hPrev[r * H + j], g, dhPrev);
      float *dah = dAh + r * GH, *dax = dAx + r * GH;
      dah[j] = dax[j] = d.ar;
      dah[H + j] = dax[H + j] = d.az;
      dah[2 * H + j] = d.hn;
      dax[2 * H + j] = d.anx;
      dh[i] = dhPrev;
    }
  }
}

// Row-major C = A op(B) (+ beta C) through gemm.cu; sizes are checked to fit int by the binding.
int gemm(int transA, int transB, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
         int64_t ldb, float beta, float* C, int64_t ldc, const float* bias = nullptr) {
  return steepest_cuda_gemm(transA, transB, int(M), int(N), int(K), 1.f, A, int(lda), B, int(ldb), beta, C, int(ldc), bias,
                            0);
}

// out[c] += sum over rows of g[r, c]: the Linear backward's bias gradient (gemm.cu), alone.
int addColumnSums(float* g, int64_t rows, int64_t cols, float* out) {
  return steepest_cuda_linear_backward(g, nullptr, 0, nullptr, nullptr, int(rows), int(cols), 0, nullptr, nullptr, 0.f,
                                       out, 1.f);
}

int copy(float* dst, const float* src, int64_t n) {
  return steepest_cuda_copy(dst, src, size_t(n) * sizeof(float), STEEPEST_CUDA_DEVICE_TO_DEVICE);
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_recurrent_forward(int cell, const int64_t* shape, const float* x, const float* w_ih,
                                               const float* w_hh, const float* b_ih, const float* b_hh, const float* h0,
                                               const float* c0, float* y, float* h_n, float* c_n, float* workspace) {
  const RecurrentShape s = shapeOf(cell, shape);
  const int64_t H = s.H, GH = s.gates() * H, units = s.B * H;
  const Parts w = split(s, workspace);
  int status = gemm(0, 1, s.rows(), GH, s.I, x, s.I, w_ih, s.I, 0.f, w.gates, GH, b_ih);
  if (status != STEEPEST_CUDA_OK) return status;
  initialStateKernel<<<blocksFor(units), kThreads, 0, stream()>>>(s, h0, w.hPrev);
  Workspace hh;
  status = hh.take(size_t(s.B * GH));
  for (int64_t step = 0; step < s.T && status == STEEPEST_CUDA_OK; ++step) {
    const float* hPrev = w.hPrev + s.row(s.timeAt(step), 0) * H;
    status = gemm(0, 1, s.B, GH, H, hPrev, s.batchStride() * H, w_hh, H, 0.f, hh.data(), GH);
    if (status != STEEPEST_CUDA_OK) break;
    forwardStepKernel<<<blocksFor(units), kThreads, 0, stream()>>>(s, step, w, hh.data(), b_hh, c0, y, h_n, c_n);
    status = checkLaunch("recurrentForward");
  }
  return status;
}

extern "C" int steepest_cuda_recurrent_backward(int cell, const int64_t* shape, const float* x, const float* w_ih,
                                                const float* w_hh, const float* c0, const float* workspace,
                                                const float* dy, const float* dh_n, const float* dc_n, float* dx,
                                                int accumulate_dx, float* dw_ih, float* dw_hh, float* db_ih,
                                                float* db_hh, float* dh0, float* dc0) {
  const RecurrentShape s = shapeOf(cell, shape);
  const bool lstm = s.cell == Cell::kLstm;
  const int64_t H = s.H, GH = s.gates() * H, R = s.rows(), units = s.B * H;
  const Parts w = split(s, const_cast<float*>(workspace));
  // dA_h and dA_x (the LSTM's are one: its input and hidden products share every
  // pre-activation), then dh and dc.
  Workspace scratch;
  int status = scratch.take(size_t((lstm ? 1 : 2) * R * GH + 2 * units));
  if (status != STEEPEST_CUDA_OK) return status;
  float* dAh = scratch.data();
  float* dAx = lstm ? dAh : dAh + R * GH;
  float* dh = dAx + R * GH;
  float* dc = dh + units;
  status = copy(dh, dh_n, units);
  if (status == STEEPEST_CUDA_OK && lstm) status = copy(dc, dc_n, units);
  for (int64_t step = s.T - 1; step >= 0 && status == STEEPEST_CUDA_OK; --step) {
    const int64_t t = s.timeAt(step);
    backwardStepKernel<<<blocksFor(units), kThreads, 0, stream()>>>(s, step, w, c0, dy, dh, dc, dAh, dAx);
    status = checkLaunch("recurrentBackward");
    // dh_prev = (GRU: z dh +) dA_h W_hh; at step 0 only when dh0 is wanted.
    if (status == STEEPEST_CUDA_OK && (step > 0 || dh0 != nullptr)) {
      status = gemm(0, 0, s.B, H, GH, dAh + s.row(t, 0) * GH, s.batchStride() * GH, w_hh, H, lstm ? 0.f : 1.f, dh, H);
    }
  }
  if (status == STEEPEST_CUDA_OK && dh0 != nullptr) status = copy(dh0, dh, units);
  if (status == STEEPEST_CUDA_OK && dc0 != nullptr && lstm) status = copy(dc0, dc, units);
  if (status == STEEPEST_CUDA_OK && dw_hh != nullptr) status = gemm(1, 0, GH, H, R, dAh, GH, w.hPrev, H, 1.f, dw_hh, H);
  if (status == STEEPEST_CUDA_OK && db_hh != nullptr) status = addColumnSums(dAh, R, GH, db_hh);
  if (status == STEEPEST_CUDA_OK && dw_ih != nullptr) status = gemm(1, 0, GH, s.I, R, dAx, GH, x, s.I, 1.f, dw_ih, s.I);
  if (status == STEEPEST_CUDA_OK && db_ih != nullptr) status = addColumnSums(dAx, R, GH, db_ih);
  if (status == STEEPEST_CUDA_OK && dx != nullptr) {
    status = gemm(0, 0, R, s.I, GH, dAx, GH, w_ih, s.I, accumulate_dx ? 1.f : 0.f, dx, s.I);
  }
  return status;
}
