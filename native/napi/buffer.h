// NativeBuffer: the storage behind every tensor. On the CPU, 64-byte-aligned memory owned by
// C++; on 'cuda', device memory from the CUDA backend's caching allocator (napi/cuda_library.h).
// Freed by dispose() or by the GC finalizer. JavaScript never holds a raw pointer into it:
// reads and writes copy, so a disposed buffer can never be touched from JS.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>

#include "napi/device.h"
#include "napi/shared_block.h"

namespace steepest::napi {

enum class DType : int { F32 = 0, I32 = 1 };

const char* dtypeName(DType d);

class NativeBuffer : public Napi::ObjectWrap<NativeBuffer> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  // Returns the NativeBuffer behind `value`, or nullptr when `value` is not one (checked with
  // a type tag, so an arbitrary object can never be mistaken for a buffer).
  static NativeBuffer* From(Napi::Value value);

  explicit NativeBuffer(const Napi::CallbackInfo& info);
  ~NativeBuffer() override;

  void* data() const { return data_; }
  int64_t length() const { return length_; }
  DType dtype() const { return dtype_; }
  // Where the memory lives: the device tag N-API calls dispatch on (napi/device.h).
  Device device() const { return device_; }
  bool disposed() const { return data_ == nullptr && length_ > 0; }

 private:
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value CopyFrom(const Napi::CallbackInfo& info);
  Napi::Value GetLength(const Napi::CallbackInfo& info);
  Napi::Value GetDtype(const Napi::CallbackInfo& info);
  Napi::Value GetDisposed(const Napi::CallbackInfo& info);
  Napi::Value GetDevice(const Napi::CallbackInfo& info);
  Napi::Value Share(const Napi::CallbackInfo& info);
  void openShared(const Napi::Object& handle);
  void allocateOnCuda(int64_t length, bool zero);
  void release();

  void* data_ = nullptr;
  int64_t length_ = 0;
  DType dtype_ = DType::F32;
  Device device_ = Device::Cpu;
  int64_t accountedBytes_ = 0;
  // Set once share() made the memory a SharedBlock (or the buffer opened one): the block, not
  // this buffer, then owns the memory, and the last holder in any thread frees it.
  SharedBlock* shared_ = nullptr;
  Napi::Env env_;
};

// Process-wide allocation counters, for tests that prove the training step allocates nothing.
struct MemoryStats {
  int64_t allocations;
  int64_t frees;
  int64_t liveBytes;
};
MemoryStats memoryStats();

}  // namespace steepest::napi
