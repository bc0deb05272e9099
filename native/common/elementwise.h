// Elementwise ops, per element, written once for the CPU kernels (cpu/elementwise.cc) and the
// CUDA kernels (cuda/elementwise.cu): the op codes the N-API layer passes, and each op's value
// and derivative as SP_HD functions of a compile-time op, so a kernel instantiated for one op
// has no per-element switch (the CPU compiler vectorizes it; a GPU thread does not diverge).
#pragma once
#include <cmath>
#include <type_traits>

#include "common/activations.h"
#include "common/hostdevice.h"

namespace steepest {

enum class BinaryOp : int { Add = 0, Sub, Mul, Div, Maximum, Minimum, Count };
// Operand layout relative to the [rows, cols] output.
enum class Broadcast : int { Full = 0, Row = 1, Column = 2, Scalar = 3, Count };
enum class UnaryOp : int {
  Neg = 0, Exp, Log, Sqrt, Abs, Sign, Clamp, Relu, LeakyRelu, Sigmoid, Tanh, Gelu, Square, Count
};

// a op b. maximum/minimum propagate NaN as torch.maximum does, and otherwise pick as std::max
// and std::min do ((a < b) ? b : a), so signed zeros come out the same on every device.
template <BinaryOp Op>
SP_HD float binaryValue(float a, float b) {
  if constexpr (Op == BinaryOp::Add) return a + b;
  if constexpr (Op == BinaryOp::Sub) return a - b;
  if constexpr (Op == BinaryOp::Mul) return a * b;
  if constexpr (Op == BinaryOp::Div) return a / b;
  if constexpr (Op == BinaryOp::Maximum) return (a != a || b != b) ? NAN : ((a < b) ? b : a);
  if constexpr (Op == BinaryOp::Minimum) return (a != a || b != b) ? NAN : ((b < a) ? b : a);
  return 0.f;
}

// op(x); p1, p2 are the parameters (clamp bounds [p1, p2], LeakyReLU slope p1).
template <UnaryOp Op>
SP_HD float unaryValue(float v, float p1, float p2) {
  if constexpr (Op == UnaryOp::Neg) return -v;
  if constexpr (Op == UnaryOp::Exp) return expf(v);
  if constexpr (Op == UnaryOp::Log) return logf(v);
  if constexpr (Op == UnaryOp::Sqrt) return sqrtf(v);
  if constexpr (Op == UnaryOp::Abs) return fabsf(v);
  if constexpr (Op == UnaryOp::Sign) return signOf(v);
  if constexpr (Op == UnaryOp::Clamp) {
    if (v != v) return v;  // NaN stays NaN, as torch.clamp
    const float lo = (v < p1) ? p1 : v;
    return (p2 < lo) ? p2 : lo;
  }
  if constexpr (Op == UnaryOp::Relu) return relu(v);
  if constexpr (Op == UnaryOp::LeakyRelu) return leakyRelu(v, p1);
  if constexpr (Op == UnaryOp::Sigmoid) return sigmoid(v);
  if constexpr (Op == UnaryOp::Tanh) return tanhf(v);
  if constexpr (Op == UnaryOp::Gelu) return gelu(v);
  if constexpr (Op == UnaryOp::Square) return v * v;
  return 0.f;
}

// d op(x) / dx, taken at the input x (see activations.h for why the input).
template <UnaryOp Op>
SP_HD float unaryDerivative(float v, float p1, float p2) {
  if constexpr (Op == UnaryOp::Neg) return -1.f;
  if constexpr (Op == UnaryOp::Exp) return expf(v);
  if constexpr (Op == UnaryOp::Log) return 1.f / v;
  if constexpr (Op == UnaryOp::Sqrt) return 0.5f / sqrtf(v);
  if constexpr (Op == UnaryOp::Abs) return signOf(v);
  if constexpr (Op == UnaryOp::Sign) return 0.f;
  if constexpr (Op == UnaryOp::Clamp) return v >= p1 && v <= p2 ? 1.f : 0.f;  // as PyTorch: 1 on [p1, p2]
  if constexpr (Op == UnaryOp::Relu) return reluGrad(v);
  if constexpr (Op == UnaryOp::LeakyRelu) return leakyReluGrad(v, p1);
  if constexpr (Op == UnaryOp::Sigmoid) return sigmoidGrad(v);
  if constexpr (Op == UnaryOp::Tanh) return tanhGrad(v);
  if constexpr (Op == UnaryOp::Gelu) return geluGrad(v);
  if constexpr (Op == UnaryOp::Square) return 2.f * v;
  return 0.f;
}

// f(std::integral_constant<BinaryOp, op>{}): a runtime op code as a compile-time op.
template <class F>
bool withBinaryOp(BinaryOp op, F&& f) {
  switch (op) {
    case BinaryOp::Add: f(std::integral_constant<BinaryOp, BinaryOp::Add>{}); return true;
    case BinaryOp::Sub: f(std::integral_constant<BinaryOp, BinaryOp::Sub>{}); return true;
    case BinaryOp::Mul: f(std::integral_constant<BinaryOp, BinaryOp::Mul>{}); return true;
    case BinaryOp::Div: f(std::integral_constant<BinaryOp, BinaryOp::Div>{}); return true;
    case BinaryOp::Maximum: f(std::integral_constant<BinaryOp, BinaryOp::Maximum>{}); return true;
    case BinaryOp::Minimum: f(std::integral_constant<BinaryOp, BinaryOp::Minimum>{}); return true;
    default: return false;
  }
}

template <class F>
bool withUnaryOp(UnaryOp op, F&& f) {
  switch (op) {
#define SP_UNARY_CASE(name) \
  case UnaryOp::name: f(std::integral_constant<UnaryOp, UnaryOp::name>{}); return true;
    SP_UNARY_CASE(Neg) SP_UNARY_CASE(Exp) SP_UNARY_CASE(Log) SP_UNARY_CASE(Sqrt) SP_UNARY_CASE(Abs)
    SP_UNARY_CASE(Sign) SP_UNARY_CASE(Clamp) SP_UNARY_CASE(Relu) SP_UNARY_CASE(LeakyRelu) SP_UNARY_CASE(Sigmoid)
    SP_UNARY_CASE(Tanh) SP_UNARY_CASE(Gelu) SP_UNARY_CASE(Square)
#undef SP_UNARY_CASE
    default: return false;
  }
}

}  // namespace steepest
