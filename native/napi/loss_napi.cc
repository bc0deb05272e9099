// Bindings for the losses and softmax (native/cpu/softmax_xent.h, native/cpu/pointwise_loss.h),
// run on the CPU or with CUDA (native/cuda/loss.cu, pointwise_loss.cu, softmax.cu).
#include <cmath>
#include <string>

#include "cpu/pointwise_loss.h"
#include "cpu/softmax_xent.h"
#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

using cpu::Reduction;

Reduction reduction(const Args& args, size_t i) {
  return static_cast<Reduction>(args.integer(i, "reduction", 0, static_cast<int>(Reduction::Count) - 1));
}

// classLoss(z, zOff, labels, labOff, weight | null, wOff, N, C, ignoreIndex, smoothing,
//           logProbInput, reduction, out, outOff, grad | null, gOff)
Napi::Value ClassLoss(const Napi::CallbackInfo& info) {
  Args pre(info, "classLoss");
  pre.count(16, 16);
  const bool logProb = pre.boolean(10, "logProbInput");
  Args args(info, logProb ? "nllLoss" : "crossEntropy");
  const int64_t N = args.integer(6, "batch size");
  const int64_t C = args.integer(7, "classes", 1);
  const int64_t NC = args.product("input", N, C);
  const int64_t ignoreIndex = args.integer(8, "ignoreIndex", INT32_MIN, INT32_MAX);
  const double smoothing = args.finite(9, "labelSmoothing");
  if (smoothing < 0 || smoothing > 1) args.failRange("labelSmoothing must be in [0, 1], got " + std::to_string(smoothing));
  if (logProb && smoothing != 0) args.failRange("label smoothing needs logits, not log-probabilities");
  const Reduction red = reduction(args, 11);
  const Device device = args.runOnDeviceOf(0, "input");
  const float* z = args.f32(0, "input", NC);
  if (NativeBuffer::From(info[2]) && NativeBuffer::From(info[2])->dtype() != DType::I32) {
    args.failType("target must be an int32 tensor of class indices, got float32");
  }
  const int32_t* labels = args.i32(2, "target", N);
  const float* weight = args.isNullish(4) ? nullptr : args.f32(4, "weight", C);
  const int64_t nOut = red == Reduction::None ? N : 1;
  float* out = args.f32(12, "out", nOut);
  float* grad = args.isNullish(14) ? nullptr : args.f32(14, "grad", NC);
  // Rows run on several threads, each writing its out/grad while reading input and weight.
  // (overlaps() is false for a null tensor.)
  if (overlaps(out, nOut, z, NC) || overlaps(out, nOut, weight, C)) {
    args.fail("out must not share memory with input or weight");
  }
  if (overlaps(grad, NC, z, NC) || overlaps(grad, NC, out, nOut) || overlaps(grad, NC, weight, C)) {
    args.fail("grad must not share memory with input, weight or out");
  }
  if (device == Device::Cuda) {
    // Labels and weights are device memory: the kernels check them and report a bad one at the
    // next read from the device, so the step never waits for the host (native/cuda/loss.cu).
    cudaCheck(args, cudaLibrary().class_loss(z, labels, weight, N, C, ignoreIndex, static_cast<float>(smoothing), logProb,
                                             static_cast<int>(red), out, grad));
    return info.Env().Undefined();
  }
  for (int64_t i = 0; i < N; ++i) {
    const int64_t y = labels[i];
    if (y != ignoreIndex && (y < 0 || y >= C)) {
      args.failRange("target label " + std::to_string(y) + " at position " + std::to_string(i) +
                     " is out of range for " + std::to_string(C) + " classes (expected 0.." + std::to_string(C - 1) +
                     (ignoreIndex < 0 || ignoreIndex >= C ? " or ignoreIndex " + std::to_string(ignoreIndex) : "") + ")");
    }
  }
  float weightSum = static_cast<float>(C);
  if (weight) {
    double s = 0;
    for (int64_t c = 0; c < C; ++c) {
      // A NaN or negative weight would silently poison or flip the loss (and can zero the mean's
      // denominator); PyTorch does not check, but no valid use needs one.
      if (!(weight[c] >= 0) || !std::isfinite(weight[c])) {
        args.failRange("weight must be finite and >= 0, got " + std::to_string(weight[c]) + " for class " +
                       std::to_string(c));
      }
      s += weight[c];
    }
    weightSum = static_cast<float>(s);
  }
  const ClassLossParams p{C, weight, weightSum, static_cast<float>(smoothing), logProb};
  cpu::classLoss(z, labels, N, p, ignoreIndex, red, out, grad);
  return info.Env().Undefined();
}

