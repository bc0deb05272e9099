// SharedBlock: native memory held by NativeBuffers in several JS threads at once (the main
// thread and the worker threads of parallel tuning trials), so a read-only dataset is in memory
// once instead of once per worker. Worker threads of one process share the C++ heap, so sharing
// is only a question of lifetime: the block counts its holders and is freed by the last one.
// A block is found by a process-wide id, which is what crosses to a worker (a number in
// workerData), never a pointer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace steepest::napi {

struct SharedBlock;

// Takes ownership of `data` (from std::aligned_alloc: `bytes` in use, `allocatedBytes` allocated)
// with one holder; returns the block and writes its id.
SharedBlock* publishBlock(void* data, size_t bytes, size_t allocatedBytes, uint64_t* id);
// One more holder of the block `id`, or nullptr when no block has that id any more.
SharedBlock* acquireBlock(uint64_t id);
// Drops one holder; the last one frees the memory, forgets the id and returns the allocated
// bytes it freed (0 while other holders remain).
size_t dropBlock(SharedBlock* block);

void* blockData(const SharedBlock* block);
size_t blockBytes(const SharedBlock* block);
uint64_t blockId(const SharedBlock* block);

}  // namespace steepest::napi
