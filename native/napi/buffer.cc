#include "napi/buffer.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

constexpr size_t kAlignment = 64;
// 2^32 elements (16 GiB of float32): beyond that a request is almost surely a bug, and an
// overcommitted allocation would be killed later instead of failing cleanly now.
constexpr int64_t kMaxElements = int64_t{1} << 32;
const napi_type_tag kBufferTag = {0x7374656570657374ull, 0x6e6174697665627full};

// Copies `bytes` between two buffers' memory on whichever devices they are (the CUDA library
// orders its copies on its stream; a copy to the host waits for it). Throws with the op's name.
void copyBytes(Napi::Env env, const char* op, Device dstDevice, void* dst, Device srcDevice, const void* src,
               size_t bytes) {
  if (bytes == 0) return;
  if (dstDevice == Device::Cpu && srcDevice == Device::Cpu) {
    std::memmove(dst, src, bytes);
    return;
  }
  const int direction = srcDevice == Device::Cpu ? STEEPEST_CUDA_HOST_TO_DEVICE
                        : dstDevice == Device::Cpu ? STEEPEST_CUDA_DEVICE_TO_HOST
                                                   : STEEPEST_CUDA_DEVICE_TO_DEVICE;
  if (cudaLibrary().copy(dst, src, bytes, direction) != STEEPEST_CUDA_OK) {
    throw Napi::Error::New(env, std::string(op) + ": " + cudaLastError());
  }
}

std::atomic<int64_t> allocations{0};
std::atomic<int64_t> frees{0};
std::atomic<int64_t> liveBytes{0};
std::atomic<int64_t> freedSinceTrim{0};

// glibc keeps freed heap memory mapped: after a burst of tensors is collected (N-API runs
// finalizers from the event loop, so a synchronous loop that drops tensors frees them all at
// once), RSS would stay at the burst's peak. Every 64 MiB freed, hand free pages back.
constexpr int64_t kTrimEvery = int64_t{64} << 20;
void noteFreed(int64_t bytes) {
#if defined(__GLIBC__)
  if (freedSinceTrim.fetch_add(bytes) + bytes >= kTrimEvery) {
    freedSinceTrim.store(0);
    malloc_trim(0);
  }
#else
  (void)bytes;
#endif
}

DType parseDtype(const Napi::Value& v) {
  if (v.IsString()) {
    const std::string s = v.As<Napi::String>().Utf8Value();
    if (s == "float32") return DType::F32;
    if (s == "int32") return DType::I32;
  }
  throw Napi::TypeError::New(v.Env(), "NativeBuffer: dtype must be 'float32' or 'int32'");
}

}  // namespace

const char* dtypeName(DType d) { return d == DType::F32 ? "float32" : "int32"; }

MemoryStats memoryStats() { return {allocations.load(), frees.load(), liveBytes.load()}; }

void NativeBuffer::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(
      env, "NativeBuffer",
      {
          InstanceMethod<&NativeBuffer::Dispose>("dispose"),
          InstanceMethod<&NativeBuffer::Read>("read"),
          InstanceMethod<&NativeBuffer::Write>("write"),
          InstanceMethod<&NativeBuffer::CopyFrom>("copyFrom"),
          InstanceMethod<&NativeBuffer::Share>("share"),
          InstanceAccessor<&NativeBuffer::GetLength>("length"),
          InstanceAccessor<&NativeBuffer::GetDtype>("dtype"),
          InstanceAccessor<&NativeBuffer::GetDisposed>("disposed"),
          InstanceAccessor<&NativeBuffer::GetDevice>("device"),
      });
  exports.Set("NativeBuffer", ctor);
  exports.Set("memoryStats", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                Args(info, "memoryStats").count(0, 0);
                const MemoryStats s = memoryStats();
                Napi::Object o = Napi::Object::New(info.Env());
                o.Set("allocations", static_cast<double>(s.allocations));
                o.Set("frees", static_cast<double>(s.frees));
                o.Set("liveBytes", static_cast<double>(s.liveBytes));
                return o;
              }));
}

NativeBuffer* NativeBuffer::From(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object obj = value.As<Napi::Object>();
  if (!obj.CheckTypeTag(&kBufferTag)) return nullptr;
  return Napi::ObjectWrap<NativeBuffer>::Unwrap(obj);
}

