// Elementwise CPU kernels: binary ops with broadcasting, scalar forms, unary functions and
// their backward passes. Large ranges are split over the thread pool.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace steepest::cpu {

enum class BinaryOp : int { Add = 0, Sub, Mul, Div, Maximum, Minimum, Count };
// Operand layout relative to the [rows, cols] output.
enum class Broadcast : int { Full = 0, Row = 1, Column = 2, Scalar = 3, Count };

enum class UnaryOp : int {
  Neg = 0, Exp, Log, Sqrt, Abs, Sign, Clamp, Relu, LeakyRelu, Sigmoid, Tanh, Gelu, Square, Count
};

extern const char* const kBinaryOpNames[];

// The per-element rule of each binary op (maximum/minimum propagate NaN, as PyTorch's).
template <BinaryOp Op>
inline float applyBinary(float a, float b) {
  if constexpr (Op == BinaryOp::Add) return a + b;
  if constexpr (Op == BinaryOp::Sub) return a - b;
  if constexpr (Op == BinaryOp::Mul) return a * b;
  if constexpr (Op == BinaryOp::Div) return a / b;
  if constexpr (Op == BinaryOp::Maximum) return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  if constexpr (Op == BinaryOp::Minimum) return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
  return 0.f;
}

// Calls f(std::integral_constant<BinaryOp, op>{}): one switch for every kernel templated on the op.
template <typename F>
void withBinaryOp(BinaryOp op, F&& f) {
  using std::integral_constant;
  switch (op) {
    case BinaryOp::Add: return f(integral_constant<BinaryOp, BinaryOp::Add>{});
    case BinaryOp::Sub: return f(integral_constant<BinaryOp, BinaryOp::Sub>{});
    case BinaryOp::Mul: return f(integral_constant<BinaryOp, BinaryOp::Mul>{});
    case BinaryOp::Div: return f(integral_constant<BinaryOp, BinaryOp::Div>{});
    case BinaryOp::Maximum: return f(integral_constant<BinaryOp, BinaryOp::Maximum>{});
    case BinaryOp::Minimum: return f(integral_constant<BinaryOp, BinaryOp::Minimum>{});
    default: return;
  }
}
extern const char* const kUnaryOpNames[];

// Number of elements an operand with this layout holds.
int64_t broadcastElements(Broadcast mode, int64_t rows, int64_t cols);

void binary(BinaryOp op, const float* a, Broadcast aMode, const float* b, Broadcast bMode,
            float* out, int64_t rows, int64_t cols);

// out = op(a, s), or op(s, a) when `scalarFirst`.
void binaryScalar(BinaryOp op, const float* a, float s, bool scalarFirst, float* out, int64_t n);

// p1, p2: parameters (clamp bounds, LeakyReLU slope).
void unary(UnaryOp op, const float* x, float* out, int64_t n, float p1, float p2);

// gradIn = gradOut * d op(x) / dx.
void unaryBackward(UnaryOp op, const float* x, const float* gradOut, float* gradIn, int64_t n,
                   float p1, float p2);

void fill(float* out, int64_t n, float value);
void fillInt(int32_t* out, int64_t n, int32_t value);

}  // namespace steepest::cpu
