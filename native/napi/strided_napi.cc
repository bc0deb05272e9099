// Bindings for the N-D strided kernels (native/cpu/strided.h). Shapes and strides cross as
// arrays of integers; each operand's extent (1 + sum (shape_d - 1) stride_d) is checked against
// its buffer, so no stride can reach outside it. Each call runs on the device of its output:
// the CPU's kernels or CUDA's (native/cuda/strided.cu), both walking the plan made here.
#include "cpu/strided.h"

#include <string>
#include <type_traits>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

using Dims = std::vector<int64_t>;

Dims shapeAt(const Args& args, size_t i) {
  const Dims shape = args.dimsArray(i, "shape", 0, cpu::kMaxStridedDims);
  int64_t n = 1;
  for (int64_t d : shape) n = args.product("shape", n, d);
  return shape;
}

Dims stridesAt(const Args& args, size_t i, const char* name, const Dims& shape) {
  return args.dimsArray(i, name, shape.size(), shape.size());
}

// Elements an operand spans: 1 + sum (shape_d - 1) stride_d, or 0 for an empty shape.
int64_t extent(const Args& args, const Dims& shape, const Dims& strides) {
  double last = 0;  // exact below 2^53: every term is checked against 2^32 before it grows
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return 0;
    last += static_cast<double>(shape[d] - 1) * static_cast<double>(strides[d]);
    if (last >= static_cast<double>(kMaxDim)) args.failRange("an operand spans more than 2^32 elements");
  }
  return static_cast<int64_t>(last) + 1;
}

Dims contiguous(const Dims& shape) {
  Dims s(shape.size());
  int64_t step = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    s[d] = step;
    step *= shape[d];
  }
  return s;
}

int64_t elements(const Dims& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// Whether strides s read the same elements as the contiguous strides c over `shape` (axes of
// length 1 are never stepped, so their strides do not matter).
bool sameReads(const Dims& s, const Dims& c, const Dims& shape) {
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] != 1 && s[d] != c[d]) return false;
  }
  return true;
}

// copyStrided(src, srcOff, srcStrides, dst, dstOff, dstStrides, shape): float32 or int32 (both alike).
Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  Args args(info, "copyStrided");
  args.count(7, 7);
  const Dims shape = shapeAt(args, 6);
  const Dims ss = stridesAt(args, 2, "source strides", shape);
  const Dims ds = stridesAt(args, 5, "destination strides", shape);
  const int64_t ns = extent(args, shape, ss), nd = extent(args, shape, ds);
  const Device device = args.runOnDeviceOf(3, "destination");
  const bool f32 = args.buffer(0, "source")->dtype() == DType::F32;
  const void* src = f32 ? static_cast<const void*>(args.f32(0, "source", ns)) : args.i32(0, "source", ns);
  void* dst = f32 ? static_cast<void*>(args.f32(3, "destination", nd)) : args.i32(3, "destination", nd);
  if (overlaps(src, ns, dst, nd)) args.fail("destination must not share memory with source");
  const cpu::StridedPlan p = cpu::planStrided(shape, {&ss, &ds});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().copy_strided(src, dst, p.rank, p.shape, p.strides[0], p.strides[1]));
  } else {
    cpu::copyStrided(src, dst, p);
  }
  return info.Env().Undefined();
}

