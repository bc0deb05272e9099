// Bindings for attention's fused softmax (native/cpu/masked_softmax.h), run on the CPU or with
// CUDA (native/cuda/masked_softmax.cu).
#include "cpu/masked_softmax.h"

#include <algorithm>
#include <string>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// maskedSoftmax(x, xOff, y, yOff, rows, cols, scale, mask | null, maskOff,
//               [rowsPerGroup, groupsPerBatch, batchStride, rowStride])
Napi::Value MaskedSoftmax(const Napi::CallbackInfo& info) {
  Args args(info, "maskedSoftmax");
  args.count(10, 10);
  const int64_t rows = args.integer(4, "rows");
  const int64_t cols = args.integer(5, "cols");
  const int64_t n = args.product("input", rows, cols);
  const float scale = static_cast<float>(args.finite(6, "scale"));
  const auto geometry = args.dimsArray(9, "mask geometry", 4, 4);
  cpu::SoftmaxMask mask{nullptr, geometry[0], geometry[1], geometry[2], geometry[3]};
  if (mask.rowsPerGroup < 1 || mask.groupsPerBatch < 1) args.failRange("mask geometry: rows per group and groups per batch must be >= 1");
  const Device device = args.runOnDeviceOf(2, "y");
  const float* x = args.f32(0, "x", n);
  float* y = args.f32(2, "y", n);
  if (y != x && overlaps(x, n, y, n)) args.fail("y must be x itself or not share memory with it");
  if (!args.isNullish(7)) {
    int64_t extent = 0;
    if (n > 0) {
      const int64_t groups = (rows + mask.rowsPerGroup - 1) / mask.rowsPerGroup;
      const double last = static_cast<double>((groups - 1) / mask.groupsPerBatch) * static_cast<double>(mask.batchStride) +
                          static_cast<double>(std::min(rows, mask.rowsPerGroup) - 1) * static_cast<double>(mask.rowStride) +
                          static_cast<double>(cols);
      if (last > static_cast<double>(kMaxDim)) args.failRange("the mask spans more than 2^32 elements");
      extent = static_cast<int64_t>(last);
    }
    mask.data = args.f32(7, "mask", extent);
    if (overlaps(mask.data, extent, y, n)) args.fail("y must not share memory with the mask");
  }
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().masked_softmax(x, y, rows, cols, scale, mask.data, mask.rowsPerGroup,
                                                 mask.groupsPerBatch, mask.batchStride, mask.rowStride));
    return info.Env().Undefined();
  }
  cpu::maskedSoftmax(x, y, rows, cols, scale, mask);
  return info.Env().Undefined();
}

// maskedSoftmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, scale)
Napi::Value MaskedSoftmaxBackward(const Napi::CallbackInfo& info) {
  Args args(info, "maskedSoftmax backward");
  args.count(9, 9);
  const int64_t rows = args.integer(6, "rows");
  const int64_t cols = args.integer(7, "cols");
  const int64_t n = args.product("input", rows, cols);
  const float scale = static_cast<float>(args.finite(8, "scale"));
  const Device device = args.runOnDeviceOf(4, "gradIn");
  const RowBackwardOperands o = rowBackwardOperands(args, n);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().masked_softmax_backward(o.y, o.g, o.dx, rows, cols, scale));
    return info.Env().Undefined();
  }
  cpu::maskedSoftmaxBackward(o.y, o.g, o.dx, rows, cols, scale);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("maskedSoftmax", Napi::Function::New(env, MaskedSoftmax, "maskedSoftmax"));
  exports.Set("maskedSoftmaxBackward", Napi::Function::New(env, MaskedSoftmaxBackward, "maskedSoftmaxBackward"));
}

}  // namespace

STEEPEST_REGISTER(masked_softmax, Init);

}  // namespace steepest::napi
