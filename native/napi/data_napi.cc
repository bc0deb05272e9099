// Bindings for the data kernels: kNN (cpu/knn.h), SMOTE interpolation (cpu/smote.h), index
// sampling (cpu/sampling.h), per-column statistics (cpu/column_stats.h), one-hot (cpu/one_hot.h),
// the loader's batch gather (cpu/batch_gather.h). The batch gather and one-hot run on the device
// of their output, the CPU's or CUDA's (native/cuda/gather.cu: a dataset on the GPU gives batches
// there); the samplers, statistics, kNN and SMOTE run on the CPU only, where datasets are loaded
// and split, and refuse device memory naming the buffer.
#include <cmath>
#include <string>

#include "common/gather.h"
#include "cpu/batch_gather.h"
#include "cpu/column_stats.h"
#include "cpu/knn.h"
#include "cpu/one_hot.h"
#include "cpu/sampling.h"
#include "cpu/smote.h"
#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

constexpr int64_t kMaxSafe = (int64_t{1} << 53) - 1;
constexpr int64_t kMaxIndex = (int64_t{1} << 31) - 1;  // indices are int32

uint64_t seedArg(const Args& args, size_t i) { return static_cast<uint64_t>(args.integer(i, "seed", 0, kMaxSafe)); }
uint64_t offsetArg(const Args& args, size_t i) {
  return static_cast<uint64_t>(args.integer(i, "stream offset", 0, kMaxSafe));
}

// A plain rows * cols of two sizes up to 2^32 overflows int64; args.product checks first.
void checkMatrix(const Args& args, int64_t rows, int64_t cols) { args.product("matrix", rows, cols); }

// kNN ranks by distance: a NaN or infinite coordinate makes distances NaN, which no ordering
// handles (std::sort with NaN keys breaks its strict-weak-ordering precondition).
void requireFinite(const Args& args, const float* x, int64_t rows, int64_t d, const char* name) {
  for (int64_t i = 0; i < rows * d; ++i) {
    if (!std::isfinite(x[i])) {
      args.failRange(std::string(name) + " must be finite, got " + std::to_string(x[i]) + " at row " +
                     std::to_string(i / d) + ", column " + std::to_string(i % d));
    }
  }
}

// knn(data, dataOff, n, d, query, queryOff, m, k, excludeSelf, outIndex, outIndexOff, outDist|null, outDistOff)
Napi::Value Knn(const Napi::CallbackInfo& info) {
  Args args(info, "knn");
  args.count(13, 13);
  const int64_t n = args.integer(2, "n", 0, kMaxIndex);
  const int64_t d = args.integer(3, "d");
  const int64_t m = args.integer(6, "m", 0, kMaxIndex);
  const int64_t k = args.integer(7, "k", 1, kMaxIndex);
  const bool excludeSelf = args.boolean(8, "excludeSelf");
  checkMatrix(args, n, d);
  checkMatrix(args, m, d);
  checkMatrix(args, m, k);
  if (excludeSelf && m != n) args.failRange("excludeSelf needs the queries to be the data rows, got " + std::to_string(m) + " queries for " + std::to_string(n) + " rows");
  const int64_t available = excludeSelf ? n - 1 : n;
  if (k > available) {
    args.failRange("k must be at most " + std::to_string(available) + (excludeSelf ? " (the other rows)" : " (the rows)") +
                   ", got " + std::to_string(k));
  }
  const float* data = args.f32(0, "data", n * d);
  const float* query = args.f32(4, "query", m * d);
  if (excludeSelf && query != data) args.fail("excludeSelf needs query to be the same memory as data");
  int32_t* outIndex = args.i32(9, "outIndex", m * k);
  float* outDist = args.isNullish(11) ? nullptr : args.f32(11, "outDist", m * k);
  // Threads write distances while others still read data and query rows.
  if (outDist != nullptr && (args.buffer(11, "outDist") == args.buffer(0, "data") ||
                             args.buffer(11, "outDist") == args.buffer(4, "query"))) {
    args.fail("outDist must not share memory with data or query");
  }
  requireFinite(args, data, n, d, "data");
  if (query != data) requireFinite(args, query, m, d, "query");
  cpu::knn(data, n, query, m, d, k, excludeSelf, outIndex, outDist);
  return info.Env().Undefined();
}

