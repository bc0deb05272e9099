/* The C interface of libsteepest_cuda.so, the CUDA backend: a plain shared library that the
 * addon opens at run time from its own folder (native/napi/cuda_napi.cc), so the CPU package
 * never needs CUDA and a machine without a GPU loads the addon as usual. Every function returns
 * 0 on success or a negative steepest_cuda_status code; messages go into caller buffers. */
#ifndef STEEPEST_CUDA_H
#define STEEPEST_CUDA_H

#include <stddef.h>
#include <stdint.h>

#if defined(STEEPEST_CUDA_BUILD)
#define STEEPEST_CUDA_API __attribute__((visibility("default")))
#else
#define STEEPEST_CUDA_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Why the backend cannot run, in the order they are checked. */
enum steepest_cuda_status {
  STEEPEST_CUDA_OK = 0,
  STEEPEST_CUDA_NO_DRIVER = -1,      /* libcuda.so.1 cannot be opened */
  STEEPEST_CUDA_OLD_DRIVER = -2,     /* the driver is older than the CUDA runtime built in */
  STEEPEST_CUDA_NO_DEVICE = -3,      /* a driver, but no usable NVIDIA GPU */
  STEEPEST_CUDA_NO_CUBLAS = -4,      /* libcublas.so.13 / .12 cannot be opened */
  STEEPEST_CUDA_ERROR = -5           /* any other CUDA error (message says which) */
};

/* The version of this interface; the addon refuses a library with another. */
#define STEEPEST_CUDA_ABI 3
STEEPEST_CUDA_API int steepest_cuda_abi(void);

/* Probes the driver, the devices and cuBLAS. Returns a status; `message` (of `size` bytes)
 * receives a one-line reason when it is not OK, and `devices` the number of GPUs. */
STEEPEST_CUDA_API int steepest_cuda_probe(int* devices, char* message, size_t size);

/* Name and total memory (bytes) of device `index`. */
STEEPEST_CUDA_API int steepest_cuda_device(int index, char* name, size_t size, double* total_bytes);

/* The message of the last failed call on this thread (runtime.cu). */
STEEPEST_CUDA_API const char* steepest_cuda_last_error(void);
/* Waits for every kernel and copy queued on the backend's stream. */
STEEPEST_CUDA_API int steepest_cuda_synchronize(void);

/* Memory (memory.cu): a caching allocator, so steady-state training calls no cudaMalloc.
 * `device_mallocs` counts the cudaMalloc calls so far. */
STEEPEST_CUDA_API int steepest_cuda_malloc(size_t bytes, void** ptr);
STEEPEST_CUDA_API int steepest_cuda_free(void* ptr);
STEEPEST_CUDA_API int steepest_cuda_memory_stats(double* allocated, double* reserved, double* device_mallocs);
STEEPEST_CUDA_API int steepest_cuda_empty_cache(void);
enum steepest_cuda_copy_direction {
  STEEPEST_CUDA_HOST_TO_DEVICE = 0,
  STEEPEST_CUDA_DEVICE_TO_HOST = 1, /* waits for the stream: the host reads the data next */
  STEEPEST_CUDA_DEVICE_TO_DEVICE = 2
};
STEEPEST_CUDA_API int steepest_cuda_copy(void* dst, const void* src, size_t bytes, int direction);

/* Kernels, queued on the backend's stream (they return before the GPU has run them). Op codes
 * and layouts are common/elementwise.h's, rule codes common/optim/rules.h's. */
STEEPEST_CUDA_API int steepest_cuda_fill(float* out, int64_t n, float value);
STEEPEST_CUDA_API int steepest_cuda_binary(int op, const float* a, int a_mode, const float* b, int b_mode, float* out,
                                           int64_t rows, int64_t cols);
