// One LSTM or GRU layer-direction over a whole sequence (native/common/recurrent_cells.h has
// the cell math and the row layout), as PyTorch's CPU RNN with the same gate order:
//   forward:  G = X W_ih^T + b_ih                      one GEMM over all T*B rows
//             per step: HH = h_prev W_hh^T             one [B, H] x [H, gates*H] GEMM
//                       fused gate kernel (+ b_hh): activations, c, h into y / hN / cN and the
//                       workspace (saved gates, c or hn, h_prev) for the backward
//   backward: per step, last to first: the gate kernel's adjoint gives dA (pre-activation
//             gradients), then dh_prev (+)= dA_h W_hh (one GEMM); after the loop one GEMM each
//             for dW_hh += dA_h^T H_prev, dW_ih += dA_x^T X, dx (+)= dA_x W_ih, and the column
//             sums for the biases (dA_x = dA_h except the GRU's n gate, where r scales the
//             hidden half).
#pragma once
#include <cstdint>

#include "common/recurrent_cells.h"

namespace steepest::cpu {

using common::RecurrentShape;

struct RecurrentParams {
  const float* wIh;  // [gates*H, I]
  const float* wHh;  // [gates*H, H]
  const float* bIh;  // [gates*H] or null
  const float* bHh;  // [gates*H] or null
};

// h0, c0: [B, H] or null (zeros); c0 and cN only for the LSTM. ws: s.workspace() floats.
void recurrentForward(const RecurrentShape& s, const float* x, const RecurrentParams& p, const float* h0,
                      const float* c0, float* y, float* hN, float* cN, float* ws);

struct RecurrentGrads {
  float* dx;  // [rows, I], overwritten, or added to when accumulateDx (the second direction)
  bool accumulateDx;
  float* dWih;  // the four weight gradients are added to; each may be null
  float* dWhh;
  float* dbIh;
  float* dbHh;
  float* dh0;  // [B, H], overwritten; may be null
  float* dc0;
};

// dy: the gradient of y (same rows and stride); dhN, dcN: of hN and cN (dcN LSTM only).
void recurrentBackward(const RecurrentShape& s, const float* x, const RecurrentParams& p, const float* c0,
                       const float* ws, const float* dy, const float* dhN, const float* dcN, const RecurrentGrads& g);

}  // namespace steepest::cpu
