/* Reference side of `npm run bench:gemm`: times OpenBLAS sgemm and measures the machine's fp32
 * FMA peak. Compiled by bench/gemm/index.ts at run time (cc -O2 ... -lopenblas -lpthread) and
 * driven over stdin/stdout, one command per line, so that our GEMM and OpenBLAS are measured
 * alternately in the same run on the same data shapes:
 *   gemm THREADS TRANSA TRANSB M N K ITERS   -> seconds for ITERS calls (after one warm-up)
 *   peak THREADS ITERS                       -> GFLOP/s of an AVX-512 (else AVX2) FMA loop
 *   clock                                    -> GHz from a dependent integer-add chain
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>

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

/* 12 independent accumulator chains cover the FMA latency (4 cycles) on both FMA ports. */
#define STEP(f) a0 = f(a0, x, y); a1 = f(a1, x, y); a2 = f(a2, x, y); a3 = f(a3, x, y); \
  a4 = f(a4, x, y); a5 = f(a5, x, y); a6 = f(a6, x, y); a7 = f(a7, x, y); \
  a8 = f(a8, x, y); a9 = f(a9, x, y); a10 = f(a10, x, y); a11 = f(a11, x, y)

__attribute__((target("avx512f"))) static float fma512(long iters) {
  /* Distinct starting values: identical chains would be merged into one by the compiler. */
  __m512 a0 = _mm512_set1_ps(0), a1 = _mm512_set1_ps(1), a2 = _mm512_set1_ps(2), a3 = _mm512_set1_ps(3),
         a4 = _mm512_set1_ps(4), a5 = _mm512_set1_ps(5), a6 = _mm512_set1_ps(6), a7 = _mm512_set1_ps(7),
         a8 = _mm512_set1_ps(8), a9 = _mm512_set1_ps(9), a10 = _mm512_set1_ps(10), a11 = _mm512_set1_ps(11),
         x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < iters; i++) {
    STEP(_mm512_fmadd_ps);
    __asm__ volatile("" : "+v"(x), "+v"(y));
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                           _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) static float fma256(long iters) {
  __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3),
         a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7),
         a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9), a10 = _mm256_set1_ps(10), a11 = _mm256_set1_ps(11),
         x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < iters; i++) {
    STEP(_mm256_fmadd_ps);
    __asm__ volatile("" : "+x"(x), "+x"(y));
  }
  float t[8];
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                           _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
  s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  _mm256_storeu_ps(t, s);
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}

static int wide;  /* 1: AVX-512 loop, 0: AVX2 loop */
static long peakIters;
static volatile float sink;
static void *peakThread(void *arg) {
  (void)arg;
  sink = wide ? fma512(peakIters) : fma256(peakIters);
  return NULL;
}

static void peakCommand(int threads, long iters) {
  __builtin_cpu_init();
  wide = __builtin_cpu_supports("avx512f");
  peakIters = iters;
  pthread_t tids[64];
  if (threads > 64) threads = 64;
  double t0 = now();
  for (int i = 1; i < threads; i++) pthread_create(&tids[i], NULL, peakThread, NULL);
  peakThread(NULL);
  for (int i = 1; i < threads; i++) pthread_join(tids[i], NULL);
  double t = now() - t0;
  printf("%.3f %s\n", (double)iters * threads * 12 * (wide ? 16 : 8) * 2 / t / 1e9, wide ? "avx512" : "avx2");
}

static void clockCommand(void) {
  unsigned long x = 0, iters = 2000000;
  double t0 = now();
  for (unsigned long i = 0; i < iters; i++) {
#define A10 "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" \
            "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t"
    __asm__ volatile(A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 : "+r"(x));
  }
  printf("%.3f\n", iters * 100.0 / (now() - t0) / 1e9);
}

int main(void) {
  char line[256];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    int threads, ta, tb, m, n, k;
    long iters;
    if (sscanf(line, "gemm %d %d %d %d %d %d %ld", &threads, &ta, &tb, &m, &n, &k, &iters) == 7) {
      gemmCommand(threads, ta, tb, m, n, k, iters);
    } else if (sscanf(line, "peak %d %ld", &threads, &iters) == 2) {
      peakCommand(threads, iters);
    } else if (strncmp(line, "clock", 5) == 0) {
      clockCommand();
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      printf("error: unknown command\n");
    }
  }
  return 0;
}
