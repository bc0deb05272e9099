// Bindings for 2-D convolution and pooling: on the device of the output (of gradOutput for the
// convolution's backward), the CPU kernels (native/cpu/conv2d.h, native/cpu/pool2d.h) or the
// CUDA ones (native/cuda/conv.cu, max_pool.cu, avg_pool.cu). The window geometry crosses as one
// array of integers; the output size is computed here, with the formula of
// native/common/conv_geometry.h, and every buffer is checked against it on either device.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/conv_geometry.h"
#include "cpu/conv2d.h"
#include "cpu/pool2d.h"
#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// The integers of the array at position i, `count` of them, each in [min, kMaxDim].
std::vector<int64_t> integers(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, size_t count) {
  if (i >= info.Length() || !info[i].IsArray() || info[i].As<Napi::Array>().Length() != count) {
    args.failType(std::string(name) + " must be an array of " + std::to_string(count) + " integers");
  }
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(count);
  for (uint32_t k = 0; k < count; ++k) {
    Napi::Value v = a.Get(k);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d <= static_cast<double>(kMaxDim) && d == static_cast<double>(static_cast<int64_t>(d)))) {
      args.failRange(std::string(name) + "[" + std::to_string(k) + "] must be an integer in [0, 2^32]");
    }
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

void checkWindow(const Args& args, int64_t kernel, int64_t stride, int64_t dilation, const char* axis) {
  if (kernel < 1 || stride < 1 || dilation < 1) {
    args.failRange(std::string("kernel, stride and dilation must be >= 1 along ") + axis);
  }
}

// [N, C, H, W, OC, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW, groups]
common::ConvGeometry convGeometry(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  const auto v = integers(args, info, i, "geometry", 14);
  common::ConvGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], 0, 0};
  checkWindow(args, g.KH, g.strideH, g.dilationH, "H");
  checkWindow(args, g.KW, g.strideW, g.dilationW, "W");
  if (g.groups < 1 || g.C % g.groups != 0 || g.OC % g.groups != 0 || g.C == 0 || g.OC == 0) {
    args.failRange("groups (" + std::to_string(g.groups) + ") must be >= 1 and divide the input channels (" +
                   std::to_string(g.C) + ") and the output channels (" + std::to_string(g.OC) + ")");
  }
  g.OH = common::convOutputSize(g.H, g.KH, g.strideH, g.padH, g.dilationH);
  g.OW = common::convOutputSize(g.W, g.KW, g.strideW, g.padW, g.dilationW);
  if (g.OH < 1 || g.OW < 1) {
    args.failRange("the kernel (" + std::to_string(g.KH) + "x" + std::to_string(g.KW) + ", dilated) does not fit the padded input (" +
                   std::to_string(g.H) + "x" + std::to_string(g.W) + ")");
  }
  return g;
}

// [N, C, H, W, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW]
common::PoolGeometry poolGeometry(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  const auto v = integers(args, info, i, "geometry", 12);
  common::PoolGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], 0, 0};
  checkWindow(args, g.KH, g.strideH, g.dilationH, "H");
  checkWindow(args, g.KW, g.strideW, g.dilationW, "W");
  // PyTorch's rule: a window must always cover some input.
  if (2 * g.padH > g.dilationH * (g.KH - 1) + 1 || 2 * g.padW > g.dilationW * (g.KW - 1) + 1) {
    args.failRange("padding must be at most half the (dilated) kernel size");
  }
  g.OH = common::convOutputSize(g.H, g.KH, g.strideH, g.padH, g.dilationH);
  g.OW = common::convOutputSize(g.W, g.KW, g.strideW, g.padW, g.dilationW);
  if (g.OH < 1 || g.OW < 1) args.failRange("the pooling window does not fit the padded input");
  return g;
}

// The geometries as the CUDA library takes them: their fields in declaration order.
std::array<int64_t, 16> fields(const common::ConvGeometry& g) {
  return {g.N, g.C, g.H, g.W, g.OC, g.KH, g.KW, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW, g.groups, g.OH, g.OW};
}
std::array<int64_t, 14> fields(const common::PoolGeometry& g) {
  return {g.N, g.C, g.H, g.W, g.KH, g.KW, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW, g.OH, g.OW};
}