STEEPEST_CUDA_API int steepest_cuda_binary_scalar(int op, const float* a, float s, int scalar_first, float* out, int64_t n);
STEEPEST_CUDA_API int steepest_cuda_unary(int op, const float* x, float* out, int64_t n, float p1, float p2);
STEEPEST_CUDA_API int steepest_cuda_unary_backward(int op, const float* x, const float* g, float* out, int64_t n,
                                                   float p1, float p2);
/* Row-major GEMM (gemm.cu) through cuBLAS, with the CPU GEMM's bias and ReLU epilogue. */
STEEPEST_CUDA_API int steepest_cuda_set_tf32(int on);
STEEPEST_CUDA_API int steepest_cuda_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a,
                                         int lda, const float* b, int ldb, float beta, float* c, int ldc,
                                         const float* bias, int relu);
STEEPEST_CUDA_API int steepest_cuda_gemm_strided_batched(int trans_a, int trans_b, int m, int n, int k, float alpha,
                                                         const float* a, int lda, long long stride_a, const float* b,
                                                         int ldb, long long stride_b, float beta, float* c, int ldc,
                                                         long long stride_c, int batch);
/* The backward of y = relu?(x W^T + b) (gemm.cu), as cpu/linear_backward.h; dx, dW, db may be NULL. */
STEEPEST_CUDA_API int steepest_cuda_linear_backward(float* g, const float* y, int relu, const float* x, const float* w,
                                                    int m, int n, int k, float* dx, float* dw, float dw_beta,
                                                    float* db, float db_beta);
/* Cross-entropy / NLL over n rows of c (loss.cu), as cpu/softmax_xent.h; reduction 0 none,
 * 1 mean, 2 sum. A label out of range fails the next read from the device. */
STEEPEST_CUDA_API int steepest_cuda_class_loss(const float* z, const int32_t* labels, const float* weight,
                                               int64_t n, int64_t c, int64_t ignore_index,
                                               float smoothing, int log_prob_input, int reduction, float* out,
                                               float* grad);
/* Reductions over axis n of [outer, n, inner] (reduce.cu): op 0 sum, 1 mean, 2 max, 3 min. */
STEEPEST_CUDA_API int steepest_cuda_reduce(int op, const float* a, int64_t outer, int64_t n, int64_t inner, float* out);
STEEPEST_CUDA_API int steepest_cuda_argmax(const float* a, int64_t outer, int64_t n, int64_t inner, int32_t* out);
/* The first NaN or infinity of a[0..n), or -1 (waits for the stream: the host reads it). */
STEEPEST_CUDA_API int steepest_cuda_first_non_finite(const float* a, int64_t n, int64_t* index);
/* Random fills and dropout (random.cu) on the CPU's counter-based stream (common/rng.h). */
STEEPEST_CUDA_API int steepest_cuda_random_uniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low,
                                                   float high);
STEEPEST_CUDA_API int steepest_cuda_random_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                                                  float std);
STEEPEST_CUDA_API int steepest_cuda_dropout(const float* x, float* out, int64_t n, float p, uint64_t seed,
                                            uint64_t offset);
/* Yardsticks for bench:gpu (timing.cu), seconds per call timed with CUDA events: raw cuBLAS
 * GEMM (row-major m x k times k x n) and a device-to-device copy of `bytes`. */
STEEPEST_CUDA_API int steepest_cuda_time_gemm(int m, int n, int k, int iters, double* seconds);
STEEPEST_CUDA_API int steepest_cuda_time_copy(size_t bytes, int iters, double* seconds);
/* One fused optimizer step (optim.cu): the step table of src/backend/step_layout.ts in host
 * memory, `groups` rows; results are written into its header. */
STEEPEST_CUDA_API int steepest_cuda_optim_step(int kind, float* param, const float* grad, float* s0, float* s1,
                                               float* s2, int64_t length, double* table, int groups);
