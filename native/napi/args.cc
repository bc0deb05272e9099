#include "napi/args.h"

#include <cmath>

namespace steepest::napi {

Napi::Object enumObject(Napi::Env env, const char* const* names, int count) {
  Napi::Object o = Napi::Object::New(env);
  for (int i = 0; i < count; ++i) o.Set(names[i], i);
  return o;
}

bool overlaps(const void* a, int64_t na, const void* b, int64_t nb) {
  const char* pa = static_cast<const char*>(a);
  const char* pb = static_cast<const char*>(b);
  return pa != nullptr && pb != nullptr && na > 0 && nb > 0 && pa < pb + nb * 4 && pb < pa + na * 4;
}

std::string dims(int64_t a, int64_t b) { return std::to_string(a) + "x" + std::to_string(b); }

void Args::fail(const std::string& message) const {
  throw Napi::Error::New(env(), std::string(op_) + ": " + message);
}
void Args::failRange(const std::string& message) const {
  throw Napi::RangeError::New(env(), std::string(op_) + ": " + message);
}
void Args::failType(const std::string& message) const {
  throw Napi::TypeError::New(env(), std::string(op_) + ": " + message);
}

void Args::count(size_t min, size_t max) const {
  const size_t n = info_.Length();
  if (n < min || n > max) {
    failType("expected " + (min == max ? std::to_string(min) : std::to_string(min) + "-" + std::to_string(max)) +
             " arguments, got " + std::to_string(n));
  }
}

static std::string describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return std::to_string(v.As<Napi::Number>().DoubleValue());
    case napi_string: return "a string";
    case napi_object: return "an object";
    case napi_function: return "a function";
    case napi_bigint: return "a bigint";
    default: return "a value of another type";
  }
}

int64_t Args::integer(size_t i, const char* name, int64_t min, int64_t max) const {
  const Napi::Value v = info_[i];
  if (!v.IsNumber()) failType(std::string(name) + " must be an integer, got " + describe(v));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d) {
    failType(std::string(name) + " must be an integer, got " + describe(v));
  }
  if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
    failRange(std::string(name) + " must be in [" + std::to_string(min) + ", " + std::to_string(max) +
              "], got " + describe(v));
  }
  return static_cast<int64_t>(d);
}

double Args::number(size_t i, const char* name) const {
  const Napi::Value v = info_[i];
  if (!v.IsNumber()) failType(std::string(name) + " must be a number, got " + describe(v));
  return v.As<Napi::Number>().DoubleValue();
}

double Args::finite(size_t i, const char* name) const {
  const double d = number(i, name);
  if (!std::isfinite(d)) failRange(std::string(name) + " must be finite, got " + std::to_string(d));
  return d;
}

bool Args::boolean(size_t i, const char* name) const {
  const Napi::Value v = info_[i];
  if (!v.IsBoolean()) failType(std::string(name) + " must be a boolean, got " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

int64_t Args::product(const char* what, int64_t a, int64_t b, int64_t c) const {
  if (a == 0 || b == 0 || c == 0) return 0;
  // Each factor is in [1, kMaxDim]; dividing first keeps every step free of overflow.
  if (a > kMaxDim / b || a * b > kMaxDim / c) {
    failRange(std::string(what) + " of " + std::to_string(a) + " x " + std::to_string(b) +
              (c == 1 ? "" : " x " + std::to_string(c)) + " elements is too large (more than " +
              std::to_string(kMaxDim) + ")");
  }
  return a * b * c;
}

std::vector<int64_t> Args::dimsArray(size_t i, const char* name, size_t minCount, size_t maxCount) const {
  const Napi::Value v = info_[i];
  const uint32_t n = v.IsArray() ? v.As<Napi::Array>().Length() : 0;
  if (!v.IsArray() || n < minCount || n > maxCount) {
    failType(std::string(name) + " must be an array of " + std::to_string(minCount) + " to " + std::to_string(maxCount) +
             " integers, got " + (v.IsArray() ? "one of " + std::to_string(n) : describe(v)));
  }
  std::vector<int64_t> out(n);
  const Napi::Array a = v.As<Napi::Array>();
  for (uint32_t k = 0; k < n; ++k) {
    const Napi::Value e = a.Get(k);
    const double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d <= static_cast<double>(kMaxDim) && std::floor(d) == d)) {
      failRange(std::string(name) + "[" + std::to_string(k) + "] must be an integer in [0, 2^32], got " + describe(e));
    }
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

bool Args::isNullish(size_t i) const {
  const Napi::Value v = info_[i];
  return v.IsUndefined() || v.IsNull();
}

NativeBuffer* Args::buffer(size_t i, const char* name) const {
  NativeBuffer* b = NativeBuffer::From(info_[i]);
  if (b == nullptr) failType(std::string(name) + " must be a tensor buffer, got " + describe(info_[i]));
  if (b->disposed()) fail(std::string(name) + " tensor was disposed");
  return b;
}

Device Args::device(size_t i, const char* name) const { return buffer(i, name)->device(); }

Device Args::runOnDeviceOf(size_t i, const char* name) {
  device_ = device(i, name);
  return device_;
}

void* Args::tensor(size_t i, const char* name, int64_t elements, DType dtype) const {
  NativeBuffer* b = buffer(i, name);
  if (b->device() != device_) {
    if (device_ == Device::Cpu) {
      fail(std::string(name) + " is on device '" + deviceName(b->device()) + "', this kernel runs on the CPU only");
    }
    fail(std::string(name) + " is on device '" + deviceName(b->device()) + "', the call runs on '" + deviceName(device_) +
         "'");
  }
  if (b->dtype() != dtype) {
    failType(std::string(name) + " must be " + dtypeName(dtype) + ", got " + dtypeName(b->dtype()));
  }
  const int64_t offset = integer(i + 1, "offset", 0, b->length());
  if (elements < 0 || elements > b->length() - offset) {
    failRange(std::string(name) + " needs " + std::to_string(elements) + " elements from offset " +
              std::to_string(offset) + ", its buffer holds " + std::to_string(b->length()));
  }
  return static_cast<char*>(b->data()) + offset * 4;
}

float* Args::f32(size_t i, const char* name, int64_t elements) const {
  return static_cast<float*>(tensor(i, name, elements, DType::F32));
}

int32_t* Args::i32(size_t i, const char* name, int64_t elements) const {
  return static_cast<int32_t*>(tensor(i, name, elements, DType::I32));
}

RowBackwardOperands rowBackwardOperands(const Args& args, int64_t n) {
  const RowBackwardOperands o{args.f32(0, "y", n), args.f32(2, "gradOut", n), args.f32(4, "gradIn", n)};
  if ((o.dx != o.y && overlaps(o.dx, n, o.y, n)) || (o.dx != o.g && overlaps(o.dx, n, o.g, n))) {
    args.fail("gradIn must be y or gradOut itself or not share memory with them");
  }
  return o;
}

}  // namespace steepest::napi
