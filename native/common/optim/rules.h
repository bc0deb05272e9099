// The update rules the fused step knows, one header each (the rule's math, its state slots and
// how it reads its hyperparameters: see rule.h). This list is the only place that names them
// all: the Kind codes, the N-API's `optimRules` export and each backend's dispatch expand it.
// Adding a rule: its header, and its line here.
#pragma once

#include "common/optim/adagrad.h"
#include "common/optim/adam.h"
#include "common/optim/rmsprop.h"
#include "common/optim/sgd.h"

#define SP_OPTIM_RULES(X) X(SgdRule) X(RmsPropRule) X(AdamRule) X(AdagradRule)

namespace steepest::optim {

#define SP_OPTIM_KIND(rule) rule,
enum class Kind : int { SP_OPTIM_RULES(SP_OPTIM_KIND) Count };
#undef SP_OPTIM_KIND

#define SP_OPTIM_SLOT_CHECK(rule) \
  static_assert(rule::kSlots.size() <= kMaxSlots, #rule " declares more state slots than the step passes");
SP_OPTIM_RULES(SP_OPTIM_SLOT_CHECK)
#undef SP_OPTIM_SLOT_CHECK

// Calls f(Rule{}) for the rule of `kind`; false for a kind out of range.
template <class F>
bool withRule(Kind kind, F&& f) {
  switch (kind) {
#define SP_OPTIM_CASE(rule) \
  case Kind::rule: f(rule{}); return true;
    SP_OPTIM_RULES(SP_OPTIM_CASE)
#undef SP_OPTIM_CASE
    default: return false;
  }
}

}  // namespace steepest::optim