// binaryStrided(op, a, aOff, aStrides, b, bOff, bStrides, out, outOff, shape): out contiguous.
Napi::Value BinaryStrided(const Napi::CallbackInfo& info) {
  Args pre(info, "binaryStrided");
  pre.count(10, 10);
  const auto op = static_cast<cpu::BinaryOp>(pre.integer(0, "op", 0, static_cast<int>(cpu::BinaryOp::Count) - 1));
  Args args(info, cpu::kBinaryOpNames[static_cast<int>(op)]);
  const Dims shape = shapeAt(args, 9);
  const Dims as = stridesAt(args, 3, "a strides", shape), bs = stridesAt(args, 6, "b strides", shape);
  const Dims os = contiguous(shape);
  const int64_t na = extent(args, shape, as), nb = extent(args, shape, bs), n = elements(shape);
  const Device device = args.runOnDeviceOf(7, "out");
  const float* a = args.f32(1, "a", na);
  const float* b = args.f32(4, "b", nb);
  float* out = args.f32(7, "out", n);
  // In place is exact only where out is the operand itself, read at the same contiguous index.
  if ((overlaps(out, n, a, na) && !(out == a && sameReads(as, os, shape))) ||
      (overlaps(out, n, b, nb) && !(out == b && sameReads(bs, os, shape)))) {
    args.fail("out must be a contiguous operand itself or not share memory with the operands");
  }
  // out's strides take part in the merging; the merged out is still contiguous.
  const cpu::StridedPlan p = cpu::planStrided(shape, {&as, &bs, &os});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().binary_strided(static_cast<int>(op), a, b, out, p.rank, p.shape, p.strides[0],
                                                 p.strides[1]));
  } else {
    cpu::binaryStrided(op, a, b, out, p);
  }
  return info.Env().Undefined();
}

// The checked operands of where for element type T (float32 or int32, a, b and out alike).
template <typename T>
void whereOf(const Args& args, Device device, const int32_t* cond, int64_t nc, const Dims& shape, const Dims& cs, const Dims& as,
             const Dims& bs, const Dims& os, int64_t na, int64_t nb, int64_t n) {
  const DType dtype = std::is_same_v<T, float> ? DType::F32 : DType::I32;
  const T* a = static_cast<const T*>(args.tensor(3, "a", na, dtype));
  const T* b = static_cast<const T*>(args.tensor(6, "b", nb, dtype));
  T* out = static_cast<T*>(args.tensor(9, "out", n, dtype));
  if (overlaps(out, n, cond, nc) || overlaps(out, n, a, na) || overlaps(out, n, b, nb)) {
    args.fail("out must not share memory with the condition or the operands");
  }
  const cpu::StridedPlan p = cpu::planStrided(shape, {&cs, &as, &bs, &os});
  if (device != Device::Cuda) return cpu::whereStrided(cond, a, b, out, p);
  if constexpr (std::is_same_v<T, float>) {
    cudaCheck(args, cudaLibrary().where(cond, a, b, out, p.rank, p.shape, p.strides[0], p.strides[1], p.strides[2]));
  } else {
    args.failType("where on int32 values runs on the CPU only, got tensors on 'cuda'");
  }
}

// where(cond:int32, cOff, cStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff, shape):
// a, b and out float32, or all int32.
Napi::Value Where(const Napi::CallbackInfo& info) {
  Args args(info, "where");
  args.count(12, 12);
  const Dims shape = shapeAt(args, 11);
  const Dims cs = stridesAt(args, 2, "condition strides", shape);
  const Dims as = stridesAt(args, 5, "a strides", shape), bs = stridesAt(args, 8, "b strides", shape);
  const Dims os = contiguous(shape);
  const int64_t nc = extent(args, shape, cs), na = extent(args, shape, as), nb = extent(args, shape, bs);
  const int64_t n = elements(shape);
  const Device device = args.runOnDeviceOf(9, "out");
  const int32_t* cond = args.i32(0, "condition", nc);
  if (args.buffer(3, "a")->dtype() == DType::F32) {
    whereOf<float>(args, device, cond, nc, shape, cs, as, bs, os, na, nb, n);
  } else {
    whereOf<int32_t>(args, device, cond, nc, shape, cs, as, bs, os, na, nb, n);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("copyStrided", Napi::Function::New(env, CopyStrided, "copyStrided"));
  exports.Set("binaryStrided", Napi::Function::New(env, BinaryStrided, "binaryStrided"));
  exports.Set("where", Napi::Function::New(env, Where, "where"));
}

}  // namespace

STEEPEST_REGISTER(strided, Init);

}  // namespace steepest::napi
