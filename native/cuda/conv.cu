// 2-D convolution on the GPU (cpu/conv2d.h's ops: PyTorch's Conv2d with stride, padding,
// dilation and groups, its backward and ConvTranspose2d's forward), as im2col + cuBLAS:
//   col_n = im2col(x_n)  [C KH KW, P], P = OH OW: one launch over a chunk of images
//   y_n,g = W_g [OCg, Kc] col_n,g [Kc, P]: one strided-batched GEMM per group over the chunk
//           (W broadcast with stride 0), then + bias and the fused ReLU in one pass
// Backward, with the same col:
//   dcol_n,g = W_g^T dy_n,g, dx_n = col2im(dcol_n)      (the transposed forward is this path)
//   dW_g = sum_n dy_n,g col_n,g^T: a strided-batched GEMM into per-image partials [n, OC, Kc],
//          then one pass summing them over n in image order (+ dW when accumulating)
//   db[oc] = sum over n and p of dy[n, oc, p]
// dW as batched GEMM + reduction rather than one GEMM with the batch folded into K: that needs
// col as [Kc, N P] and dy permuted to [OC, N P] (dy_g is not one strided matrix over images),
// a transposing pass over dy, and its output OCg x Kc is often too small to fill the GPU without
// cuBLAS's split-K; the batched form reuses the forward's col layout and im2col kernel, runs
// images in parallel, and its reduction is one coalesced, deterministic pass.
// A 1x1 kernel with unit stride and no padding reads the image as it lies (col_n = x_n) and
// skips im2col / col2im, as the CPU does. Images run in chunks whose workspace (col, and the
// dW partials) stays under kChunkFloats, so a large batch does not take gigabytes of it.
#include <algorithm>

#include "common/conv_taps.h"
#include "geometry.cuh"
#include "im2col.cuh"
#include "runtime.cuh"
#include "workspace.cuh"

namespace steepest::cuda {
namespace {

using common::ConvGeometry;

constexpr int64_t kChunkFloats = int64_t{1} << 24;  // 64 MB of workspace per chunk at most

struct Dims {
  int64_t OCg, Kc, rows, P, image, out;  // per group: out channels, col rows; per image: col rows, positions, x, y
  int64_t chunk;                        // images per chunk
};
// `extra`: workspace floats per image beside its col (the backward's dW partial).
Dims dims(const ConvGeometry& g, int64_t extra = 0) {
  const int64_t P = g.OH * g.OW;
  Dims d{g.OC / g.groups, g.C / g.groups * g.KH * g.KW, g.C * g.KH * g.KW, P, g.C * g.H * g.W, g.OC * P, 0};
  d.chunk = std::max<int64_t>(1, std::min<int64_t>(g.N, kChunkFloats / std::max<int64_t>(1, d.rows * d.P + extra)));
  return d;
}

bool isPointwise(const ConvGeometry& g) {
  return g.KH == 1 && g.KW == 1 && g.strideH == 1 && g.strideW == 1 && g.padH == 0 && g.padW == 0;
}

// Row-major C_i = op(A_i) op(B_i) over `batch` products through gemm.cu (sizes checked to fit
// int by the binding).
int gemmBatched(int transA, int transB, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, int64_t strideA,
                const float* B, int64_t ldb, int64_t strideB, float* C, int64_t ldc, int64_t strideC, int64_t batch) {
  return steepest_cuda_gemm_strided_batched(transA, transB, int(M), int(N), int(K), 1.f, A, int(lda), strideA, B, int(ldb),
                                            strideB, 0.f, C, int(ldc), strideC, int(batch));
}

// planes[i] = convEpilogue(planes[i], bias[channel of i], relu) over n values in planes of
// `plane` values, `channels` planes per image.
__global__ void epilogueKernel(float* y, int64_t n, int64_t plane, int64_t channels, const float* bias, bool relu) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    y[i] = common::convEpilogue(y[i], bias != nullptr ? bias[(i / plane) % channels] : 0.f, relu);
  }
}

int epilogue(float* y, int64_t n, int64_t plane, int64_t channels, const float* bias, bool relu) {
  if ((bias == nullptr && !relu) || n == 0) return STEEPEST_CUDA_OK;
  epilogueKernel<<<blocksFor(n), kThreads, 0, stream()>>>(y, n, plane, channels, bias, relu);
  return checkLaunch("conv epilogue");
}

// dW[i] = (accumulate ? dW[i] : 0) + sum over the chunk's images of partial[n][i].
__global__ void sumImagesKernel(const float* partial, int64_t count, int64_t size, float* dW, bool accumulate) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < size; i += int64_t(gridDim.x) * blockDim.x) {
    float s = accumulate ? dW[i] : 0.f;
    for (int64_t n = 0; n < count; ++n) s += partial[n * size + i];
    dW[i] = s;
  }
}

// db[oc] = (accumulate ? db[oc] : 0) + sum of dy[n, oc, p]: a block per channel, a tree in shared memory.
__global__ void biasGradKernel(const float* dy, int64_t N, int64_t OC, int64_t P, float* db, bool accumulate) {
  __shared__ float partial[kThreads];
  for (int64_t oc = blockIdx.x; oc < OC; oc += gridDim.x) {
    float s = 0.f;
    for (int64_t j = threadIdx.x; j < N * P; j += blockDim.x) s += dy[((j / P) * OC + oc) * P + j % P];
    partial[threadIdx.x] = s;
    __syncthreads();
    for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
      if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
      __syncthreads();
    }
    if (threadIdx.x == 0) db[oc] = accumulate ? db[oc] + partial[0] : partial[0];
    __syncthreads();
  }
}

