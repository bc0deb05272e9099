#include "cpu/cholesky.h"

#include <cmath>
#include <vector>

namespace steepest::cpu {
namespace {

// sum_k x[k] y[k] with four partial sums: without -ffast-math the compiler keeps one serial
// chain, and the Crout loop is all dot products of rows.
inline double dot(const double* x, const double* y, int64_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += x[k] * y[k];
    s1 += x[k + 1] * y[k + 1];
    s2 += x[k + 2] * y[k + 2];
    s3 += x[k + 3] * y[k + 3];
  }
  for (; k < n; ++k) s0 += x[k] * y[k];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

// Cholesky–Crout by rows: L[i][j] = (A[i][j] - L[i][:j] . L[j][:j]) / L[j][j], and
// L[i][i] = sqrt(A[i][i] - |L[i][:i]|^2). Both rows are contiguous in row-major storage.
bool choleskyF64(double* a, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double* li = a + i * n;
    for (int64_t j = 0; j < i; ++j) {
      const double* lj = a + j * n;
      li[j] = (li[j] - dot(li, lj, j)) / lj[j];
    }
    const double d = li[i] - dot(li, li, i);
    if (!(d > 0) || !std::isfinite(d)) return false;
    li[i] = std::sqrt(d);
    for (int64_t j = i + 1; j < n; ++j) li[j] = 0;
  }
  return true;
}

// Forward substitution row by row (X[i] = (B[i] - sum_k L[i][k] X[k]) / L[i][i]) and back
// substitution with L^T (X[i] = (B[i] - sum_{k>i} L[k][i] X[k]) / L[i][i]); each step updates a
// whole row of B, so the inner loop runs over the m right-hand sides contiguously.
void triangularSolveF64(const double* l, int64_t n, double* b, int64_t m, bool transpose) {
  if (!transpose) {
    for (int64_t i = 0; i < n; ++i) {
      double* bi = b + i * m;
      for (int64_t k = 0; k < i; ++k) {
        const double lik = l[i * n + k];
        if (lik == 0) continue;
        const double* bk = b + k * m;
        for (int64_t c = 0; c < m; ++c) bi[c] -= lik * bk[c];
      }
      const double inv = 1.0 / l[i * n + i];
      for (int64_t c = 0; c < m; ++c) bi[c] *= inv;
    }
  } else {
    for (int64_t i = n - 1; i >= 0; --i) {
      double* bi = b + i * m;
      for (int64_t k = i + 1; k < n; ++k) {
        const double lki = l[k * n + i];
        if (lki == 0) continue;
        const double* bk = b + k * m;
        for (int64_t c = 0; c < m; ++c) bi[c] -= lki * bk[c];
      }
      const double inv = 1.0 / l[i * n + i];
      for (int64_t c = 0; c < m; ++c) bi[c] *= inv;
    }
  }
}

// A^-1 = L^-T L^-1: invert L by forward substitution on the identity, then form W^T W with
// W = L^-1 (lower triangular), i.e. out[i][j] = sum_{k >= max(i,j)} W[k][i] W[k][j].
void choleskyInverseF64(const double* l, int64_t n, double* out) {
  std::vector<double> w(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) w[i * n + i] = 1.0;
  triangularSolveF64(l, n, w.data(), n, false);
  // W^T W row by row: out[i] = sum_k W[k][i] * W[k], over k >= i (W[k][i] = 0 for k < i).
  for (int64_t i = 0; i < n * n; ++i) out[i] = 0;
  for (int64_t k = 0; k < n; ++k) {
    const double* wk = w.data() + k * n;
    for (int64_t i = 0; i <= k; ++i) {
      const double wki = wk[i];
      if (wki == 0) continue;
      double* oi = out + i * n;
      for (int64_t j = 0; j <= k; ++j) oi[j] += wki * wk[j];
    }
  }
}

}  // namespace steepest::cpu