/* Softmax and log-softmax over rows (softmax.cu), attention's masked softmax with the mask
 * geometry of common/masked_softmax.h (masked_softmax.cu), batch norm over [n, c, l]
 * (batchnorm.cu) and the pointwise losses, op codes common/losses.h's (pointwise_loss.cu): the
 * cpu/ kernels' semantics and common/ math; a null gamma, beta, running statistic, dx, dgamma,
 * dbeta, pos_weight or grad is absent. Reductions 0 none, 1 mean, 2 sum. */
STEEPEST_CUDA_API int steepest_cuda_softmax(const float* x, float* y, int64_t rows, int64_t cols, int log);
STEEPEST_CUDA_API int steepest_cuda_softmax_backward(const float* y, const float* g, float* dx, int64_t rows,
                                                     int64_t cols, int log);
STEEPEST_CUDA_API int steepest_cuda_masked_softmax(const float* x, float* y, int64_t rows, int64_t cols, float scale,
                                                   const float* mask, int64_t rows_per_group,
                                                   int64_t groups_per_batch, int64_t batch_stride,
                                                   int64_t row_stride);
STEEPEST_CUDA_API int steepest_cuda_masked_softmax_backward(const float* y, const float* g, float* dx, int64_t rows,
                                                            int64_t cols, float scale);
STEEPEST_CUDA_API int steepest_cuda_batchnorm_forward(const float* x, int64_t n, int64_t c, int64_t l,
                                                      const float* gamma, const float* beta, float* run_mean,
                                                      float* run_var, int training, float momentum, float eps,
                                                      float* y, float* save_mean, float* save_invstd);
STEEPEST_CUDA_API int steepest_cuda_batchnorm_backward(const float* x, const float* g, int64_t n, int64_t c,
                                                       int64_t l, const float* gamma, const float* save_mean,
                                                       const float* save_invstd, int training, float* dx,
                                                       float* dgamma, float* dbeta);
STEEPEST_CUDA_API int steepest_cuda_pointwise_loss(int op, const float* x, const float* t, const float* pos_weight,
                                                   int64_t n, int64_t cols, float param, int reduction, float* out,
                                                   float* grad);

/* Tensor layout, gathers and scatters, as cpu/layout.h, cpu/strided.h, cpu/batch_gather.h and
 * cpu/one_hot.h. Transpose (layout.cu). The strided kernels (strided.cu) take cpu/strided.h's
 * merged plan as host arrays of `rank` elements (rank <= 16): the shape and each operand's
 * element strides; binary_strided's and where's out is contiguous; copy_strided moves 4-byte
 * elements (float32 or int32). Gathers (gather.cu; gather_rows and index_select move 4-byte
 * elements) and scatter-adds (scatter.cu, deterministic) read their indices on the device: an
 * index or label out of range fails the next read from the device, naming the op. */
STEEPEST_CUDA_API int steepest_cuda_transpose(const float* a, int64_t rows, int64_t cols, float* out);
STEEPEST_CUDA_API int steepest_cuda_copy_strided(const void* src, void* dst, int rank, const int64_t* shape,
                                                 const int64_t* src_strides, const int64_t* dst_strides);
STEEPEST_CUDA_API int steepest_cuda_binary_strided(int op, const float* a, const float* b, float* out, int rank,
                                                   const int64_t* shape, const int64_t* a_strides,
                                                   const int64_t* b_strides);
STEEPEST_CUDA_API int steepest_cuda_where(const int32_t* cond, const float* a, const float* b, float* out, int rank,
                                          const int64_t* shape, const int64_t* cond_strides, const int64_t* a_strides,
                                          const int64_t* b_strides);
STEEPEST_CUDA_API int steepest_cuda_gather_rows(const void* src, int64_t row_length, int64_t src_rows,
                                                const int32_t* index, int64_t count, void* out);
STEEPEST_CUDA_API int steepest_cuda_index_select(const void* src, int64_t outer, int64_t n, int64_t inner,
                                                 const int32_t* index, int64_t count, void* out);
STEEPEST_CUDA_API int steepest_cuda_gather_batch(const float* x, int64_t row_length, int64_t rows, const int32_t* y,
                                                 const int32_t* index, int64_t count, const float* scale,
                                                 const float* shift, float* x_out, int32_t* y_out);