// cuBLAS takes int sizes: a convolution's GEMM sizes (output channels, col rows of a group,
// output positions) on 'cuda'.
void checkCudaSizes(const Args& args, const common::ConvGeometry& g) {
  const std::pair<const char*, int64_t> sizes[] = {
      {"output channels", g.OC}, {"C / groups * KH * KW", g.C / g.groups * g.KH * g.KW}, {"OH * OW", g.OH * g.OW}};
  for (const auto& [name, v] : sizes) {
    if (v > INT32_MAX) args.failRange(std::string(name) + " must be < 2^31 on 'cuda', got " + std::to_string(v));
  }
}

// The operands of a forward pass (x, w, bias|null, y at arguments 0, 2, 4, 6), checked against
// the geometry: conv2d reads x [N, C, H, W] into y [N, OC, OH, OW]; the transposed convolution
// runs the other way, x [N, OC, OH, OW] into y [N, C, H, W]. y may share memory with no operand.
struct ForwardOperands {
  const float* x;
  const float* w;
  const float* bias;
  float* y;
};
ForwardOperands forwardOperands(const Args& args, const common::ConvGeometry& g, bool transposed) {
  const int64_t convIn = args.product("input", g.N * g.C, g.H, g.W), convOut = args.product("output", g.N * g.OC, g.OH, g.OW);
  const ForwardOperands o{args.f32(0, "input", transposed ? convOut : convIn),
                          args.f32(2, "weight", args.product("weight", g.OC * (g.C / g.groups), g.KH, g.KW)),
                          args.isNullish(4) ? nullptr : args.f32(4, "bias", transposed ? g.C : g.OC),
                          args.f32(6, "output", transposed ? convIn : convOut)};
  for (size_t in : {0u, 2u, 4u}) {
    if (!args.isNullish(in) && args.buffer(6, "output") == args.buffer(in, "operand")) {
      args.fail("output must not share memory with input, weight or bias");
    }
  }
  return o;
}

// conv2dForward(x, xOff, w, wOff, bias|null, bOff, y, yOff, geometry[, relu])
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d");
  args.count(9, 10);
  const auto g = convGeometry(args, info, 8);
  const Device device = args.runOnDeviceOf(6, "output");
  const ForwardOperands o = forwardOperands(args, g, false);
  const bool relu = info.Length() > 9 && args.boolean(9, "relu");
  if (device == Device::Cuda) {
    checkCudaSizes(args, g);
    cudaCheck(args, cudaLibrary().conv2d_forward(o.x, o.w, o.bias, fields(g).data(), o.y, relu));
  } else {
    cpu::conv2dForward(o.x, o.w, o.bias, g, o.y, relu);
  }
  return info.Env().Undefined();
}

// convTranspose2dForward(x, xOff, w, wOff, bias|null, bOff, y, yOff, geometry): geometry is the
// convolution's whose input is y and whose output is x.
Napi::Value ConvTranspose2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "convTranspose2d");
  args.count(9, 9);
  const auto g = convGeometry(args, info, 8);
  const Device device = args.runOnDeviceOf(6, "output");
  const ForwardOperands o = forwardOperands(args, g, true);
  if (device == Device::Cuda) {
    checkCudaSizes(args, g);
    cudaCheck(args, cudaLibrary().conv_transpose2d_forward(o.x, o.w, o.bias, fields(g).data(), o.y));
  } else {
    cpu::convTranspose2dForward(o.x, o.w, o.bias, g, o.y);
  }
  return info.Env().Undefined();
}

