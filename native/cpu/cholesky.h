// Dense float64 Cholesky factorization and triangular solves, for the Gaussian-process sampler
// of the tuner (src/tune/gp/): its kernel matrices are small (n = finished trials, up to a few
// thousand) and symmetric positive definite, and it factors one per marginal-likelihood
// evaluation, so this is the O(n^3) part of a suggestion. Row-major, lower triangle.
#pragma once
#include <cstdint>

namespace steepest::cpu {

// A = L L^T in place: on return the lower triangle of a (n x n, row-major) holds L and the
// strict upper triangle is zeroed. Returns false, leaving a partly overwritten, when a pivot
// is <= 0 or not finite (A not numerically positive definite).
bool choleskyF64(double* a, int64_t n);

// Solves L X = B (transpose false) or L^T X = B (transpose true) in place for B (n x m,
// row-major), L lower triangular (n x n) with a nonzero diagonal.
void triangularSolveF64(const double* l, int64_t n, double* b, int64_t m, bool transpose);

// out = A^-1 = L^-T L^-1 (n x n, full symmetric), from the factor L of A.
void choleskyInverseF64(const double* l, int64_t n, double* out);

}  // namespace steepest::cpu
