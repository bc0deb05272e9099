// Bindings for the float64 dense linear algebra of the tuner's Gaussian process
// (native/cpu/cholesky.h). Unlike the tensor ops these take Float64Arrays from the JS heap:
// the GP works in double precision on small host matrices, never on device tensors.
#include "cpu/cholesky.h"

#include "napi/args.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

double* f64(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, int64_t elements) {
  const Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    args.failType(std::string(name) + " must be a Float64Array");
  }
  Napi::Float64Array a = v.As<Napi::Float64Array>();
  // Exactly the matrix, no more: a longer array means the caller's n or m is not what it thinks.
  if (static_cast<int64_t>(a.ElementLength()) != elements) {
    args.failRange(std::string(name) + " holds " + std::to_string(a.ElementLength()) + " elements, expected " +
                   std::to_string(elements));
  }
  return a.Data();
}

// choleskyF64(a, n) -> true, or false when a is not positive definite.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Args args(info, "choleskyF64");
  args.count(2, 2);
  const int64_t n = args.integer(1, "n", 0, 1 << 15);
  double* a = f64(args, info, 0, "a", n * n);
  return Napi::Boolean::New(info.Env(), cpu::choleskyF64(a, n));
}

// triangularSolveF64(l, n, b, m, transpose): b <- L^-1 b or L^-T b, b is n x m.
Napi::Value TriangularSolve(const Napi::CallbackInfo& info) {
  Args args(info, "triangularSolveF64");
  args.count(5, 5);
  const int64_t n = args.integer(1, "n", 0, 1 << 15);
  const int64_t m = args.integer(3, "m", 0, int64_t(1) << 24);
  const double* l = f64(args, info, 0, "l", n * n);
  double* b = f64(args, info, 2, "b", args.product("b", n, m));
  cpu::triangularSolveF64(l, n, b, m, args.boolean(4, "transpose"));
  return info.Env().Undefined();
}

// choleskyInverseF64(l, n, out): out <- (L L^T)^-1.
Napi::Value CholeskyInverse(const Napi::CallbackInfo& info) {
  Args args(info, "choleskyInverseF64");
  args.count(3, 3);
  const int64_t n = args.integer(1, "n", 0, 1 << 15);
  const double* l = f64(args, info, 0, "l", n * n);
  double* out = f64(args, info, 2, "out", n * n);
  if (out == l && n > 0) args.fail("out must not be l");
  cpu::choleskyInverseF64(l, n, out);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("choleskyF64", Napi::Function::New(env, Cholesky, "choleskyF64"));
  exports.Set("triangularSolveF64", Napi::Function::New(env, TriangularSolve, "triangularSolveF64"));
  exports.Set("choleskyInverseF64", Napi::Function::New(env, CholeskyInverse, "choleskyInverseF64"));
}

}  // namespace

STEEPEST_REGISTER(linalg, Init);

}  // namespace steepest::napi
