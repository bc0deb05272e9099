// Bindings for transpose, row gathers, index_select and their adjoints (native/cpu/layout.h).
// Each call runs on the device of its output, the CPU's kernels or CUDA's (native/cuda/layout.cu,
// gather.cu, scatter.cu). On the CPU the indices are checked here, before any kernel runs; on
// CUDA they are device memory, so the kernels check them and the next read reports a bad one.
#include "cpu/layout.h"

#include <string>

#include "common/gather.h"
#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// transpose(a, aOff, rows, cols, out, outOff)
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Args args(info, "transpose");
  args.count(6, 6);
  const int64_t rows = args.integer(2, "rows");
  const int64_t cols = args.integer(3, "cols");
  const int64_t n = args.product("matrix", rows, cols);
  const Device device = args.runOnDeviceOf(4, "out");
  const float* a = args.f32(0, "input", n);
  float* out = args.f32(4, "out", n);
  if (overlaps(a, n, out, n)) args.fail("input and out must not share memory");
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().transpose(a, rows, cols, out));
  } else {
    cpu::transpose(a, rows, cols, out);
  }
  return info.Env().Undefined();
}

// Every index names one of `rows` rows; the first that does not is named in the error. Host
// indices only: a CUDA kernel checks its own (common/gather.h's rule either way).
void checkRowIndices(const Args& args, Device device, const int32_t* index, int64_t count, int64_t rows) {
  if (device == Device::Cuda) return;
  const int64_t i = firstIndexOutOfRange(index, count, rows);
  if (i >= 0) {
    args.failRange("index " + std::to_string(index[i]) + " at position " + std::to_string(i) + " is out of range for " +
                   std::to_string(rows) + " rows");
  }
}

// gatherRows(src, srcOff, rowLength, srcRows, index:int32, indexOff, count, out, outOff)
// src and out share a dtype (float32 or int32).
Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  Args args(info, "gatherRows");
  args.count(9, 9);
  const int64_t rowLength = args.integer(2, "rowLength");
  const int64_t srcRows = args.integer(3, "source rows");
  const int64_t count = args.integer(6, "count");
  const int64_t srcElements = args.product("source", srcRows, rowLength);
  const int64_t outElements = args.product("out", count, rowLength);
  const Device device = args.runOnDeviceOf(7, "out");
  const int32_t* index = args.i32(4, "index", count);
  checkRowIndices(args, device, index, count, srcRows);
  NativeBuffer* src = args.buffer(0, "source");
  if (args.buffer(7, "out") == args.buffer(4, "index")) args.fail("out must not share memory with index");
  const bool f32 = src->dtype() == DType::F32;
  const void* from = f32 ? static_cast<const void*>(args.f32(0, "source", srcElements)) : args.i32(0, "source", srcElements);
  void* to = f32 ? static_cast<void*>(args.f32(7, "out", outElements)) : args.i32(7, "out", outElements);
  if (overlaps(from, srcElements, to, outElements)) args.fail("out must not share memory with source");
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().gather_rows(from, rowLength, srcRows, index, count, to));
  } else if (f32) {
    cpu::gatherRows(static_cast<const float*>(from), rowLength, index, count, static_cast<float*>(to));
  } else {
    cpu::gatherRows(static_cast<const int32_t*>(from), rowLength, index, count, static_cast<int32_t*>(to));
  }
  return info.Env().Undefined();
}

// scatterAddRows(src, srcOff, rowLength, index:int32, indexOff, count, out, outOff, outRows)
Napi::Value ScatterAddRows(const Napi::CallbackInfo& info) {
  Args args(info, "scatterAddRows");
  args.count(9, 9);
  const int64_t rowLength = args.integer(2, "rowLength");
  const int64_t count = args.integer(5, "count");
  const int64_t outRows = args.integer(8, "out rows");
  const int64_t srcElements = args.product("source", count, rowLength);
  const int64_t outElements = args.product("out", outRows, rowLength);
  const Device device = args.runOnDeviceOf(6, "out");
  const int32_t* index = args.i32(3, "index", count);
  checkRowIndices(args, device, index, count, outRows);
  const float* from = args.f32(0, "source", srcElements);
  float* to = args.f32(6, "out", outElements);
  if (args.buffer(6, "out") == args.buffer(3, "index")) args.fail("out must not share memory with index");
  if (overlaps(from, srcElements, to, outElements)) args.fail("out must not share memory with source");
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().scatter_add_rows(from, rowLength, index, count, to, outRows));
  } else {
    cpu::scatterAddRows(from, rowLength, index, count, to);
  }
  return info.Env().Undefined();
}

