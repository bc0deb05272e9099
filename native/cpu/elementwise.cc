#include "cpu/elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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
      for (int64_t i = s; i < e; ++i) out[i] = applyBinary<Op>(a[i], b[i]);
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
        for (int64_t c = 0; c < cols; ++c) o[c] = applyBinary<Op>(ar[c], b[c]);
      }
    });
    return;
  }
  const int64_t grainRows = std::max<int64_t>(1, kGrain / std::max<int64_t>(cols, 1));
  parallelFor(rows, grainRows, [&](int64_t s, int64_t e) {
    for (int64_t r = s; r < e; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        out[r * cols + c] = applyBinary<Op>(at(a, am, r, c, cols), at(b, bm, r, c, cols));
      }
    }
  });
}

template <BinaryOp Op>
void scalarTyped(const float* a, float s, bool scalarFirst, float* out, int64_t n) {
  forRange(n, [&](int64_t b, int64_t e) {
    if (scalarFirst) {
      for (int64_t i = b; i < e; ++i) out[i] = applyBinary<Op>(s, a[i]);
    } else {
      for (int64_t i = b; i < e; ++i) out[i] = applyBinary<Op>(a[i], s);
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
  withBinaryOp(op, [&](auto tag) { binaryTyped<decltype(tag)::value>(a, am, b, bm, out, rows, cols); });
}

void binaryScalar(BinaryOp op, const float* a, float s, bool scalarFirst, float* out, int64_t n) {
  withBinaryOp(op, [&](auto tag) { scalarTyped<decltype(tag)::value>(a, s, scalarFirst, out, n); });
}

void unary(UnaryOp op, const float* x, float* out, int64_t n, float p1, float p2) {
  withUnaryOp(op, [&](auto o) {
    map(x, out, n, [=](float v) { return unaryValue<decltype(o)::value>(v, p1, p2); });
  });
}

void unaryBackward(UnaryOp op, const float* x, const float* g, float* out, int64_t n, float p1,
                   float p2) {
  // ReLU: a masked copy of g (PyTorch's threshold_backward: x > 0 ? g : 0), in integer bits:
  // as g * reluGrad(x) the compiler kept a scalar loop with a branch, which random signs
  // mispredict half the time (15x the forward pass: 4.7 vs 0.33 ms on 800k floats).
  if (op == UnaryOp::Relu) {
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
  }
  withUnaryOp(op, [&](auto o) {
    mapGrad(x, g, out, n, [=](float v) { return unaryDerivative<decltype(o)::value>(v, p1, p2); });
  });
}

void fill(float* out, int64_t n, float value) {
  forRange(n, [&](int64_t b, int64_t e) { std::fill(out + b, out + e, value); });
}

void fillInt(int32_t* out, int64_t n, int32_t value) {
  forRange(n, [&](int64_t b, int64_t e) { std::fill(out + b, out + e, value); });
}

}  // namespace steepest::cpu