// conv2dBackward(x, xOff, w, wOff, dy, dyOff, dx|null, dxOff, dW|null, dwOff, db|null, dbOff, geometry, accumulate)
Napi::Value Conv2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d backward");
  args.count(14, 14);
  const auto g = convGeometry(args, info, 12);
  // Every gradient is optional: the call runs where gradOutput lives.
  const Device device = args.runOnDeviceOf(4, "gradOutput");
  const int64_t xSize = args.product("input", g.N * g.C, g.H, g.W);
  const int64_t wSize = args.product("weight", g.OC * (g.C / g.groups), g.KH, g.KW);
  const float* x = args.f32(0, "input", xSize);
  const float* w = args.f32(2, "weight", wSize);
  const float* dy = args.f32(4, "gradOutput", args.product("gradOutput", g.N * g.OC, g.OH, g.OW));
  float* dx = args.isNullish(6) ? nullptr : args.f32(6, "gradInput", xSize);
  float* dW = args.isNullish(8) ? nullptr : args.f32(8, "gradWeight", wSize);
  float* db = args.isNullish(10) ? nullptr : args.f32(10, "gradBias", g.OC);
  for (size_t out : {6u, 8u, 10u}) {
    if (args.isNullish(out)) continue;
    for (size_t in : {0u, 2u, 4u}) {
      if (args.buffer(out, "gradient") == args.buffer(in, "operand")) args.fail("gradients must not share memory with input, weight or gradOutput");
    }
  }
  if (overlaps(dx, xSize, dW, wSize) || overlaps(dx, xSize, db, g.OC) || overlaps(dW, wSize, db, g.OC)) {
    args.fail("gradInput, gradWeight and gradBias must not share memory");
  }
  const bool accumulate = args.boolean(13, "accumulate");
  if (device == Device::Cuda) {
    checkCudaSizes(args, g);
    cudaCheck(args, cudaLibrary().conv2d_backward(x, w, dy, fields(g).data(), dx, dW, db, accumulate));
  } else {
    cpu::conv2dBackward(x, w, dy, g, dx, dW, db, accumulate);
  }
  return info.Env().Undefined();
}

// maxPool2dForward(x, xOff, y, yOff, indices, iOff, geometry)
Napi::Value MaxPool2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2d");
  args.count(7, 7);
  const auto g = poolGeometry(args, info, 6);
  const Device device = args.runOnDeviceOf(2, "output");
  const int64_t outSize = args.product("output", g.N * g.C, g.OH, g.OW);
  const float* x = args.f32(0, "input", args.product("input", g.N * g.C, g.H, g.W));
  float* y = args.f32(2, "output", outSize);
  int32_t* idx = args.i32(4, "indices", outSize);
  if (g.H * g.W > INT32_MAX) args.failRange("a plane of more than 2^31 - 1 values cannot be indexed in int32");
  if (args.buffer(2, "output") == args.buffer(0, "input")) args.fail("output must not share memory with input");
  if (device == Device::Cuda) cudaCheck(args, cudaLibrary().max_pool2d_forward(x, fields(g).data(), y, idx));
  else cpu::maxPool2dForward(x, g, y, idx);
  return info.Env().Undefined();
}

// maxPool2dBackward(dy, dyOff, indices, iOff, dx, dxOff, geometry)
Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2d backward");
  args.count(7, 7);
  const auto g = poolGeometry(args, info, 6);
  const Device device = args.runOnDeviceOf(4, "gradInput");
  const int64_t outSize = args.product("gradOutput", g.N * g.C, g.OH, g.OW);
  const float* dy = args.f32(0, "gradOutput", outSize);
  const int32_t* idx = args.i32(2, "indices", outSize);
  float* dx = args.f32(4, "gradInput", args.product("gradInput", g.N * g.C, g.H, g.W));
  if (args.buffer(4, "gradInput") == args.buffer(0, "gradOutput")) args.fail("gradInput must not share memory with gradOutput");
  if (device == Device::Cuda) {
    // Device indices are checked by the kernels, a bad one reported at the next read from the
    // device, so the step never waits for the host (native/cuda/max_pool.cu).
    cudaCheck(args, cudaLibrary().max_pool2d_backward(dy, idx, fields(g).data(), dx));
    return info.Env().Undefined();
  }
  // Indices come from JS memory: each must point into its plane (or be -1 for an empty window).
  // Their range first (a loop the compiler vectorizes), the offending position only when it fails.
  const int64_t plane = g.H * g.W;
  int32_t lo = 0, hi = -1;
  for (int64_t o = 0; o < outSize; ++o) lo = std::min(lo, idx[o]), hi = std::max(hi, idx[o]);
  if (lo < -1 || hi >= plane) {
    for (int64_t o = 0; o < outSize; ++o) {
      if (idx[o] < -1 || idx[o] >= plane) args.failRange("indices[" + std::to_string(o) + "] = " + std::to_string(idx[o]) + " is outside its plane of " + std::to_string(plane));
    }
  }
  cpu::maxPool2dBackward(dy, idx, g, dx);
  return info.Env().Undefined();
}