// smoteInterpolate(x, xOff, n, d, neighbours, nOff, k, count, seed, streamOffset, out, outOff)
Napi::Value SmoteInterpolate(const Napi::CallbackInfo& info) {
  Args args(info, "smoteInterpolate");
  args.count(12, 12);
  const int64_t n = args.integer(2, "n", 1, kMaxIndex);
  const int64_t d = args.integer(3, "d");
  const int64_t k = args.integer(6, "k", 1, kMaxIndex);
  const int64_t count = args.integer(7, "count");
  checkMatrix(args, n, d);
  checkMatrix(args, n, k);
  checkMatrix(args, count, d);
  const float* x = args.f32(0, "x", n * d);
  const int32_t* nn = args.i32(4, "neighbours", n * k);
  for (int64_t i = 0; i < n * k; ++i) {
    if (nn[i] < 0 || nn[i] >= n) {
      args.failRange("neighbour index " + std::to_string(nn[i]) + " at position " + std::to_string(i) +
                     " is out of range for " + std::to_string(n) + " rows");
    }
  }
  float* out = args.f32(10, "out", count * d);
  if (args.buffer(10, "out") == args.buffer(0, "x")) args.fail("out must not share memory with x");
  cpu::smoteInterpolate(x, n, d, nn, k, count, seedArg(args, 8), offsetArg(args, 9), out);
  return info.Env().Undefined();
}

// randperm(out, outOff, n, seed, streamOffset)
Napi::Value Randperm(const Napi::CallbackInfo& info) {
  Args args(info, "randperm");
  args.count(5, 5);
  const int64_t n = args.integer(2, "n", 0, kMaxIndex);
  cpu::randperm(args.i32(0, "out", n), n, seedArg(args, 3), offsetArg(args, 4));
  return info.Env().Undefined();
}

// randomIndex(out, outOff, count, n, seed, streamOffset)
Napi::Value RandomIndex(const Napi::CallbackInfo& info) {
  Args args(info, "randomIndex");
  args.count(6, 6);
  const int64_t count = args.integer(2, "count");
  const int64_t n = args.integer(3, "n", 1, kMaxIndex);
  cpu::randomIndex(args.i32(0, "out", count), count, n, seedArg(args, 4), offsetArg(args, 5));
  return info.Env().Undefined();
}

// weightedIndex(weights, wOff, n, out, outOff, count, seed, streamOffset)
Napi::Value WeightedIndex(const Napi::CallbackInfo& info) {
  Args args(info, "weightedIndex");
  args.count(8, 8);
  const int64_t n = args.integer(2, "n", 1, kMaxIndex);
  const int64_t count = args.integer(5, "count");
  const float* w = args.f32(0, "weights", n);
  double total = 0;
  for (int64_t j = 0; j < n; ++j) {
    if (!std::isfinite(w[j]) || w[j] < 0) {
      args.failRange("weights must be finite and >= 0, got " + std::to_string(w[j]) + " at index " + std::to_string(j));
    }
    total += w[j];
  }
  if (!(total > 0)) args.failRange("weights must not all be zero");
  cpu::weightedIndex(w, n, args.i32(3, "out", count), count, seedArg(args, 6), offsetArg(args, 7));
  return info.Env().Undefined();
}

// columnStats(x, xOff, rows, cols, mean, mOff, std, sOff, min, minOff, max, maxOff) -> first
// non-finite flat index, or -1
Napi::Value ColumnStats(const Napi::CallbackInfo& info) {
  Args args(info, "columnStats");
  args.count(12, 12);
  const int64_t rows = args.integer(2, "rows");
  const int64_t cols = args.integer(3, "cols");
  checkMatrix(args, rows, cols);
  // One statement each: the order of evaluation of call arguments is unspecified (g++ goes right
  // to left, clang left to right), and the first failing check names the argument.
  const float* x = args.f32(0, "x", rows * cols);
  float* mean = args.f32(4, "mean", cols);
  float* stdev = args.f32(6, "std", cols);
  float* min = args.f32(8, "min", cols);
  float* max = args.f32(10, "max", cols);
  const int64_t bad = cpu::columnStats(x, rows, cols, mean, stdev, min, max);
  return Napi::Number::New(info.Env(), static_cast<double>(bad));
}

