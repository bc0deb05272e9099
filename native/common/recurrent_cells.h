// The per-element math of the LSTM and GRU cells (PyTorch 1.13's gate order and formulas), for
// the CPU and CUDA sequence kernels alike. `a*` are the pre-activations of one hidden unit:
//   a = W_ih x + b_ih + W_hh h_prev + b_hh, split by gate (the GRU keeps its n gate's two
//   halves apart, because r multiplies only the hidden one).
// LSTM (gates i, f, g, o):
//   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
//   c = f c_prev + i g     h = o tanh(c)
// GRU (gates r, z, n):
//   r = sigmoid(a_r)  z = sigmoid(a_z)  n = tanh(ax_n + r hn),  hn = W_hn h_prev + b_hn
//   h = (1 - z) n + z h_prev
// The backward functions take the saved activations and return the gradients of the
// pre-activations (what the GEMMs for dx, dh_prev and the weights consume). sigmoid and tanh
// are the branch-free forms of common/activations.h, so the loops over hidden units vectorize.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/activations.h"
#include "common/hostdevice.h"

namespace steepest::common {

enum class Cell { kLstm = 0, kGru = 1 };

// One layer and direction over a whole sequence. Rows of x, y and the workspace are (t, b)
// pairs in the input's order: row t*B + b (sequence first) or b*T + t (batchFirst), so one
// step's B rows lie `batchStride()` rows apart and every "all steps" product is one GEMM.
// y's rows are yStride apart (2H for a bidirectional layer, the direction's half by offset);
// `reverse` runs t = T-1 .. 0.
struct RecurrentShape {
  Cell cell;
  int64_t T, B, I, H;
  bool batchFirst, reverse;
  int64_t yStride;

  SP_HD int64_t gates() const { return cell == Cell::kLstm ? 4 : 3; }
  SP_HD int64_t rows() const { return T * B; }
  SP_HD int64_t batchStride() const { return batchFirst ? T : 1; }
  SP_HD int64_t row(int64_t t, int64_t b) const { return batchFirst ? b * T + t : t * B + b; }
  // The time of the s-th step processed.
  SP_HD int64_t timeAt(int64_t step) const { return reverse ? T - 1 - step : step; }
  // The workspace the forward fills for the backward, [rows, gates*H | H | H]: the activated
  // gates, then the cell state c (LSTM) or hn = W_hn h_prev + b_hn (GRU), then h_prev.
  SP_HD int64_t workspace() const { return rows() * (gates() + 2) * H; }
};

struct LstmGates {
  float i, f, g, o;
};

// The activated gates, the new cell state and the new hidden state.
SP_HD LstmGates lstmCell(float ai, float af, float ag, float ao, float cPrev, float& c, float& h) {
  const LstmGates s{sigmoidVec(ai), sigmoidVec(af), tanhVec(ag), sigmoidVec(ao)};
  c = s.f * cPrev + s.i * s.g;
  h = s.o * tanhVec(c);
  return s;
}

// dh: dL/dh (from the output and the next step), dcNext: dL/dc from the next step.
// Returns dL/da per gate; dcPrev is dL/dc_prev.
SP_HD LstmGates lstmCellBackward(const LstmGates& s, float c, float cPrev, float dh, float dcNext, float& dcPrev) {
  const float tc = tanhVec(c);
  const float dc = dcNext + dh * s.o * (1.f - tc * tc);
  dcPrev = dc * s.f;
  return {dc * s.g * s.i * (1.f - s.i), dc * cPrev * s.f * (1.f - s.f), dc * s.i * (1.f - s.g * s.g),
          dh * tc * s.o * (1.f - s.o)};
}

struct GruGates {
  float r, z, n;
};

// ar, az: pre-activations of r and z (both halves summed); axn: W_in x + b_in; hn: W_hn h + b_hn.
SP_HD GruGates gruCell(float ar, float az, float axn, float hn, float hPrev, float& h) {
  const float r = sigmoidVec(ar), z = sigmoidVec(az);
  const float n = tanhVec(axn + r * hn);
  h = (1.f - z) * n + z * hPrev;
  return {r, z, n};
}

// The gradients of the pre-activations: ar, az, and the n gate's input half axn (danx) and
// hidden half hn (dhn = danx * r). dhPrev is the direct part z dh of dL/dh_prev (the part
// through W_hh comes from the GEMM).
struct GruGrads {
  float ar, az, anx, hn;
};
SP_HD GruGrads gruCellBackward(const GruGates& s, float hn, float hPrev, float dh, float& dhPrev) {
  const float danx = dh * (1.f - s.z) * (1.f - s.n * s.n);
  dhPrev = dh * s.z;
  return {danx * hn * s.r * (1.f - s.r), dh * (hPrev - s.n) * s.z * (1.f - s.z), danx, danx * s.r};
}

}  // namespace steepest::common