// The source (argument 0) and destination (argument 2) of a pass over N*C planes, each checked
// for its size and for not sharing memory with the other.
struct PlanePair {
  Device device;  // dst's: the call runs there
  const float* src;
  float* dst;
};
PlanePair planePair(Args& args, const char* src, int64_t srcPlane, const char* dst, int64_t dstPlane,
                    const common::PoolGeometry& g) {
  const Device device = args.runOnDeviceOf(2, dst);
  PlanePair p{device, args.f32(0, src, args.product(src, g.N * g.C, srcPlane)), args.f32(2, dst, args.product(dst, g.N * g.C, dstPlane))};
  if (args.buffer(2, dst) == args.buffer(0, src)) args.fail(std::string(dst) + " must not share memory with " + src);
  return p;
}

// avgPool2dForward(x, xOff, y, yOff, geometry, countIncludePad)
Napi::Value AvgPool2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2d");
  args.count(6, 6);
  const auto g = poolGeometry(args, info, 4);
  const auto [device, x, y] = planePair(args, "input", g.H * g.W, "output", g.OH * g.OW, g);
  const bool include = args.boolean(5, "countIncludePad");
  if (device == Device::Cuda) cudaCheck(args, cudaLibrary().avg_pool2d_forward(x, fields(g).data(), include, y));
  else cpu::avgPool2dForward(x, g, include, y);
  return info.Env().Undefined();
}

// avgPool2dBackward(dy, dyOff, dx, dxOff, geometry, countIncludePad)
Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2d backward");
  args.count(6, 6);
  const auto g = poolGeometry(args, info, 4);
  const auto [device, dy, dx] = planePair(args, "gradOutput", g.OH * g.OW, "gradInput", g.H * g.W, g);
  const bool include = args.boolean(5, "countIncludePad");
  if (device == Device::Cuda) cudaCheck(args, cudaLibrary().avg_pool2d_backward(dy, fields(g).data(), include, dx));
  else cpu::avgPool2dBackward(dy, g, include, dx);
  return info.Env().Undefined();
}

// [N, C, H, W, OH, OW] with OH in [1, H], OW in [1, W]
common::PoolGeometry adaptiveGeometry(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  const auto v = integers(args, info, i, "geometry", 6);
  if (v[4] < 1 || v[5] < 1 || v[4] > v[2] || v[5] > v[3]) args.failRange("the output size must be in [1, input size] along each axis");
  return common::PoolGeometry{v[0], v[1], v[2], v[3], 1, 1, 1, 1, 0, 0, 1, 1, v[4], v[5]};
}

// adaptiveAvgPool2dForward(x, xOff, y, yOff, geometry)
Napi::Value AdaptiveAvgPool2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "adaptiveAvgPool2d");
  args.count(5, 5);
  const auto g = adaptiveGeometry(args, info, 4);
  const auto [device, x, y] = planePair(args, "input", g.H * g.W, "output", g.OH * g.OW, g);
  if (device == Device::Cuda) cudaCheck(args, cudaLibrary().adaptive_avg_pool2d_forward(x, fields(g).data(), y));
  else cpu::adaptiveAvgPool2dForward(x, g, y);
  return info.Env().Undefined();
}

// adaptiveAvgPool2dBackward(dy, dyOff, dx, dxOff, geometry)
Napi::Value AdaptiveAvgPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "adaptiveAvgPool2d backward");
  args.count(5, 5);
  const auto g = adaptiveGeometry(args, info, 4);
  const auto [device, dy, dx] = planePair(args, "gradOutput", g.OH * g.OW, "gradInput", g.H * g.W, g);
  if (device == Device::Cuda) cudaCheck(args, cudaLibrary().adaptive_avg_pool2d_backward(dy, fields(g).data(), dx));
  else cpu::adaptiveAvgPool2dBackward(dy, g, dx);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  const std::pair<const char*, Napi::Value (*)(const Napi::CallbackInfo&)> functions[] = {
      {"conv2dForward", Conv2dForward}, {"conv2dBackward", Conv2dBackward}, {"convTranspose2dForward", ConvTranspose2dForward},
      {"maxPool2dForward", MaxPool2dForward}, {"maxPool2dBackward", MaxPool2dBackward},
      {"avgPool2dForward", AvgPool2dForward}, {"avgPool2dBackward", AvgPool2dBackward},
      {"adaptiveAvgPool2dForward", AdaptiveAvgPool2dForward}, {"adaptiveAvgPool2dBackward", AdaptiveAvgPool2dBackward},
  };
  for (const auto& [name, f] : functions) exports.Set(name, Napi::Function::New(env, f, name));
}

}  // namespace

STEEPEST_REGISTER(conv, Init);

}  // namespace steepest::napi