// oneHot(labels, lOff, n, classes, out, outOff)
Napi::Value OneHot(const Napi::CallbackInfo& info) {
  Args args(info, "oneHot");
  args.count(6, 6);
  const int64_t n = args.integer(2, "n");
  const int64_t classes = args.integer(3, "classes", 1, kMaxIndex);
  checkMatrix(args, n, classes);
  const Device device = args.runOnDeviceOf(4, "out");
  const int32_t* labels = args.i32(0, "labels", n);
  // Device labels are checked by the kernel (reported at the next read).
  const int64_t bad = device == Device::Cuda ? -1 : firstIndexOutOfRange(labels, n, classes);
  if (bad >= 0) {
    args.failRange("label " + std::to_string(labels[bad]) + " at position " + std::to_string(bad) +
                   " is out of range for " + std::to_string(classes) + " classes");
  }
  float* out = args.f32(4, "out", n * classes);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().one_hot(labels, n, classes, out));
  } else {
    cpu::oneHot(labels, n, classes, out);
  }
  return info.Env().Undefined();
}

// gatherBatch(x, xOff, rowLength, rows, y|null, yOff, index, indexOff, count,
//             scale|null, scaleOff, shift|null, shiftOff, xOut, xOutOff, yOut|null, yOutOff)
Napi::Value GatherBatch(const Napi::CallbackInfo& info) {
  Args args(info, "gatherBatch");
  args.count(17, 17);
  const int64_t rowLength = args.integer(2, "rowLength");
  const int64_t rows = args.integer(3, "rows", 0, kMaxIndex);
  const int64_t count = args.integer(8, "count");
  checkMatrix(args, rows, rowLength);
  checkMatrix(args, count, rowLength);
  const Device device = args.runOnDeviceOf(13, "xOut");
  const int32_t* index = args.i32(6, "index", count);
  // Device indices are checked by the kernel (reported at the next read).
  const int64_t bad = device == Device::Cuda ? -1 : firstIndexOutOfRange(index, count, rows);
  if (bad >= 0) {
    args.failRange("index " + std::to_string(index[bad]) + " at position " + std::to_string(bad) +
                   " is out of range for " + std::to_string(rows) + " rows");
  }
  const float* x = args.f32(0, "x", rows * rowLength);
  const bool withY = !args.isNullish(4);
  const int32_t* y = withY ? args.i32(4, "y", rows) : nullptr;
  const bool affine = !args.isNullish(9);
  if (affine == args.isNullish(11)) args.fail("scale and shift must be given together");
  const float* scale = affine ? args.f32(9, "scale", rowLength) : nullptr;
  const float* shift = affine ? args.f32(11, "shift", rowLength) : nullptr;
  NativeBuffer* xOutBuf = args.buffer(13, "xOut");
  if (xOutBuf == args.buffer(0, "x") || xOutBuf == args.buffer(6, "index")) args.fail("xOut must not share memory with x or index");
  // The affine row kernel reads scale and shift through restrict pointers while writing xOut.
  if (affine && (xOutBuf == args.buffer(9, "scale") || xOutBuf == args.buffer(11, "shift"))) {
    args.fail("xOut must not share memory with scale or shift");
  }
  float* xOut = args.f32(13, "xOut", count * rowLength);
  if (withY == args.isNullish(15)) args.fail("y and yOut must be given together");
  int32_t* yOut = nullptr;
  if (withY) {
    NativeBuffer* yOutBuf = args.buffer(15, "yOut");
    if (yOutBuf == args.buffer(4, "y") || yOutBuf == args.buffer(6, "index") || yOutBuf == xOutBuf) {
      args.fail("yOut must not share memory with y, index or xOut");
    }
    yOut = args.i32(15, "yOut", count);
  }
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().gather_batch(x, rowLength, rows, y, index, count, scale, shift, xOut, yOut));
  } else {
    cpu::gatherBatch(x, rowLength, y, index, count, scale, shift, xOut, yOut);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gatherBatch", Napi::Function::New(env, GatherBatch, "gatherBatch"));
  exports.Set("knn", Napi::Function::New(env, Knn, "knn"));
  exports.Set("smoteInterpolate", Napi::Function::New(env, SmoteInterpolate, "smoteInterpolate"));
  exports.Set("randperm", Napi::Function::New(env, Randperm, "randperm"));
  exports.Set("randomIndex", Napi::Function::New(env, RandomIndex, "randomIndex"));
  exports.Set("weightedIndex", Napi::Function::New(env, WeightedIndex, "weightedIndex"));
  exports.Set("columnStats", Napi::Function::New(env, ColumnStats, "columnStats"));
  exports.Set("oneHot", Napi::Function::New(env, OneHot, "oneHot"));
}

}  // namespace

STEEPEST_REGISTER(data, Init);

}  // namespace steepest::napi