STEEPEST_CUDA_API int steepest_cuda_one_hot(const int32_t* labels, int64_t n, int64_t classes, float* out);
STEEPEST_CUDA_API int steepest_cuda_scatter_add_rows(const float* src, int64_t row_length, const int32_t* index,
                                                     int64_t count, float* out, int64_t out_rows);
STEEPEST_CUDA_API int steepest_cuda_index_add(const float* src, int64_t outer, int64_t count, int64_t inner,
                                              const int32_t* index, float* out, int64_t n);

/* Convolution (conv.cu, im2col.cu): im2col + cuBLAS GEMMs, as cpu/conv2d.h. `geometry`: the 16
 * fields of common/conv_geometry.h's ConvGeometry in order (OH and OW included). dx, dw, db may
 * be NULL; dw and db are overwritten unless `accumulate`. */
STEEPEST_CUDA_API int steepest_cuda_conv2d_forward(const float* x, const float* w, const float* bias,
                                                   const int64_t* geometry, float* y, int relu);
STEEPEST_CUDA_API int steepest_cuda_conv2d_backward(const float* x, const float* w, const float* dy,
                                                    const int64_t* geometry, float* dx, float* dw, float* db,
                                                    int accumulate);
STEEPEST_CUDA_API int steepest_cuda_conv_transpose2d_forward(const float* x, const float* w, const float* bias,
                                                             const int64_t* geometry, float* y);
/* Pooling (max_pool.cu, avg_pool.cu), as cpu/pool2d.h. `geometry`: the 14 fields of
 * common/conv_geometry.h's PoolGeometry in order. An index that names no position of its
 * window fails the next read from the device. */
STEEPEST_CUDA_API int steepest_cuda_max_pool2d_forward(const float* x, const int64_t* geometry, float* y,
                                                       int32_t* indices);
STEEPEST_CUDA_API int steepest_cuda_max_pool2d_backward(const float* dy, const int32_t* indices,
                                                        const int64_t* geometry, float* dx);
STEEPEST_CUDA_API int steepest_cuda_avg_pool2d_forward(const float* x, const int64_t* geometry, int count_include_pad,
                                                       float* y);
STEEPEST_CUDA_API int steepest_cuda_avg_pool2d_backward(const float* dy, const int64_t* geometry,
                                                        int count_include_pad, float* dx);
STEEPEST_CUDA_API int steepest_cuda_adaptive_avg_pool2d_forward(const float* x, const int64_t* geometry, float* y);
STEEPEST_CUDA_API int steepest_cuda_adaptive_avg_pool2d_backward(const float* dy, const int64_t* geometry, float* dx);
/* One LSTM (cell 0) or GRU (cell 1) layer-direction over a sequence (recurrent.cu), as
 * cpu/recurrent.h; shape [T, B, I, H, batchFirst, reverse, yStride], the workspace as there.
 * Biases, h0, c0 and every gradient may be NULL (c0, c_n, dc_n, dc0: LSTM only). */
STEEPEST_CUDA_API int steepest_cuda_recurrent_forward(int cell, const int64_t* shape, const float* x, const float* w_ih,
                                                      const float* w_hh, const float* b_ih, const float* b_hh,
                                                      const float* h0, const float* c0, float* y, float* h_n,
                                                      float* c_n, float* workspace);
STEEPEST_CUDA_API int steepest_cuda_recurrent_backward(int cell, const int64_t* shape, const float* x,
                                                       const float* w_ih, const float* w_hh, const float* c0,
                                                       const float* workspace, const float* dy, const float* dh_n,
                                                       const float* dc_n, float* dx, int accumulate_dx, float* dw_ih,
                                                       float* dw_hh, float* db_ih, float* db_hh, float* dh0,
                                                       float* dc0);

#ifdef __cplusplus
}
#endif

#endif
