// Bindings for the fused optimizer step (plan: native/common/optim/plan.h, rules: native/common/optim/; CPU kernel:
// native/cpu/optim.h) and the copy-bandwidth yardstick.
//
// optimStep(kind, param, pOff, grad, gOff, s0, s0Off, s1, s1Off, s2, s2Off, length, table)
//   Arenas are `length` floats from their offsets; unused state slots may be null.
//   `table` is a Float64Array: a header (global options in, results out) followed by one row
//   per parameter group. Field positions are exported as `optimLayout`, so JS looks them up by
//   name and the two sides cannot disagree.
#include <napi.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "common/optim/plan.h"
#include "cpu/optim.h"
#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

using optim::Field;
using optim::Kind;
using optim::kHeaderSize;
using optim::kRowSize;

// Names, expanded from the lists in common/optim/table.h and common/optim/rules.h.
#define SP_NAME(name) #name,
const char* const kHeaderNames[] = {SP_OPTIM_HEADER_FIELDS(SP_NAME)};
const char* const kRowNames[] = {SP_OPTIM_ROW_FIELDS(SP_NAME)};
#undef SP_NAME
#define SP_RULE_NAME(rule) optim::rule::kName,
const char* const kKindNames[] = {SP_OPTIM_RULES(SP_RULE_NAME)};
#undef SP_RULE_NAME

Napi::Float64Array float64Array(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name) {
  const Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    args.failType(std::string(name) + " must be a Float64Array");
  }
  return v.As<Napi::Float64Array>();
}

