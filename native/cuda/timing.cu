// Yardsticks for bench:gpu, timed on the device with CUDA events (no host in the loop): raw
// cuBLAS GEMM on buffers of its own, and the device's copy bandwidth. steepest's figures are
// timed through the addon against these.
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

// Seconds per call of `run`, over `iters` calls after one warm-up, with events on the stream.
template <class F>
int timeOnDevice(int iters, double* seconds, F&& run) {
  cudaEvent_t start, stop;
  if (int s = check(cudaEventCreate(&start), "timing"); s != STEEPEST_CUDA_OK) return s;
  if (int s = check(cudaEventCreate(&stop), "timing"); s != STEEPEST_CUDA_OK) return s;
  int status = run();
  if (status == STEEPEST_CUDA_OK) status = check(cudaEventRecord(start, stream()), "timing");
  for (int i = 0; i < iters && status == STEEPEST_CUDA_OK; ++i) status = run();
  if (status == STEEPEST_CUDA_OK) status = check(cudaEventRecord(stop, stream()), "timing");
  if (status == STEEPEST_CUDA_OK) status = check(cudaEventSynchronize(stop), "timing");
  float ms = 0.f;
  if (status == STEEPEST_CUDA_OK) status = check(cudaEventElapsedTime(&ms, start, stop), "timing");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  *seconds = ms / 1e3 / (iters > 0 ? iters : 1);
  return status;
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

// Raw cuBLAS: C = A B for row-major M x K times K x N on fresh buffers (steepest_cuda_gemm with
// no epilogue is one cublasGemmEx call, so this is cuBLAS without the addon around it).
extern "C" int steepest_cuda_time_gemm(int m, int n, int k, int iters, double* seconds) {
  void *a = nullptr, *b = nullptr, *c = nullptr;
  int status = steepest_cuda_malloc(sizeof(float) * size_t(m) * k, &a);
  if (status == STEEPEST_CUDA_OK) status = steepest_cuda_malloc(sizeof(float) * size_t(k) * n, &b);
  if (status == STEEPEST_CUDA_OK) status = steepest_cuda_malloc(sizeof(float) * size_t(m) * n, &c);
  if (status == STEEPEST_CUDA_OK) {
    cudaMemsetAsync(a, 0, sizeof(float) * size_t(m) * k, stream());
    cudaMemsetAsync(b, 0, sizeof(float) * size_t(k) * n, stream());
    status = timeOnDevice(iters, seconds, [&] {
      return steepest_cuda_gemm(0, 0, m, n, k, 1.f, static_cast<float*>(a), k, static_cast<float*>(b), n, 0.f,
                                static_cast<float*>(c), n, nullptr, 0);
    });
  }
  steepest_cuda_free(a);
  steepest_cuda_free(b);
  steepest_cuda_free(c);
  return status;
}

// Device-to-device copy of `bytes`: the bandwidth a fused optimizer step is held against.
extern "C" int steepest_cuda_time_copy(size_t bytes, int iters, double* seconds) {
  void *src = nullptr, *dst = nullptr;
  int status = steepest_cuda_malloc(bytes, &src);
  if (status == STEEPEST_CUDA_OK) status = steepest_cuda_malloc(bytes, &dst);
  if (status == STEEPEST_CUDA_OK) {
    status = timeOnDevice(iters, seconds, [&] {
      return check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream()), "copy");
    });
  }
  steepest_cuda_free(src);
  steepest_cuda_free(dst);
  return status;
}
