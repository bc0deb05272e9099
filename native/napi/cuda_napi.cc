// The CUDA backend's availability: opens libsteepest_cuda.so from the addon's own folder
// (napi/cuda_library.h; dladdr on this file's code finds the folder) and asks it to probe the
// machine (native/cuda/steepest_cuda.h). Nothing here links CUDA: without the library, or
// without a driver, the answer is a reason, never a crash.
#include <dlfcn.h>

#include <mutex>
#include <string>

#include "napi/cuda_library.h"
#include "napi/args.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

std::string addonFolder() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&addonFolder), &info) == 0 || info.dli_fname == nullptr) return ".";
  const std::string file = info.dli_fname;
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

}  // namespace

const CudaLibrary& cudaLibrary() {
  static CudaLibrary lib;
  static std::once_flag once;
  std::call_once(once, [] {
    lib.path = addonFolder() + "/libsteepest_cuda.so";
    lib.handle = dlopen(lib.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib.handle == nullptr) {
      const char* e = dlerror();
      lib.openError = e ? e : "dlopen failed";
      return;
    }
    std::string missing;
#define SP_CUDA_RESOLVE(name)                                                                        \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(lib.handle, "steepest_cuda_" #name));        \
  if (lib.name == nullptr) missing += std::string(missing.empty() ? "" : ", ") + "steepest_cuda_" #name;
    SP_CUDA_FUNCTIONS(SP_CUDA_RESOLVE)
#undef SP_CUDA_RESOLVE
    if (lib.abi != nullptr && lib.abi() != STEEPEST_CUDA_ABI) {
      lib.openError = "backend library " + lib.path + " has interface " + std::to_string(lib.abi()) +
                      ", the addon expects " + std::to_string(STEEPEST_CUDA_ABI) + " (rebuild it with scripts/build-cuda.sh)";
    } else if (!missing.empty()) {
      lib.openError = "backend library " + lib.path + " lacks " + missing + " (rebuild it with scripts/build-cuda.sh)";
    }
  });
  return lib;
}

void cudaCheck(const Args& args, int status) {
  if (status != STEEPEST_CUDA_OK) args.fail(cudaLastError());
}

const std::string& cudaUnavailableReason() {
  static std::string reason;
  static std::once_flag once;
  std::call_once(once, [] {
    const CudaLibrary& lib = cudaLibrary();
    if (lib.handle == nullptr) {
      reason = "backend not built";
    } else if (!lib.openError.empty()) {
      reason = lib.openError;
    } else {
      int count = 0;
      char message[256] = {0};
      if (lib.probe(&count, message, sizeof message) != STEEPEST_CUDA_OK) reason = message;
    }
  });
  return reason;
}

namespace {

// cudaStatus(): { available, reason, library, devices: [{ name, totalBytes }] }
Napi::Value CudaStatus(const Napi::CallbackInfo& info) {
  Args(info, "cudaStatus").count(0, 0);
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const CudaLibrary& lib = cudaLibrary();
  Napi::Array devices = Napi::Array::New(env);
  out.Set("devices", devices);
  out.Set("library", lib.handle ? Napi::Value(Napi::String::New(env, lib.path)) : env.Null());
  auto unavailable = [&](const std::string& reason) {
    out.Set("available", false);
    out.Set("reason", reason);
    return out;
  };
  if (!cudaUnavailableReason().empty()) return unavailable(cudaUnavailableReason());
  int count = 0;
  char message[256] = {0};
  if (lib.probe(&count, message, sizeof message) != STEEPEST_CUDA_OK) return unavailable(message);
  for (int i = 0; i < count; ++i) {
    char name[256] = {0};
    double bytes = 0;
    if (lib.device(i, name, sizeof name, &bytes) != STEEPEST_CUDA_OK) return unavailable(std::string("device ") + std::to_string(i) + ": " + name);
    Napi::Object d = Napi::Object::New(env);
    d.Set("name", name);
    d.Set("totalBytes", bytes);
    devices.Set(static_cast<uint32_t>(i), d);
  }
  out.Set("available", true);
  out.Set("reason", env.Null());
  return out;
}

// The library, checked usable; otherwise the op fails with the reason.
const CudaLibrary& usable(const Args& args) {
  if (!cudaUnavailableReason().empty()) args.fail("device 'cuda' is unavailable: " + cudaUnavailableReason());
  return cudaLibrary();
}

// cudaMemoryStats(): { allocatedBytes, reservedBytes, deviceMallocs } of the caching allocator.
Napi::Value CudaMemoryStats(const Napi::CallbackInfo& info) {
  Args args(info, "cuda.memoryStats");
  args.count(0, 0);
  double allocated = 0, reserved = 0, mallocs = 0;
  cudaCheck(args, usable(args).memory_stats(&allocated, &reserved, &mallocs));
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("allocatedBytes", allocated);
  out.Set("reservedBytes", reserved);
  out.Set("deviceMallocs", mallocs);
  return out;
}

Napi::Value CudaSynchronize(const Napi::CallbackInfo& info) {
  Args args(info, "cuda.synchronize");
  args.count(0, 0);
  cudaCheck(args, usable(args).synchronize());
  return info.Env().Undefined();
}

Napi::Value CudaEmptyCache(const Napi::CallbackInfo& info) {
  Args args(info, "cuda.emptyCache");
  args.count(0, 0);
  cudaCheck(args, usable(args).empty_cache());
  return info.Env().Undefined();
}

// cudaSetTf32(on): TF32 tensor-core products in GEMM (off by default).
Napi::Value CudaSetTf32(const Napi::CallbackInfo& info) {
  Args args(info, "cuda.setAllowTF32");
  args.count(1, 1);
  const bool on = args.boolean(0, "on");
  cudaCheck(args, usable(args).set_tf32(on ? 1 : 0));
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("cudaStatus", Napi::Function::New(env, CudaStatus, "cudaStatus"));
  exports.Set("cudaMemoryStats", Napi::Function::New(env, CudaMemoryStats, "cudaMemoryStats"));
  exports.Set("cudaSynchronize", Napi::Function::New(env, CudaSynchronize, "cudaSynchronize"));
  exports.Set("cudaEmptyCache", Napi::Function::New(env, CudaEmptyCache, "cudaEmptyCache"));
  exports.Set("cudaSetTf32", Napi::Function::New(env, CudaSetTf32, "cudaSetTf32"));
}

}  // namespace

STEEPEST_REGISTER(cuda, Init);

}  // namespace steepest::napi