// Shortest readable form of a number for messages ("8", "0.5", "nan").
std::string num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Checks what every rule relies on (finite numbers, a whole slice inside the arena, a positive
// Adam bias correction) and reads the shared options; the rule reads the rest from the row.
optim::Group readRow(const Args& args, const double* r, int index, int64_t length) {
  const std::string at = "group " + std::to_string(index) + ": ";
  for (int f = 0; f < kRowSize; ++f) {
    if (!std::isfinite(r[f])) args.failRange(at + kRowNames[f] + " must be finite, got " + num(r[f]));
  }
  const optim::Row row{r};
  const double offset = row[Field::offset], count = row[Field::count];
  if (offset < 0 || count < 0 || std::floor(offset) != offset || std::floor(count) != count ||
      offset + count > static_cast<double>(length)) {
    args.failRange(at + "slice [" + num(offset) + ", +" + num(count) +
                   ") must be whole numbers inside the arena of " + std::to_string(length));
  }
  if (row.f32(Field::bc2Sqrt) <= 0.f) args.failRange(at + "bc2Sqrt must be > 0");
  return optim::Group::of(row);
}

// { [name]: { code, slots: [{ name, when }] } }: what TypeScript needs to allocate, pass and
// save a rule's state (src/backend/optim_rules.ts), from the rules' own declarations.
Napi::Object ruleTable(Napi::Env env) {
  Napi::Object rules = Napi::Object::New(env);
  int code = 0;
#define SP_RULE_ENTRY(rule)                                                                      \
  {                                                                                              \
    Napi::Object entry = Napi::Object::New(env);                                                 \
    Napi::Array slots = Napi::Array::New(env);                                                   \
    uint32_t k = 0;                                                                              \
    for (const optim::Slot& slot : optim::rule::kSlots) {                                        \
      Napi::Object s = Napi::Object::New(env);                                                   \
      s.Set("name", slot.name);                                                                  \
      s.Set("when", slot.when == Field::Count ? env.Null()                                       \
                                              : Napi::String::New(env, kRowNames[static_cast<int>(slot.when)])); \
      slots.Set(k++, s);                                                                         \
    }                                                                                            \
    entry.Set("code", code++);                                                                   \
    entry.Set("slots", slots);                                                                   \
    rules.Set(optim::rule::kName, entry);                                                        \
  }
  SP_OPTIM_RULES(SP_RULE_ENTRY)
#undef SP_RULE_ENTRY
  return rules;
}

Napi::Value OptimStep(const Napi::CallbackInfo& info) {
  Args args(info, "optimStep");
  args.count(13, 13);
  const auto kind = static_cast<Kind>(args.integer(0, "kind", 0, static_cast<int>(Kind::Count) - 1));
  Args named(info, kKindNames[static_cast<int>(kind)]);
  const int64_t length = named.integer(11, "length");
  const Device device = named.runOnDeviceOf(1, "param arena");
  optim::Arenas arenas;
  arenas.length = length;
  arenas.param = named.f32(1, "param arena", length);
  arenas.grad = named.f32(3, "grad arena", length);
  const char* const stateNames[] = {"state 0", "state 1", "state 2"};
  for (int k = 0; k < 3; ++k) {
    if (!named.isNullish(5 + 2 * k)) arenas.state[k] = named.f32(5 + 2 * k, stateNames[k], length);
  }

  Napi::Float64Array table = float64Array(named, info, 12, "table");
  const size_t n = table.ElementLength();
  if (n < kHeaderSize || (n - kHeaderSize) % kRowSize != 0) {
    named.failRange("table must hold " + std::to_string(kHeaderSize) + " + k * " + std::to_string(kRowSize) +
                    " numbers, got " + std::to_string(n));
  }
  double* t = table.Data();
  using H = optim::HeaderField;
  auto head = [t](H f) -> double& { return t[static_cast<int>(f)]; };
  const int groupCount = static_cast<int>((n - kHeaderSize) / kRowSize);
  optim::Global global;
  if (std::isnan(head(H::clipValue)) || head(H::clipValue) <= 0) {
    named.failRange("clipValue must be > 0 (Infinity: off)");
  }
  if (!std::isfinite(head(H::clipNorm)) || head(H::clipNorm) < 0) named.failRange("clipNorm must be >= 0 (0: off)");
  global.clipValue = static_cast<float>(head(H::clipValue));
  global.clipNorm = head(H::clipNorm);
  global.checkFinite = head(H::checkFinite) != 0;

  // Reused between calls (N-API calls come on the JS thread): no heap traffic per step.
  static thread_local std::vector<optim::Group> groups;
  groups.clear();
  groups.reserve(groupCount);
  for (int k = 0; k < groupCount; ++k) {
    groups.push_back(readRow(named, t + kHeaderSize + k * kRowSize, k, length));
    for (int s = 0; s < 3; ++s) {
      if (optim::needsState(kind, groups.back().row, s) && arenas.state[s] == nullptr) {
        named.fail("group " + std::to_string(k) + " needs state " + std::to_string(s) + ", got null");
      }
    }
  }
  // Disjoint arenas: the kernel reads and writes them through restrict pointers, so a partial
  // overlap (one buffer at two offsets) is as wrong as the same memory twice.
  const void* ptrs[] = {arenas.param, arenas.grad, arenas.state[0], arenas.state[1], arenas.state[2]};
  for (int x = 0; x < 5; ++x) {
    for (int y = x + 1; y < 5; ++y) {
      if (ptrs[x] != nullptr && ptrs[y] != nullptr && overlaps(ptrs[x], length, ptrs[y], length)) {
        named.fail("arenas must not share memory");
      }
    }
  }

  optim::Result r;
  if (device == Device::Cuda) {
    // The CUDA driver reads the rows itself and writes the results into the header.
    cudaCheck(named, cudaLibrary().optim_step(static_cast<int>(kind), arenas.param, arenas.grad, arenas.state[0],
                                              arenas.state[1], arenas.state[2], length, t, groupCount));
    return Napi::Boolean::New(info.Env(), head(H::applied) != 0);
  }
  r = cpu::optimStep(kind, arenas, global, groups.data(), groupCount);
  head(H::gradNorm) = r.gradNorm;
  head(H::nonFiniteIndex) = static_cast<double>(r.nonFiniteIndex);
  head(H::applied) = r.applied ? 1 : 0;
  return Napi::Boolean::New(info.Env(), r.applied);
}

// copyFloats(dst, dstOff, src, srcOff, n)
Napi::Value CopyFloats(const Napi::CallbackInfo& info) {
  Args args(info, "copyFloats");
  args.count(5, 5);
  const int64_t n = args.integer(4, "n");
  float* dst = args.f32(0, "dst", n);
  const float* src = args.f32(2, "src", n);
  // Threads memcpy disjoint chunks: overlapping ranges would copy already overwritten data.
  if (overlaps(dst, n, src, n)) args.fail("dst and src must not share memory");
  cpu::copyFloats(dst, src, n);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("optimStep", Napi::Function::New(env, OptimStep, "optimStep"));
  exports.Set("copyFloats", Napi::Function::New(env, CopyFloats, "copyFloats"));
  exports.Set("optimKinds", enumObject(env, kKindNames, static_cast<int>(Kind::Count)));
  exports.Set("optimRules", ruleTable(env));
  Napi::Object layout = Napi::Object::New(env);
  layout.Set("header", enumObject(env, kHeaderNames, kHeaderSize));
  layout.Set("row", enumObject(env, kRowNames, kRowSize));
  layout.Set("headerSize", static_cast<int>(kHeaderSize));
  layout.Set("rowSize", static_cast<int>(kRowSize));
  exports.Set("optimLayout", layout);
}

}  // namespace

STEEPEST_REGISTER(optim, Init);

}  // namespace steepest::napi
