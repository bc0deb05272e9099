/* Reference side of `npm run bench:gemm`: times OpenBLAS sgemm. Compiled by bench/gemm/index.ts
 * at run time (cc -O2 ... -lopenblas -lpthread) and driven over stdin/stdout, one command per
 * line, so that our GEMM and OpenBLAS are measured alternately in the same run on the same data
 * shapes (the machine's FMA peak and clock come from the addon, native/cpu/fma_peak.h):
 *   gemm THREADS TRANSA TRANSB M N K ITERS   -> seconds for ITERS calls (after one warm-up)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The CBLAS entry points, declared here so the harness needs no particular header layout. */
enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
void cblas_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int n);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static float *randomMatrix(long n) {
  float *p = aligned_alloc(64, ((size_t)n * 4 + 63) / 64 * 64);
  unsigned s = 12345;
  for (long i = 0; i < n; i++) { s = s * 1664525u + 1013904223u; p[i] = (float)(s >> 8) / 16777216.0f - 0.5f; }
  return p;
}

static void gemmCommand(int threads, int ta, int tb, int m, int n, int k, long iters) {
  openblas_set_num_threads(threads);
  float *a = randomMatrix((long)m * k), *b = randomMatrix((long)k * n), *c = randomMatrix((long)m * n);
  int lda = ta ? m : k, ldb = tb ? k : n;
  cblas_sgemm(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, 1.f, a, lda, b, ldb, 0.f, c, n);
  double t0 = now();
  for (long i = 0; i < iters; i++)
    cblas_sgemm(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, 1.f, a, lda, b, ldb, 0.f, c, n);
  printf("%.9f\n", now() - t0);
  free(a); free(b); free(c);
}

int main(void) {
  char line[256];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    int threads, ta, tb, m, n, k;
    long iters;
    if (sscanf(line, "gemm %d %d %d %d %d %d %ld", &threads, &ta, &tb, &m, &n, &k, &iters) == 7) {
      gemmCommand(threads, ta, tb, m, n, k, iters);
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      printf("error: unknown command\n");
    }
  }
  return 0;
}
