// Bindings for the LSTM / GRU sequence kernels: on the device of y (of gradOutput for the
// backward), native/cpu/recurrent.h or native/cuda/recurrent.cu. The shape crosses as one array
// [T, B, I, H, batchFirst, reverse, yStride]; every buffer is checked against it on either
// device, and no output may share memory with another argument (the kernels read inputs while
// threads write outputs).
#include "cpu/recurrent.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

using common::Cell;
using common::RecurrentShape;

constexpr const char* kCells[] = {"lstm", "gru"};

RecurrentShape shapeOf(const Args& args, const Napi::CallbackInfo& info, size_t cellAt, size_t at) {
  const int64_t cell = args.integer(cellAt, "cell", 0, 1);
  if (at >= info.Length() || !info[at].IsArray() || info[at].As<Napi::Array>().Length() != 7) {
    args.failType("shape must be an array [T, B, I, H, batchFirst, reverse, yStride]");
  }
  Napi::Array a = info[at].As<Napi::Array>();
  int64_t v[7];
  const char* names[] = {"T", "B", "I", "H", "batchFirst", "reverse", "yStride"};
  for (uint32_t k = 0; k < 7; ++k) {
    Napi::Value e = a.Get(k);
    const double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    const double lo = k == 4 || k == 5 ? 0 : 1, hi = k == 4 || k == 5 ? 1 : static_cast<double>(kMaxDim);
    if (!(d >= lo && d <= hi && d == static_cast<double>(static_cast<int64_t>(d)))) {
      args.failRange(std::string("shape.") + names[k] + (k == 4 || k == 5 ? " must be 0 or 1" : " must be an integer in [1, 2^32]"));
    }
    v[k] = static_cast<int64_t>(d);
  }
  RecurrentShape s{static_cast<Cell>(cell), v[0], v[1], v[2], v[3], v[4] == 1, v[5] == 1, v[6]};
  if (s.yStride < s.H) args.failRange("shape.yStride must be >= H");
  args.product("x", s.T * s.B, s.I);
  args.product("workspace", s.T * s.B, (s.gates() + 2) * s.H);
  args.product("y", s.T * s.B, s.yStride);
  args.product("weight_ih", s.gates() * s.H, s.I);
  args.product("weight_hh", s.gates() * s.H, s.H);
  return s;
}

// The shape as the CUDA library takes it, after checking that cuBLAS's int sizes and leading
// dimensions hold it (rows, gates * H, I, and a step's row stride batchStride * gates * H).
std::array<int64_t, 7> cudaShape(const Args& args, const RecurrentShape& s) {
  const std::pair<const char*, int64_t> sizes[] = {
      {"T * B", s.rows()}, {"gates * H", s.gates() * s.H}, {"I", s.I}, {"the step row stride", s.batchStride() * s.gates() * s.H}};
  for (const auto& [name, v] : sizes) {
    if (v > INT32_MAX) args.failRange(std::string(name) + " must be < 2^31 on 'cuda', got " + std::to_string(v));
  }
  return {s.T, s.B, s.I, s.H, s.batchFirst ? 1 : 0, s.reverse ? 1 : 0, s.yStride};
}

struct Range {
  const char* name;
  const float* p;
  int64_t n;
};

// No output may share memory with any other argument.
void checkDisjoint(const Args& args, std::initializer_list<Range> outputs, std::initializer_list<Range> inputs) {
  std::vector<Range> all(outputs);
  all.insert(all.end(), inputs.begin(), inputs.end());
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      if (j != i && overlaps(all[i].p, all[i].n, all[j].p, all[j].n)) {
        args.fail(std::string(all[i].name) + " must not share memory with " + all[j].name);
      }
    }
  }
}

const float* optional(const Args& args, size_t i, const char* name, int64_t n) {
  return args.isNullish(i) ? nullptr : args.f32(i, name, n);
}

// recurrentForward(cell, x, xOff, wIh, wIhOff, wHh, wHhOff, bIh|null, bIhOff, bHh|null, bHhOff,
//                  h0|null, h0Off, c0|null, c0Off, y, yOff, hN, hNOff, cN|null, cNOff, ws, wsOff, shape)
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Args args(info, "recurrentForward");
  args.count(24, 24);
  const RecurrentShape s = shapeOf(args, info, 0, 23);
  const Device device = args.runOnDeviceOf(15, "y");
  const bool lstm = s.cell == Cell::kLstm;
  const int64_t GH = s.gates() * s.H, BH = s.B * s.H, yExtent = (s.rows() - 1) * s.yStride + s.H;
  const float* x = args.f32(1, "x", s.rows() * s.I);
  const cpu::RecurrentParams p{args.f32(3, "weight_ih", GH * s.I), args.f32(5, "weight_hh", GH * s.H),
                               optional(args, 7, "bias_ih", GH), optional(args, 9, "bias_hh", GH)};
  const float* h0 = optional(args, 11, "h0", BH);
  const float* c0 = optional(args, 13, "c0", BH);
  float* y = args.f32(15, "y", yExtent);
  float* hN = args.f32(17, "hN", BH);
  float* cN = lstm ? args.f32(19, "cN", BH) : nullptr;
  if (!lstm && (c0 || !args.isNullish(19))) args.fail("a GRU has no cell state: c0 and cN must be null");
  float* ws = args.f32(21, "workspace", s.workspace());
  checkDisjoint(args, {{"y", y, yExtent}, {"hN", hN, BH}, {"cN", cN, cN ? BH : 0}, {"workspace", ws, s.workspace()}},
                {{"x", x, s.rows() * s.I}, {"weight_ih", p.wIh, GH * s.I}, {"weight_hh", p.wHh, GH * s.H},
                 {"bias_ih", p.bIh, p.bIh ? GH : 0}, {"bias_hh", p.bHh, p.bHh ? GH : 0}, {"h0", h0, h0 ? BH : 0},
                 {"c0", c0, c0 ? BH : 0}});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().recurrent_forward(static_cast<int>(s.cell), cudaShape(args, s).data(), x, p.wIh, p.wHh,
                                                    p.bIh, p.bHh, h0, c0, y, hN, cN, ws));
  } else {
    cpu::recurrentForward(s, x, p, h0, c0, y, hN, cN, ws);
  }
  return info.Env().Undefined();
}

