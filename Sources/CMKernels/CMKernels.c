// Dispatch: one copy of kernels_impl.h per path, compiled with that path's target attribute, and
// a switch on the path number in each public function.
#include "CMKernels.h"

#include <stddef.h>

enum { CMK_EPI_NONE = 0, CMK_EPI_SILU = 1, CMK_EPI_DSILU = 2 };

/// Output widths up to this use dot products instead of register tiles (the last layer, d = 2).
#define CMK_NARROW 4

// Portable: 4-float generic vectors (SSE2 on x86-64, NEON on arm64, scalar code elsewhere).
#define SUFFIX portable
#define VW 4
#define MR 4
#define NV 2
#define TARGET
#include "kernels_impl.h"
#undef SUFFIX
#undef VW
#undef MR
#undef NV
#undef TARGET

#if defined(__x86_64__)
#define CMK_X86 1
// AVX2 + FMA: 16 ymm registers, a 4 × 16 tile (8 accumulators). A 6 × 16 tile gave 650 CT steps/s
// against 4 × 16's 810–850 (`CM_KERNELS=avx2 cm bench --steps 1000 --runs 3 --no-peak`, AMD EPYC).
#define SUFFIX avx2
#define VW 8
#ifndef CMK_AVX2_MR
#define CMK_AVX2_MR 4
#define CMK_AVX2_NV 2
#endif
#define MR CMK_AVX2_MR
#define NV CMK_AVX2_NV
#define TARGET __attribute__((target("avx2,fma")))
#include "kernels_impl.h"
#undef SUFFIX
#undef VW
#undef MR
#undef NV
#undef TARGET

// AVX-512F: 32 zmm registers, an 8 × 32 tile (16 accumulators).
#define SUFFIX avx512f
#define VW 16
#ifndef CMK_AVX512_MR
#define CMK_AVX512_MR 8
#define CMK_AVX512_NV 2
#endif
#define MR CMK_AVX512_MR
#define NV CMK_AVX512_NV
#define TARGET __attribute__((target("avx512f,avx2,fma")))
#include "kernels_impl.h"
#undef SUFFIX
#undef VW
#undef MR
#undef NV
#undef TARGET
#else
#define CMK_X86 0
#endif

int cmk_path_available(int path) {
  switch (path) {
  case CMK_PATH_PORTABLE: return 1;
#if CMK_X86
  case CMK_PATH_AVX2:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case CMK_PATH_AVX512F:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#endif
  default: return 0;
  }
}

int cmk_best_path(void) {
  if (cmk_path_available(CMK_PATH_AVX512F)) return CMK_PATH_AVX512F;
  if (cmk_path_available(CMK_PATH_AVX2)) return CMK_PATH_AVX2;
  return CMK_PATH_PORTABLE;
}

const char *cmk_path_name(int path) {
  switch (path) {
  case CMK_PATH_PORTABLE: return "portable";
  case CMK_PATH_AVX2: return "avx2";
  case CMK_PATH_AVX512F: return "avx512f";
  default: return "unknown";
  }
}

/// n rounded up to whole panels of any path (NR ≤ 64 floats).
static size_t cmk_padded(int n) { return (size_t)n + 64; }

size_t cmk_scratch_floats(int fanIn, int fanOut) {
  size_t forward = cmk_padded(fanOut) * ((size_t)fanIn + 1);
  size_t backward = cmk_padded(fanIn) * (size_t)fanOut;
  return forward > backward ? forward : backward;
}

void cmk_linear_forward(
    int path, int rows, int fanIn, int fanOut, const float *x, const float *w, const float *b,
    float *y, float *sigma, float *scratch) {
  if (rows <= 0 || fanIn <= 0 || fanOut <= 0) return;
  switch (path) {
#if CMK_X86
  case CMK_PATH_AVX512F:
    linear_forward_avx512f(rows, fanIn, fanOut, x, w, b, y, sigma, scratch);
    return;
  case CMK_PATH_AVX2:
    linear_forward_avx2(rows, fanIn, fanOut, x, w, b, y, sigma, scratch);
    return;
#endif
  default: linear_forward_portable(rows, fanIn, fanOut, x, w, b, y, sigma, scratch);
  }
}

void cmk_linear_backward(
    int path, int rows, int fanIn, int fanOut, const float *dy, const float *x, const float *w,
    float *dw, float *db, float *dx, const float *s, const float *sigma, float *scratch) {
  if (fanIn <= 0 || fanOut <= 0) return;
  switch (path) {
#if CMK_X86
  case CMK_PATH_AVX512F:
    linear_backward_avx512f(rows, fanIn, fanOut, dy, x, w, dw, db, dx, s, sigma, scratch);
    return;
  case CMK_PATH_AVX2:
    linear_backward_avx2(rows, fanIn, fanOut, dy, x, w, dw, db, dx, s, sigma, scratch);
    return;
#endif
  default: linear_backward_portable(rows, fanIn, fanOut, dy, x, w, dw, db, dx, s, sigma, scratch);
  }
}

void cmk_adam_step(
    int path, long count, float *theta, const float *g, float *m, float *v, float b1, float b2,
    float c1, float c2, float alpha, float eps) {
  switch (path) {
#if CMK_X86
  case CMK_PATH_AVX512F:
    adam_step_avx512f(count, theta, g, m, v, b1, b2, c1, c2, alpha, eps);
    return;
  case CMK_PATH_AVX2:
    adam_step_avx2(count, theta, g, m, v, b1, b2, c1, c2, alpha, eps);
    return;
#endif
  default: adam_step_portable(count, theta, g, m, v, b1, b2, c1, c2, alpha, eps);
  }
}
