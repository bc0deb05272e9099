// The fused step's table as native code reads it: the field lists (the one native declaration,
// X-macros expanded below into field positions and names) and a read-only view of one group's
// row. src/backend/step_layout.ts declares the same lists for TypeScript; the CPU backend
// compares the two when it loads, and test/optim/step_layout.test.ts reads this file, so
// neither side can drift alone.
//
// Adding a hyperparameter: its name here and in step_layout.ts, its use in the rule that reads
// it (rules take their values from the Row by name: no struct field, no conversion elsewhere).
#pragma once
#include <cstdint>

#define SP_OPTIM_HEADER_FIELDS(X) X(clipValue) X(clipNorm) X(checkFinite) X(gradNorm) X(nonFiniteIndex) X(applied)
#define SP_OPTIM_ROW_FIELDS(X)                                                                                     \
  X(offset) X(count) X(lr) X(weightDecay) X(decayFactor) X(l1) X(l1Shrink) X(proximal) X(maximize) X(momentum)   \
  X(dampening) X(nesterov) X(firstStep) X(alpha) X(epsIn) X(centered) X(eps) X(beta1) X(beta2) X(stepSize)        \
  X(bc2Sqrt) X(amsgrad) X(clr)

namespace steepest::optim {

#define SP_OPTIM_ENUM(name) name,
enum class HeaderField : int { SP_OPTIM_HEADER_FIELDS(SP_OPTIM_ENUM) Count };
enum class Field : int { SP_OPTIM_ROW_FIELDS(SP_OPTIM_ENUM) Count };
#undef SP_OPTIM_ENUM

constexpr int kHeaderSize = static_cast<int>(HeaderField::Count);
constexpr int kRowSize = static_cast<int>(Field::Count);

// One group's row of the table (doubles, as JS wrote them; booleans are 0/1). Rules read their
// hyperparameters from it by field and round to float once, after any arithmetic in double.
struct Row {
  const double* values = nullptr;

  double operator[](Field f) const { return values[static_cast<int>(f)]; }
  bool flag(Field f) const { return (*this)[f] != 0.0; }
  float f32(Field f) const { return static_cast<float>((*this)[f]); }
  // 1 - x in double, then rounded: 1 - 0.999f in float is 4.7e-5 off 0.001.
  float oneMinus(Field f) const { return static_cast<float>(1.0 - (*this)[f]); }
};

}  // namespace steepest::optim