// recurrentBackward(cell, x, xOff, wIh, wIhOff, wHh, wHhOff, c0|null, c0Off, ws, wsOff, dy, dyOff,
//                   dhN, dhNOff, dcN|null, dcNOff, dx|null, dxOff, dWih|null, dWihOff, dWhh|null,
//                   dWhhOff, dbIh|null, dbIhOff, dbHh|null, dbHhOff, dh0|null, dh0Off, dc0|null,
//                   dc0Off, shape, accumulateDx)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Args args(info, "recurrentBackward");
  args.count(33, 33);
  const RecurrentShape s = shapeOf(args, info, 0, 31);
  // Every gradient is optional: the call runs where gradOutput lives.
  const Device device = args.runOnDeviceOf(11, "gradOutput");
  const bool lstm = s.cell == Cell::kLstm;
  const int64_t GH = s.gates() * s.H, BH = s.B * s.H, yExtent = (s.rows() - 1) * s.yStride + s.H;
  const float* x = args.f32(1, "x", s.rows() * s.I);
  const cpu::RecurrentParams p{args.f32(3, "weight_ih", GH * s.I), args.f32(5, "weight_hh", GH * s.H), nullptr, nullptr};
  const float* c0 = optional(args, 7, "c0", BH);
  const float* ws = args.f32(9, "workspace", s.workspace());
  const float* dy = args.f32(11, "gradOutput", yExtent);
  const float* dhN = args.f32(13, "gradHN", BH);
  const float* dcN = lstm ? args.f32(15, "gradCN", BH) : nullptr;
  if (!lstm && (c0 || !args.isNullish(15) || !args.isNullish(29))) args.fail("a GRU has no cell state: c0, gradCN and gradC0 must be null");
  const cpu::RecurrentGrads g{
      args.isNullish(17) ? nullptr : args.f32(17, "gradInput", s.rows() * s.I), args.boolean(32, "accumulateDx"),
      args.isNullish(19) ? nullptr : args.f32(19, "gradWeightIh", GH * s.I),
      args.isNullish(21) ? nullptr : args.f32(21, "gradWeightHh", GH * s.H),
      args.isNullish(23) ? nullptr : args.f32(23, "gradBiasIh", GH),
      args.isNullish(25) ? nullptr : args.f32(25, "gradBiasHh", GH),
      args.isNullish(27) ? nullptr : args.f32(27, "gradH0", BH),
      lstm && !args.isNullish(29) ? args.f32(29, "gradC0", BH) : nullptr};
  auto n = [](const float* q, int64_t size) { return q ? size : 0; };
  checkDisjoint(args,
                {{"gradInput", g.dx, n(g.dx, s.rows() * s.I)}, {"gradWeightIh", g.dWih, n(g.dWih, GH * s.I)},
                 {"gradWeightHh", g.dWhh, n(g.dWhh, GH * s.H)}, {"gradBiasIh", g.dbIh, n(g.dbIh, GH)},
                 {"gradBiasHh", g.dbHh, n(g.dbHh, GH)}, {"gradH0", g.dh0, n(g.dh0, BH)}, {"gradC0", g.dc0, n(g.dc0, BH)}},
                {{"x", x, s.rows() * s.I}, {"weight_ih", p.wIh, GH * s.I}, {"weight_hh", p.wHh, GH * s.H},
                 {"c0", c0, n(c0, BH)}, {"workspace", ws, s.workspace()}, {"gradOutput", dy, yExtent},
                 {"gradHN", dhN, BH}, {"gradCN", dcN, n(dcN, BH)}});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().recurrent_backward(static_cast<int>(s.cell), cudaShape(args, s).data(), x, p.wIh, p.wHh, c0,
                                                     ws, dy, dhN, dcN, g.dx, g.accumulateDx, g.dWih, g.dWhh, g.dbIh, g.dbHh,
                                                     g.dh0, g.dc0));
  } else {
    cpu::recurrentBackward(s, x, p, c0, ws, dy, dhN, dcN, g);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("recurrentForward", Napi::Function::New(env, Forward, "recurrentForward"));
  exports.Set("recurrentBackward", Napi::Function::New(env, Backward, "recurrentBackward"));
  exports.Set("recurrentCells", enumObject(env, kCells, 2));
}

}  // namespace

STEEPEST_REGISTER(recurrent, Init);

}  // namespace steepest::napi