// dx images [n0, n0 + count) of conv2d's input gradient for dy: dcol = W_g^T dy_g per group,
// then col2im (the pointwise case writes dcol straight into dx).
int inputGradient(const float* w, const float* dy, const ConvGeometry& g, const Dims& d, int64_t n0, int64_t count,
                  float* col, float* dx) {
  const bool pointwise = isPointwise(g);
  float* dcol = pointwise ? dx + n0 * d.image : col;
  int status = STEEPEST_CUDA_OK;
  for (int64_t grp = 0; grp < g.groups && status == STEEPEST_CUDA_OK; ++grp) {
    status = gemmBatched(1, 0, d.Kc, d.P, d.OCg, w + grp * d.OCg * d.Kc, d.Kc, 0, dy + (n0 * g.OC + grp * d.OCg) * d.P,
                         d.P, d.out, dcol + grp * d.Kc * d.P, d.P, d.rows * d.P, count);
  }
  if (status == STEEPEST_CUDA_OK && !pointwise) status = col2im(col, g, count, dx + n0 * d.image);
  return status;
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_conv2d_forward(const float* x, const float* w, const float* bias, const int64_t* geometry,
                                            float* y, int relu) {
  const ConvGeometry g = convGeometryOf(geometry);
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  Workspace col;
  int status = col.take(pointwise ? 0 : size_t(d.chunk * d.rows * d.P));
  for (int64_t n0 = 0; n0 < g.N && status == STEEPEST_CUDA_OK; n0 += d.chunk) {
    const int64_t count = std::min(d.chunk, g.N - n0);
    const float* B = pointwise ? x + n0 * d.image : col.data();
    if (!pointwise) status = im2col(x + n0 * d.image, g, count, col.data());
    for (int64_t grp = 0; grp < g.groups && status == STEEPEST_CUDA_OK; ++grp) {
      status = gemmBatched(0, 0, d.OCg, d.P, d.Kc, w + grp * d.OCg * d.Kc, d.Kc, 0, B + grp * d.Kc * d.P, d.P,
                           d.rows * d.P, y + (n0 * g.OC + grp * d.OCg) * d.P, d.P, d.out, count);
    }
  }
  return status == STEEPEST_CUDA_OK ? epilogue(y, g.N * d.out, d.P, g.OC, bias, relu != 0) : status;
}

// x [N, OC, OH, OW] -> y [N, C, H, W] for the convolution `geometry`: conv2d's input gradient
// path, + bias [C].
extern "C" int steepest_cuda_conv_transpose2d_forward(const float* x, const float* w, const float* bias,
                                                      const int64_t* geometry, float* y) {
  const ConvGeometry g = convGeometryOf(geometry);
  const Dims d = dims(g);
  Workspace col;
  int status = col.take(isPointwise(g) ? 0 : size_t(d.chunk * d.rows * d.P));
  for (int64_t n0 = 0; n0 < g.N && status == STEEPEST_CUDA_OK; n0 += d.chunk) {
    status = inputGradient(w, x, g, d, n0, std::min(d.chunk, g.N - n0), col.data(), y);
  }
  return status == STEEPEST_CUDA_OK ? epilogue(y, g.N * d.image, g.H * g.W, g.C, bias, false) : status;
}

extern "C" int steepest_cuda_conv2d_backward(const float* x, const float* w, const float* dy, const int64_t* geometry,
                                             float* dx, float* dW, float* db, int accumulate) {
  const ConvGeometry g = convGeometryOf(geometry);
  const int64_t wSize = g.OC * (g.C / g.groups) * g.KH * g.KW;
  const Dims d = dims(g, dW != nullptr ? wSize : 0);
  const bool pointwise = isPointwise(g);
  Workspace col, partial;
  int status = col.take(pointwise || (dx == nullptr && dW == nullptr) ? 0 : size_t(d.chunk * d.rows * d.P));
  if (status == STEEPEST_CUDA_OK && dW != nullptr) status = partial.take(size_t(d.chunk * wSize));
  for (int64_t n0 = 0; n0 < g.N && status == STEEPEST_CUDA_OK; n0 += d.chunk) {
    const int64_t count = std::min(d.chunk, g.N - n0);
    if (dW != nullptr) {
      const float* B = pointwise ? x + n0 * d.image : col.data();
      if (!pointwise) status = im2col(x + n0 * d.image, g, count, col.data());
      for (int64_t grp = 0; grp < g.groups && status == STEEPEST_CUDA_OK; ++grp) {
        status = gemmBatched(0, 1, d.OCg, d.Kc, d.P, dy + (n0 * g.OC + grp * d.OCg) * d.P, d.P, d.out,
                             B + grp * d.Kc * d.P, d.P, d.rows * d.P, partial.data() + grp * d.OCg * d.Kc, d.Kc, wSize,
                             count);
      }
      if (status == STEEPEST_CUDA_OK) {
        sumImagesKernel<<<blocksFor(wSize), kThreads, 0, stream()>>>(partial.data(), count, wSize, dW,
                                                                      accumulate != 0 || n0 > 0);
        status = checkLaunch("conv2d backward: dW");
      }
    }
    // dcol reuses col: the stream runs it after the dW GEMMs have read it.
    if (status == STEEPEST_CUDA_OK && dx != nullptr) status = inputGradient(w, dy, g, d, n0, count, col.data(), dx);
  }
  if (status == STEEPEST_CUDA_OK && db != nullptr) {
    biasGradKernel<<<unsigned(std::min<int64_t>(g.OC, 65535)), kThreads, 0, stream()>>>(dy, g.N, g.OC, d.P, db,
                                                                                       accumulate != 0);
    status = checkLaunch("conv2d backward: db");
  }
  return status;
}
