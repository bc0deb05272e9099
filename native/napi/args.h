// Argument checking for every N-API entry point. Each accessor validates one argument and
// throws a JS Error that names the op, the argument, what was expected and what came, so no
// call from JavaScript can crash or corrupt the process.
// Tensors cross as a pair of arguments: (NativeBuffer, element offset).
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "napi/buffer.h"

namespace steepest::napi {

// Largest dimension accepted for any size argument: 2^32 elements.
constexpr int64_t kMaxDim = int64_t{1} << 32;

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op) : info_(info), op_(op) {}

  const char* op() const { return op_; }
  Napi::Env env() const { return info_.Env(); }

  void count(size_t min, size_t max) const;
  int64_t integer(size_t i, const char* name, int64_t min = 0, int64_t max = kMaxDim) const;
  double number(size_t i, const char* name) const;
  double finite(size_t i, const char* name) const;
  bool boolean(size_t i, const char* name) const;
  bool isNullish(size_t i) const;
  // An array of between minCount and maxCount integers, each in [0, kMaxDim] (a shape, strides).
  std::vector<int64_t> dimsArray(size_t i, const char* name, size_t minCount, size_t maxCount) const;
  // a * b (* c) for sizes already checked to be >= 0, failing with a RangeError naming `what`
  // when the product passes kMaxDim: a plain int64 product of two 2^32 sizes wraps to 0 and
  // would let a kernel run past a buffer that the extent check then thinks is large enough.
  int64_t product(const char* what, int64_t a, int64_t b, int64_t c = 1) const;

  // A live (not disposed) buffer at position i.
  NativeBuffer* buffer(size_t i, const char* name) const;
  // The device of the live buffer at position i, which a call dispatches on.
  Device device(size_t i, const char* name) const;
  // Dispatch: the call runs on the device of the buffer at position i, and from here on f32/i32
  // take tensors of that device only (a tensor of another one fails naming both devices).
  // Without it, a call runs on the CPU.
  Device runOnDeviceOf(size_t i, const char* name);
  // A float32 tensor at (i, i+1) on the call's device with at least `elements` elements from its
  // offset (host memory unless runOnDeviceOf chose another device).
  float* f32(size_t i, const char* name, int64_t elements) const;
  int32_t* i32(size_t i, const char* name, int64_t elements) const;
  // Either, as `dtype` says (a kernel of 4-byte elements that serves both).
  void* tensor(size_t i, const char* name, int64_t elements, DType dtype) const;

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void failRange(const std::string& message) const;
  [[noreturn]] void failType(const std::string& message) const;

 private:

  const Napi::CallbackInfo& info_;
  const char* op_;
  Device device_ = Device::Cpu;
};

// { name: code } for an enum whose names are listed in code order: JS looks codes up by name,
// so the two sides cannot disagree.
Napi::Object enumObject(Napi::Env env, const char* const* names, int count);

// Whether the float32/int32 element ranges [a, a + na) and [b, b + nb) share memory (never for a
// null pointer): kernels that read one range while threads write the other scramble the result.
bool overlaps(const void* a, int64_t na, const void* b, int64_t nb);

// The operands of a row-wise backward, y, gradOut -> gradIn (arguments 0, 2, 4; n floats each, on
// the device runOnDeviceOf chose): gradIn may be y or gradOut itself, since each row is read
// whole before it is written (softmax's and attention's backward), but no shifted overlap.
struct RowBackwardOperands {
  const float* y;
  const float* g;
  float* dx;
};
RowBackwardOperands rowBackwardOperands(const Args& args, int64_t n);

// "3x4" style rendering of dims for messages.
std::string dims(int64_t a, int64_t b);

}  // namespace steepest::napi
