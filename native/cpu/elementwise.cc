#include "cpu/elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/activations.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

const char* const kBinaryOpNames[] = {"add", "sub", "mul", "div", "maximum", "minimum"};
const char* const kUnaryOpNames[] = {"neg",  "exp",       "log",     "sqrt", "abs",  "sign",  "clamp",
                                     "relu", "leakyRelu", "sigmoid", "tanh", "gelu", "square"};

namespace {

// Below this many elements an op runs on the calling thread.
constexpr int64_t kGrain = 1 << 15;

template <typename F>
void forRange(int64_t n, F f) {
  parallelFor(n, kGrain, [&](int64_t b, int64_t e) { f(b, e); });
}

template <BinaryOp Op>
inline float apply(float a, float b) {
  if constexpr (Op == BinaryOp::Add) return a + b;
  if constexpr (Op == BinaryOp::Sub) return a - b;
  if constexpr (Op == BinaryOp::Mul) return a * b;
  if constexpr (Op == BinaryOp::Div) return a / b;
  if constexpr (Op == BinaryOp::Maximum) return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  if constexpr (Op == BinaryOp::Minimum) return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
  return 0.f;
}

// Element (r, c) of an operand laid out per `mode`.
inline float at(const float* p, Broadcast mode, int64_t r, int64_t c, int64_t cols) {
  switch (mode) {
    case Broadcast::Full: return p[r * cols + c];
    case Broadcast::Row: return p[c];
    case Broadcast::Column: return p[r];
    default: return p[0];
  }
}

template <BinaryOp Op>
void binaryTyped(const float* a, Broadcast am, const float* b, Broadcast bm, float* out, int64_t rows,
                 int64_t cols) {
  if (am == Broadcast::Full && bm == Broadcast::Full) {
    forRange(rows * cols, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) out[i] = apply<Op>(a[i], b[i]);
    });
    return;
  }
  if (am == Broadcast::Full && bm == Broadcast::Row) {
    // The bias-add shape: the hot case gets a loop the compiler vectorizes.
    const int64_t grainRows = std::max<int64_t>(1, kGrain / std::max<int64_t>(cols, 1));
    parallelFor(rows, grainRows, [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r) {
        const float* ar = a + r * cols;
        float* o = out + r * cols;
        for (int64_t c = 0; c < cols; ++c) o[c] = apply<Op>(ar[c], b[c]);
      }
    });
    return;
  }
  const int64_t grainRows = std::max<int64_t>(1, kGrain / std::max<int64_t>(cols, 1));
  parallelFor(rows, grainRows, [&](int64_t s, int64_t e) {
    for (int64_t r = s; r < e; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        out[r * cols + c] = apply<Op>(at(a, am, r, c, cols), at(b, bm, r, c, cols));
      }
    }
  });
}

template <BinaryOp Op>
void scalarTyped(const float* a, float s, bool scalarFirst, float* out, int64_t n) {
  forRange(n, [&](int64_t b, int64_t e) {
    if (scalarFirst) {
      for (int64_t i = b; i < e; ++i) out[i] = apply<Op>(s, a[i]);
    } else {
      for (int64_t i = b; i < e; ++i) out[i] = apply<Op>(a[i], s);
    }
  });
}

template <typename F>
void map(const float* x, float* out, int64_t n, F f) {
  forRange(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = f(x[i]);
  });
}

template <typename F>
void mapGrad(const float* x, const float* g, float* out, int64_t n, F df) {
  forRange(n, [&](int64_t b, int64_t e) {
    // Local copies of the pointers: captured by reference (and built with -fno-strict-aliasing,
    // as node-gyp does) they are reloaded after every store.
    const float* xs = x;
    const float* gs = g;
    float* os = out;
    for (int64_t i = b; i < e; ++i) os[i] = gs[i] * df(xs[i]);
  });
}

}  // namespace

int64_t broadcastElements(Broadcast mode, int64_t rows, int64_t cols) {
  switch (mode) {
    case Broadcast::Full: return rows * cols;
    case Broadcast::Row: return cols;
    case Broadcast::Column: return rows;
    default: return 1;
  }
}

void binary(BinaryOp op, const float* a, Broadcast am, const float* b, Broadcast bm, float* out,
            int64_t rows, int64_t cols) {
  switch (op) {
    case BinaryOp::Add: return binaryTyped<BinaryOp::Add>(a, am, b, bm, out, rows, cols);
    case BinaryOp::Sub: return binaryTyped<BinaryOp::Sub>(a, am, b, bm, out, rows, cols);
    case BinaryOp::Mul: return binaryTyped<BinaryOp::Mul>(a, am, b, bm, out, rows, cols);
    case BinaryOp::Div: return binaryTyped<BinaryOp::Div>(a, am, b, bm, out, rows, cols);
    case BinaryOp::Maximum: return binaryTyped<BinaryOp::Maximum>(a, am, b, bm, out, rows, cols);
    case BinaryOp::Minimum: return binaryTyped<BinaryOp::Minimum>(a, am, b, bm, out, rows, cols);
    default: return;
  }
}

