// Elementwise CPU kernels: binary ops with broadcasting, scalar forms, unary functions and
// their backward passes. Large ranges are split over the thread pool.
// The per-element math of every op is common/elementwise.h's.
#pragma once
#include <cstdint>

#include "common/elementwise.h"

namespace steepest::cpu {

using steepest::BinaryOp;
using steepest::Broadcast;
using steepest::UnaryOp;

extern const char* const kBinaryOpNames[];
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