// new NativeBuffer(dtype, length, zero = true), new NativeBuffer(dtype, length, { shared: id })
// for the memory another thread published with share(), or new NativeBuffer(dtype, length,
// { device: 'cuda', zero }) for device memory.
NativeBuffer::NativeBuffer(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NativeBuffer>(info), env_(info.Env()) {
  Args args(info, "NativeBuffer");
  args.count(2, 3);
  dtype_ = parseDtype(info[0]);
  const int64_t length = args.integer(1, "length", 0, kMaxElements);
  info.This().As<Napi::Object>().TypeTag(&kBufferTag);
  if (info.Length() == 3 && info[2].IsObject()) {
    const Napi::Object options = info[2].As<Napi::Object>();
    if (options.Has("device")) {
      const Napi::Value device = options.Get("device");
      if (!device.IsString() || device.As<Napi::String>().Utf8Value() != "cuda") {
        throw Napi::TypeError::New(env_, "NativeBuffer: { device } must be 'cuda'");
      }
      allocateOnCuda(length, options.Get("zero").ToBoolean().Value());
      return;
    }
    length_ = length;
    openShared(options);
    return;
  }
  const bool zero = info.Length() < 3 || info[2].ToBoolean().Value();
  if (length == 0) return;
  const size_t bytes = static_cast<size_t>(length) * 4;
  const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  data_ = std::aligned_alloc(kAlignment, rounded);
  if (data_ == nullptr) {
    throw Napi::RangeError::New(env_, "NativeBuffer: out of memory allocating " +
                                          std::to_string(bytes) + " bytes");
  }
  if (zero) std::memset(data_, 0, rounded);
  length_ = length;
  accountedBytes_ = static_cast<int64_t>(rounded);
  allocations.fetch_add(1);
  liveBytes.fetch_add(accountedBytes_);
  // Lets V8's GC see the native memory, so dropped tensors are collected under pressure.
  Napi::MemoryManagement::AdjustExternalMemory(env_, accountedBytes_);
}

// Device memory from the CUDA backend's caching allocator; counted as an allocation like host
// memory, so the allocation counter proves a training step on the GPU allocates nothing either.
void NativeBuffer::allocateOnCuda(int64_t length, bool zero) {
  const std::string& reason = cudaUnavailableReason();
  if (!reason.empty()) throw Napi::Error::New(env_, "NativeBuffer: device 'cuda' is unavailable: " + reason);
  device_ = Device::Cuda;
  if (length == 0) return;
  const CudaLibrary& lib = cudaLibrary();
  void* p = nullptr;
  if (lib.malloc(static_cast<size_t>(length) * 4, &p) != STEEPEST_CUDA_OK) {
    throw Napi::RangeError::New(env_, "NativeBuffer: " + cudaLastError());
  }
  // Zero bits are 0.0f and int32 0 alike.
  if (zero && lib.fill(static_cast<float*>(p), length, 0.f) != STEEPEST_CUDA_OK) {
    lib.free(p);
    throw Napi::Error::New(env_, "NativeBuffer: " + cudaLastError());
  }
  data_ = p;
  length_ = length;
  accountedBytes_ = length * 4;
  allocations.fetch_add(1);
  Napi::MemoryManagement::AdjustExternalMemory(env_, accountedBytes_);
}

NativeBuffer::~NativeBuffer() { release(); }

// The block's memory is counted once, by the thread that allocated it: an opened buffer adds no
// allocation, and the free is counted when the last holder lets go.
void NativeBuffer::openShared(const Napi::Object& handle) {
  const Napi::Value idValue = handle.Get("shared");
  const double id = idValue.IsNumber() ? idValue.As<Napi::Number>().DoubleValue() : -1;
  if (!(id >= 1 && id <= 9007199254740991.0 && id == static_cast<double>(static_cast<uint64_t>(id)))) {
    length_ = 0;
    throw Napi::TypeError::New(env_, "NativeBuffer: { shared } must be an id returned by share()");
  }
  SharedBlock* block = acquireBlock(static_cast<uint64_t>(id));
  if (block == nullptr) {
    length_ = 0;
    throw Napi::Error::New(env_, "NativeBuffer: shared buffer " + std::to_string(static_cast<uint64_t>(id)) +
                                     " no longer exists (every holder disposed it)");
  }
  if (blockBytes(block) < static_cast<size_t>(length_) * 4) {
    const std::string message = "NativeBuffer: shared buffer " + std::to_string(static_cast<uint64_t>(id)) +
                                " holds " + std::to_string(blockBytes(block) / 4) + " elements, fewer than " +
                                std::to_string(length_);
    dropBlock(block);
    length_ = 0;
    throw Napi::RangeError::New(env_, message);
  }
  shared_ = block;
  data_ = blockData(block);
}

// share(): the id another thread passes to new NativeBuffer(dtype, length, { shared: id }).
Napi::Value NativeBuffer::Share(const Napi::CallbackInfo& info) {
  Args(info, "share").count(0, 0);
  if (disposed()) throw Napi::Error::New(info.Env(), "share: tensor was disposed");
  if (length_ == 0) throw Napi::Error::New(info.Env(), "share: an empty buffer has nothing to share");
  if (device_ != Device::Cpu) throw Napi::Error::New(info.Env(), "share: only CPU memory is shared between threads");
  uint64_t id = 0;
  if (shared_ == nullptr) shared_ = publishBlock(data_, static_cast<size_t>(length_) * 4, static_cast<size_t>(accountedBytes_), &id);
  else id = blockId(shared_);
  return Napi::Number::New(info.Env(), static_cast<double>(id));
}

void NativeBuffer::release() {
  if (data_ == nullptr) return;
  int64_t freedBytes = accountedBytes_;
  if (device_ == Device::Cuda) {
    cudaLibrary().free(data_);  // back to the cache; cannot fail for a pointer it handed out
    data_ = nullptr;
    frees.fetch_add(1);
    freedBytes = 0;  // device bytes are the CUDA library's to count (memoryStats)
  } else if (shared_ != nullptr) {
    freedBytes = static_cast<int64_t>(dropBlock(shared_));
    shared_ = nullptr;
  } else {
    std::free(data_);
  }
  data_ = nullptr;
  if (freedBytes > 0) {
    frees.fetch_add(1);
    liveBytes.fetch_sub(freedBytes);
    noteFreed(freedBytes);
  }
  // The C call, not Napi::MemoryManagement: release() runs in the GC finalizer and during a
  // worker's teardown, where node-addon-api's wrapper would abort the process on a failed
  // status. The accounting is only a hint to V8's GC, so a failure is safe to ignore.
  int64_t ignored = 0;
  if (accountedBytes_ != 0) napi_adjust_external_memory(env_, -accountedBytes_, &ignored);
  accountedBytes_ = 0;
}

Napi::Value NativeBuffer::Dispose(const Napi::CallbackInfo& info) {
  Args(info, "dispose").count(0, 0);
  release();
  return info.Env().Undefined();
}

// read(offset, count): a copy as a new Float32Array / Int32Array.
Napi::Value NativeBuffer::Read(const Napi::CallbackInfo& info) {
  Args args(info, "read");
  args.count(2, 2);
  if (disposed()) throw Napi::Error::New(info.Env(), "read: tensor was disposed");
  const int64_t offset = args.integer(0, "offset", 0, length_);
  const int64_t count = args.integer(1, "count", 0, length_ - offset);
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(info.Env(), static_cast<size_t>(count) * 4);
  copyBytes(info.Env(), "read", Device::Cpu, ab.Data(), device_, static_cast<char*>(data_) + offset * 4,
            static_cast<size_t>(count) * 4);
  if (dtype_ == DType::F32) return Napi::Float32Array::New(info.Env(), count, ab, 0);
  return Napi::Int32Array::New(info.Env(), count, ab, 0);
}

// write(typedArray, offset): copies the array in at `offset`.
Napi::Value NativeBuffer::Write(const Napi::CallbackInfo& info) {
  Args args(info, "write");
  args.count(2, 2);
  if (disposed()) throw Napi::Error::New(info.Env(), "write: tensor was disposed");
  const napi_typedarray_type want =
      dtype_ == DType::F32 ? napi_float32_array : napi_int32_array;
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != want) {
    throw Napi::TypeError::New(info.Env(), std::string("write: expected a ") +
                                               (dtype_ == DType::F32 ? "Float32Array" : "Int32Array") +
                                               " for a " + dtypeName(dtype_) + " buffer");
  }
  Napi::TypedArray src = info[0].As<Napi::TypedArray>();
  const int64_t n = static_cast<int64_t>(src.ElementLength());
  const int64_t offset = args.integer(1, "offset", 0, length_);
  if (offset + n > length_) {
    throw Napi::RangeError::New(info.Env(), "write: " + std::to_string(n) +
                                                " elements at offset " + std::to_string(offset) +
                                                " overflow a buffer of " + std::to_string(length_));
  }
  if (n > 0) {
    const char* bytes = static_cast<const char*>(src.ArrayBuffer().Data()) + src.ByteOffset();
    copyBytes(info.Env(), "write", device_, static_cast<char*>(data_) + offset * 4, Device::Cpu, bytes,
              static_cast<size_t>(n) * 4);
  }
  return info.Env().Undefined();
}