void binaryScalar(BinaryOp op, const float* a, float s, bool scalarFirst, float* out, int64_t n) {
  switch (op) {
    case BinaryOp::Add: return scalarTyped<BinaryOp::Add>(a, s, scalarFirst, out, n);
    case BinaryOp::Sub: return scalarTyped<BinaryOp::Sub>(a, s, scalarFirst, out, n);
    case BinaryOp::Mul: return scalarTyped<BinaryOp::Mul>(a, s, scalarFirst, out, n);
    case BinaryOp::Div: return scalarTyped<BinaryOp::Div>(a, s, scalarFirst, out, n);
    case BinaryOp::Maximum: return scalarTyped<BinaryOp::Maximum>(a, s, scalarFirst, out, n);
    case BinaryOp::Minimum: return scalarTyped<BinaryOp::Minimum>(a, s, scalarFirst, out, n);
    default: return;
  }
}

void unary(UnaryOp op, const float* x, float* out, int64_t n, float p1, float p2) {
  switch (op) {
    case UnaryOp::Neg: return map(x, out, n, [](float v) { return -v; });
    case UnaryOp::Exp: return map(x, out, n, [](float v) { return std::exp(v); });
    case UnaryOp::Log: return map(x, out, n, [](float v) { return std::log(v); });
    case UnaryOp::Sqrt: return map(x, out, n, [](float v) { return std::sqrt(v); });
    case UnaryOp::Abs: return map(x, out, n, [](float v) { return std::fabs(v); });
    case UnaryOp::Sign: return map(x, out, n, [](float v) { return signOf(v); });
    case UnaryOp::Clamp:
      return map(x, out, n, [=](float v) { return std::isnan(v) ? v : std::min(std::max(v, p1), p2); });
    case UnaryOp::Relu: return map(x, out, n, [](float v) { return relu(v); });
    case UnaryOp::LeakyRelu: return map(x, out, n, [=](float v) { return leakyRelu(v, p1); });
    case UnaryOp::Sigmoid: return map(x, out, n, [](float v) { return sigmoid(v); });
    case UnaryOp::Tanh: return map(x, out, n, [](float v) { return std::tanh(v); });
    case UnaryOp::Gelu: return map(x, out, n, [](float v) { return gelu(v); });
    case UnaryOp::Square: return map(x, out, n, [](float v) { return v * v; });
    default: return;
  }
}

void unaryBackward(UnaryOp op, const float* x, const float* g, float* out, int64_t n, float p1,
                   float p2) {
  switch (op) {
    case UnaryOp::Neg: return mapGrad(x, g, out, n, [](float) { return -1.f; });
    case UnaryOp::Exp: return mapGrad(x, g, out, n, [](float v) { return std::exp(v); });
    case UnaryOp::Log: return mapGrad(x, g, out, n, [](float v) { return 1.f / v; });
    case UnaryOp::Sqrt: return mapGrad(x, g, out, n, [](float v) { return 0.5f / std::sqrt(v); });
    case UnaryOp::Abs: return mapGrad(x, g, out, n, [](float v) { return signOf(v); });
    case UnaryOp::Sign: return mapGrad(x, g, out, n, [](float) { return 0.f; });
    // As PyTorch: gradient 1 where p1 <= x <= p2.
    case UnaryOp::Clamp:
      return mapGrad(x, g, out, n, [=](float v) { return v >= p1 && v <= p2 ? 1.f : 0.f; });
    // A masked copy of g (PyTorch's threshold_backward: x > 0 ? g : 0), in integer bits: as
    // g * reluGrad(x) the compiler kept a scalar loop with a branch, which random signs
    // mispredict half the time (15x the forward pass: 4.7 vs 0.33 ms on 800k floats).
    case UnaryOp::Relu:
      return forRange(n, [&](int64_t b, int64_t e) {
        const float* xs = x;
        const float* gs = g;
        float* os = out;
        for (int64_t i = b; i < e; ++i) {
          uint32_t bits;
          std::memcpy(&bits, gs + i, sizeof bits);
          bits &= 0u - static_cast<uint32_t>(xs[i] > 0.f);
          std::memcpy(os + i, &bits, sizeof bits);
        }
      });
    case UnaryOp::LeakyRelu: return mapGrad(x, g, out, n, [=](float v) { return leakyReluGrad(v, p1); });
    case UnaryOp::Sigmoid: return mapGrad(x, g, out, n, [](float v) { return sigmoidGrad(v); });
    case UnaryOp::Tanh: return mapGrad(x, g, out, n, [](float v) { return tanhGrad(v); });
    case UnaryOp::Gelu: return mapGrad(x, g, out, n, [](float v) { return geluGrad(v); });
    case UnaryOp::Square: return mapGrad(x, g, out, n, [](float v) { return 2.f * v; });
    default: return;
  }
}

void fill(float* out, int64_t n, float value) {
  forRange(n, [&](int64_t b, int64_t e) { std::fill(out + b, out + e, value); });
}

void fillInt(int32_t* out, int64_t n, int32_t value) {
  forRange(n, [&](int64_t b, int64_t e) { std::fill(out + b, out + e, value); });
}

}  // namespace steepest::cpu
