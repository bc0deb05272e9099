// Each binding file registers its functions with a static STEEPEST_REGISTER(...) object, so
// adding an op never means editing a central list: addon.cc calls every registered init.
#pragma once
#include <napi.h>

namespace steepest::napi {

using InitFn = void (*)(Napi::Env env, Napi::Object exports);

struct Registration {
  Registration(const char* area, InitFn init);
};

void initAll(Napi::Env env, Napi::Object exports);

}  // namespace steepest::napi

#define STEEPEST_REGISTER(area, fn) \
  static ::steepest::napi::Registration steepest_registration_##area(#area, fn)