// copyFrom(src, srcOffset, dstOffset, count): native copy between buffers of one dtype.
Napi::Value NativeBuffer::CopyFrom(const Napi::CallbackInfo& info) {
  Args args(info, "copyFrom");
  args.count(4, 4);
  if (disposed()) throw Napi::Error::New(info.Env(), "copyFrom: destination tensor was disposed");
  NativeBuffer* src = args.buffer(0, "source");
  if (src->dtype() != dtype_) {
    throw Napi::TypeError::New(info.Env(), std::string("copyFrom: source is ") +
                                               dtypeName(src->dtype()) + ", destination is " +
                                               dtypeName(dtype_));
  }
  const int64_t srcOff = args.integer(1, "sourceOffset", 0, src->length());
  const int64_t dstOff = args.integer(2, "destinationOffset", 0, length_);
  const int64_t count = args.integer(3, "count", 0, std::min(src->length() - srcOff, length_ - dstOff));
  // Between devices too: this is t.to(device)'s copy.
  copyBytes(info.Env(), "copyFrom", device_, static_cast<char*>(data_) + dstOff * 4, src->device(),
            static_cast<const char*>(src->data()) + srcOff * 4, static_cast<size_t>(count) * 4);
  return info.Env().Undefined();
}

Napi::Value NativeBuffer::GetLength(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(length_));
}
Napi::Value NativeBuffer::GetDtype(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), dtypeName(dtype_));
}
Napi::Value NativeBuffer::GetDevice(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), deviceName(device_));
}
Napi::Value NativeBuffer::GetDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), disposed());
}

STEEPEST_REGISTER(buffer, NativeBuffer::Init);

}  // namespace steepest::napi
