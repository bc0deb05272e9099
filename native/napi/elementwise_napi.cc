// Bindings for the elementwise kernels: each call runs on the device of its output buffer, the
// CPU's (native/cpu/elementwise.h) or CUDA's (native/cuda/elementwise.cu).
#include "cpu/elementwise.h"

#include <cmath>
#include <string>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

using cpu::BinaryOp;
using cpu::Broadcast;
using cpu::UnaryOp;

// binary(op, a, aOff, aMode, b, bOff, bMode, out, outOff, rows, cols)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Args args(info, "binary");
  args.count(11, 11);
  const auto op = static_cast<BinaryOp>(args.integer(0, "op", 0, static_cast<int>(BinaryOp::Count) - 1));
  Args named(info, cpu::kBinaryOpNames[static_cast<int>(op)]);
  const int maxMode = static_cast<int>(Broadcast::Count) - 1;
  const auto aMode = static_cast<Broadcast>(named.integer(3, "a layout", 0, maxMode));
  const auto bMode = static_cast<Broadcast>(named.integer(6, "b layout", 0, maxMode));
  const int64_t rows = named.integer(9, "rows");
  const int64_t cols = named.integer(10, "cols");
  named.product("output", rows, cols);
  const Device device = named.runOnDeviceOf(7, "out");
  const float* a = named.f32(1, "a", cpu::broadcastElements(aMode, rows, cols));
  const float* b = named.f32(4, "b", cpu::broadcastElements(bMode, rows, cols));
  float* out = named.f32(7, "out", rows * cols);
  if (device == Device::Cuda) {
    cudaCheck(named, cudaLibrary().binary(static_cast<int>(op), a, static_cast<int>(aMode), b, static_cast<int>(bMode), out,
                                          rows, cols));
  } else {
    cpu::binary(op, a, aMode, b, bMode, out, rows, cols);
  }
  return info.Env().Undefined();
}

// binaryScalar(op, a, aOff, scalar, scalarFirst, out, outOff, n)
Napi::Value BinaryScalar(const Napi::CallbackInfo& info) {
  Args args(info, "binaryScalar");
  args.count(8, 8);
  const auto op = static_cast<BinaryOp>(args.integer(0, "op", 0, static_cast<int>(BinaryOp::Count) - 1));
  Args named(info, cpu::kBinaryOpNames[static_cast<int>(op)]);
  const float s = static_cast<float>(named.number(3, "scalar"));
  const bool scalarFirst = named.boolean(4, "scalarFirst");
  const int64_t n = named.integer(7, "n");
  const Device device = named.runOnDeviceOf(5, "out");
  const float* a = named.f32(1, "a", n);
  float* out = named.f32(5, "out", n);
  if (device == Device::Cuda) {
    cudaCheck(named, cudaLibrary().binary_scalar(static_cast<int>(op), a, s, scalarFirst, out, n));
  } else {
    cpu::binaryScalar(op, a, s, scalarFirst, out, n);
  }
  return info.Env().Undefined();
}

UnaryOp unaryOp(const Args& args) {
  return static_cast<UnaryOp>(args.integer(0, "op", 0, static_cast<int>(UnaryOp::Count) - 1));
}

void checkParams(const Args& named, UnaryOp op, float p1, float p2) {
  if (op == UnaryOp::Clamp && !(p1 <= p2)) {
    named.failRange("min must be <= max, got min " + std::to_string(p1) + ", max " + std::to_string(p2));
  }
  if (op == UnaryOp::LeakyRelu && !std::isfinite(p1)) named.failRange("negative slope must be finite");
}

// unary(op, x, xOff, out, outOff, n, p1, p2)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Args args(info, "unary");
  args.count(8, 8);
  const UnaryOp op = unaryOp(args);
  Args named(info, cpu::kUnaryOpNames[static_cast<int>(op)]);
  const int64_t n = named.integer(5, "n");
  const float p1 = static_cast<float>(named.number(6, "p1"));
  const float p2 = static_cast<float>(named.number(7, "p2"));
  checkParams(named, op, p1, p2);
  const Device device = named.runOnDeviceOf(3, "out");
  const float* x = named.f32(1, "x", n);
  float* out = named.f32(3, "out", n);
  if (device == Device::Cuda) {
    cudaCheck(named, cudaLibrary().unary(static_cast<int>(op), x, out, n, p1, p2));
  } else {
    cpu::unary(op, x, out, n, p1, p2);
  }
  return info.Env().Undefined();
}

// unaryBackward(op, x, xOff, gradOut, gOff, gradIn, giOff, n, p1, p2)
Napi::Value UnaryBackward(const Napi::CallbackInfo& info) {
  Args args(info, "unaryBackward");
  args.count(10, 10);
  const UnaryOp op = unaryOp(args);
  const std::string name = std::string(cpu::kUnaryOpNames[static_cast<int>(op)]) + " backward";
  Args named(info, name.c_str());
  const int64_t n = named.integer(7, "n");
  const float p1 = static_cast<float>(named.number(8, "p1"));
  const float p2 = static_cast<float>(named.number(9, "p2"));
  checkParams(named, op, p1, p2);
  const Device device = named.runOnDeviceOf(5, "gradIn");
  const float* x = named.f32(1, "x", n);
  const float* g = named.f32(3, "gradOut", n);
  float* out = named.f32(5, "gradIn", n);
  if (device == Device::Cuda) {
    cudaCheck(named, cudaLibrary().unary_backward(static_cast<int>(op), x, g, out, n, p1, p2));
  } else {
    cpu::unaryBackward(op, x, g, out, n, p1, p2);
  }
  return info.Env().Undefined();
}

// fill(out, outOff, n, value): float32 or int32 by the buffer's dtype.
Napi::Value Fill(const Napi::CallbackInfo& info) {
  Args args(info, "fill");
  args.count(4, 4);
  const int64_t n = args.integer(2, "n");
  NativeBuffer* b = args.buffer(0, "out");
  const Device device = args.runOnDeviceOf(0, "out");
  if (device == Device::Cuda) {
    if (b->dtype() != DType::F32) args.fail("int32 fills run on the CPU only");
    cudaCheck(args, cudaLibrary().fill(args.f32(0, "out", n), n, static_cast<float>(args.number(3, "value"))));
  } else if (b->dtype() == DType::F32) {
    cpu::fill(args.f32(0, "out", n), n, static_cast<float>(args.number(3, "value")));
  } else {
    const int64_t v = args.integer(3, "value", INT32_MIN, INT32_MAX);
    cpu::fillInt(args.i32(0, "out", n), n, static_cast<int32_t>(v));
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("binaryScalar", Napi::Function::New(env, BinaryScalar, "binaryScalar"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("unaryBackward", Napi::Function::New(env, UnaryBackward, "unaryBackward"));
  exports.Set("fill", Napi::Function::New(env, Fill, "fill"));
  exports.Set("binaryOps", enumObject(env, cpu::kBinaryOpNames, static_cast<int>(BinaryOp::Count)));
  exports.Set("unaryOps", enumObject(env, cpu::kUnaryOpNames, static_cast<int>(UnaryOp::Count)));
  static const char* const kModes[] = {"full", "row", "column", "scalar"};
  exports.Set("broadcastModes", enumObject(env, kModes, static_cast<int>(Broadcast::Count)));
}

}  // namespace

STEEPEST_REGISTER(elementwise, Init);

}  // namespace steepest::napi