// pointwiseLoss(op, x, xOff, t, tOff, posWeight | null, pwOff, n, cols, param, reduction,
//               out, outOff, grad | null, gOff)
Napi::Value PointwiseLossFn(const Napi::CallbackInfo& info) {
  Args pre(info, "pointwiseLoss");
  pre.count(15, 15);
  const auto op = static_cast<PointwiseLoss>(pre.integer(0, "op", 0, static_cast<int>(PointwiseLoss::Count) - 1));
  Args args(info, cpu::kPointwiseLossNames[static_cast<int>(op)]);
  const int64_t n = args.integer(7, "n");
  const int64_t cols = args.integer(8, "cols", 1);
  if (n % cols != 0) args.failRange("n (" + std::to_string(n) + ") must be a multiple of cols (" + std::to_string(cols) + ")");
  const double param = args.finite(9, "param");
  if (op == PointwiseLoss::Huber && !(param > 0)) args.failRange("delta must be > 0, got " + std::to_string(param));
  const Reduction red = reduction(args, 10);
  const Device device = args.runOnDeviceOf(11, "out");
  const float* x = args.f32(1, "input", n);
  const float* t = args.f32(3, "target", n);
  // posWeight replaces `param` per column, which is only meaningful as BCE's pos_weight.
  if (!args.isNullish(5) && op != PointwiseLoss::BceWithLogits) args.fail("posWeight is only for bceWithLogits");
  const float* pw = args.isNullish(5) ? nullptr : args.f32(5, "posWeight", cols);
  const int64_t nOut = red == Reduction::None ? n : 1;
  float* out = args.f32(11, "out", nOut);
  float* grad = args.isNullish(13) ? nullptr : args.f32(13, "grad", n);
  // Chunks run on several threads; out and grad are written while x, t and posWeight are read.
  const bool outShares = overlaps(out, nOut, x, n) || overlaps(out, nOut, t, n) || overlaps(out, nOut, pw, cols);
  if (outShares || overlaps(out, nOut, grad, n)) {
    args.fail("out must not share memory with input, target, posWeight or grad");
  }
  if (overlaps(grad, n, x, n) || overlaps(grad, n, t, n) || overlaps(grad, n, pw, cols)) {
    args.fail("grad must not share memory with input, target or posWeight");
  }
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().pointwise_loss(static_cast<int>(op), x, t, pw, n, cols, static_cast<float>(param),
                                                 static_cast<int>(red), out, grad));
    return info.Env().Undefined();
  }
  cpu::pointwiseLoss(op, x, t, pw, n, cols, static_cast<float>(param), red, out, grad);
  return info.Env().Undefined();
}

// softmax(x, xOff, y, yOff, rows, cols, log)
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Args pre(info, "softmax");
  pre.count(7, 7);
  Args args(info, pre.boolean(6, "log") ? "logSoftmax" : "softmax");
  const int64_t rows = args.integer(4, "rows");
  const int64_t cols = args.integer(5, "cols");
  const int64_t n = args.product("input", rows, cols);
  const bool log = pre.boolean(6, "log");
  const Device device = args.runOnDeviceOf(2, "y");
  const float* x = args.f32(0, "x", n);
  float* y = args.f32(2, "y", n);
  // In place (y == x) is exact: each element is read before it is written; a shifted overlap is not.
  if (y != x && overlaps(x, n, y, n)) args.fail("y must be x itself or not share memory with it");
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().softmax(x, y, rows, cols, log));
    return info.Env().Undefined();
  }
  cpu::softmax(x, y, rows, cols, log);
  return info.Env().Undefined();
}

// softmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, log)
Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info) {
  Args pre(info, "softmaxBackward");
  pre.count(9, 9);
  const bool log = pre.boolean(8, "log");
  Args args(info, log ? "logSoftmax backward" : "softmax backward");
  const int64_t rows = args.integer(6, "rows");
  const int64_t cols = args.integer(7, "cols");
  const int64_t n = args.product("input", rows, cols);
  const Device device = args.runOnDeviceOf(4, "gradIn");
  const RowBackwardOperands o = rowBackwardOperands(args, n);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().softmax_backward(o.y, o.g, o.dx, rows, cols, log));
    return info.Env().Undefined();
  }
  cpu::softmaxBackward(o.y, o.g, o.dx, rows, cols, log);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("classLoss", Napi::Function::New(env, ClassLoss, "classLoss"));
  exports.Set("pointwiseLoss", Napi::Function::New(env, PointwiseLossFn, "pointwiseLoss"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, SoftmaxBackward, "softmaxBackward"));
  exports.Set("reductions", enumObject(env, cpu::kReductionNames, static_cast<int>(Reduction::Count)));
  exports.Set("pointwiseLosses", enumObject(env, cpu::kPointwiseLossNames, static_cast<int>(PointwiseLoss::Count)));
}

}  // namespace

STEEPEST_REGISTER(loss, Init);

}  // namespace steepest::napi
