// The addon's entry point: every native/napi/*_napi.cc registers its functions itself.
#include <napi.h>

#include <vector>

#include "napi/registry.h"

namespace steepest::napi {
namespace {

struct Entry {
  const char* area;
  InitFn init;
};

std::vector<Entry>& entries() {
  static std::vector<Entry> list;
  return list;
}

}  // namespace

Registration::Registration(const char* area, InitFn init) { entries().push_back({area, init}); }

void initAll(Napi::Env env, Napi::Object exports) {
  for (const Entry& e : entries()) e.init(env, exports);
}

}  // namespace steepest::napi

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  steepest::napi::initAll(env, exports);
  return exports;
}

NODE_API_MODULE(steepest, Init)