// The checked operands of indexSelect and of its adjoint indexAdd: the source [outer, srcRows,
// inner] and the out [outer, outRows, inner], one of them indexed by `count` int32 rows of
// `rows` (n), the other `count` long.
struct IndexCall {
  Device device;
  int64_t outer, n, inner, count;
  const int32_t* index;
  const void* from;
  void* to;
};

// The source and out are of `dtype` (float32; indexSelect also int32).
IndexCall indexCall(Args& args, size_t nAt, size_t countAt, size_t outAt, bool gather, DType dtype = DType::F32) {
  IndexCall c{};
  c.outer = args.integer(2, "outer");
  c.inner = args.integer(4, "inner");
  c.n = args.integer(nAt, "n");
  c.count = args.integer(countAt, "count");
  const int64_t srcElements = args.product("source", c.outer, gather ? c.n : c.count, c.inner);
  const int64_t outElements = args.product("out", c.outer, gather ? c.count : c.n, c.inner);
  c.device = args.runOnDeviceOf(outAt, "out");
  c.index = args.i32(5, "index", c.count);
  checkRowIndices(args, c.device, c.index, c.count, c.n);
  c.from = args.tensor(0, "source", srcElements, dtype);
  c.to = args.tensor(outAt, "out", outElements, dtype);
  if (overlaps(c.from, srcElements, c.to, outElements) || overlaps(c.index, c.count, c.to, outElements)) {
    args.fail("out must not share memory with source or index");
  }
  return c;
}

// indexSelect(src, srcOff, outer, n, inner, index:int32, indexOff, count, out, outOff): src and
// out float32, or both int32.
Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  Args args(info, "indexSelect");
  args.count(10, 10);
  const DType dtype = args.buffer(0, "source")->dtype();
  const IndexCall c = indexCall(args, 3, 7, 8, true, dtype);
  if (c.device == Device::Cuda) {
    if (dtype != DType::F32) args.failType("indexSelect on int32 values runs on the CPU only, got tensors on 'cuda'");
    cudaCheck(args, cudaLibrary().index_select(static_cast<const float*>(c.from), c.outer, c.n, c.inner, c.index, c.count,
                                               static_cast<float*>(c.to)));
  } else if (dtype == DType::F32) {
    cpu::indexSelect(static_cast<const float*>(c.from), c.outer, c.n, c.inner, c.index, c.count, static_cast<float*>(c.to));
  } else {
    cpu::indexSelect(static_cast<const int32_t*>(c.from), c.outer, c.n, c.inner, c.index, c.count, static_cast<int32_t*>(c.to));
  }
  return info.Env().Undefined();
}

// indexAdd(src, srcOff, outer, count, inner, index:int32, indexOff, out, outOff, n)
Napi::Value IndexAdd(const Napi::CallbackInfo& info) {
  Args args(info, "indexAdd");
  args.count(10, 10);
  const IndexCall c = indexCall(args, 9, 3, 7, false);
  const float* from = static_cast<const float*>(c.from);
  float* to = static_cast<float*>(c.to);
  if (c.device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().index_add(from, c.outer, c.count, c.inner, c.index, to, c.n));
  } else {
    cpu::indexAdd(from, c.outer, c.count, c.inner, c.index, c.n, to);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("indexSelect", Napi::Function::New(env, IndexSelect, "indexSelect"));
  exports.Set("indexAdd", Napi::Function::New(env, IndexAdd, "indexAdd"));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRows, "scatterAddRows"));
  exports.Set("transpose", Napi::Function::New(env, Transpose, "transpose"));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows, "gatherRows"));
}

}  // namespace

STEEPEST_REGISTER(layout, Init);

}  // namespace steepest::napi
