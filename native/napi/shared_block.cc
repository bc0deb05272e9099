#include "napi/shared_block.h"

#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace steepest::napi {

struct SharedBlock {
  void* data;
  size_t bytes;
  size_t allocatedBytes;
  uint64_t id;
  int64_t holders;  // guarded by registryMutex
};

namespace {
// Publishing and opening happen once per shared tensor per worker, so one mutex is plenty; it
// makes "find the id and add a holder" atomic against the last holder freeing the block.
std::mutex registryMutex;
std::unordered_map<uint64_t, SharedBlock*>& registry() {
  static auto* blocks = new std::unordered_map<uint64_t, SharedBlock*>();  // never destroyed:
  return *blocks;  // finalizers of worker threads may still run during process teardown
}
uint64_t nextId = 1;
}  // namespace

SharedBlock* publishBlock(void* data, size_t bytes, size_t allocatedBytes, uint64_t* id) {
  std::lock_guard<std::mutex> lock(registryMutex);
  auto* block = new SharedBlock{data, bytes, allocatedBytes, nextId++, 1};
  registry()[block->id] = block;
  *id = block->id;
  return block;
}

SharedBlock* acquireBlock(uint64_t id) {
  std::lock_guard<std::mutex> lock(registryMutex);
  auto it = registry().find(id);
  if (it == registry().end()) return nullptr;
  it->second->holders++;
  return it->second;
}

size_t dropBlock(SharedBlock* block) {
  {
    std::lock_guard<std::mutex> lock(registryMutex);
    if (--block->holders > 0) return 0;
    registry().erase(block->id);
  }
  const size_t freed = block->allocatedBytes;
  std::free(block->data);
  delete block;
  return freed;
}

void* blockData(const SharedBlock* block) { return block->data; }
size_t blockBytes(const SharedBlock* block) { return block->bytes; }
uint64_t blockId(const SharedBlock* block) { return block->id; }

}  // namespace steepest::napi
