// Single-precision kernels for the MLP's layers, with runtime dispatch on the CPU's features.
//
// Every matrix is row-major. One call of `cmk_linear_forward` is a whole layer's forward rule
// (Y = X Wᵀ + b, optionally followed by SiLU), one call of `cmk_linear_backward` its backward
// rule (∂L/∂W = dYᵀ X, ∂L/∂b = Σ_rows dY, and optionally ∂L/∂X = dY W times the previous
// layer's SiLU derivative). Each kernel exists in three versions compiled from the same source:
//
//   CMK_PATH_PORTABLE  generic C vectors of 4 floats, any CPU
//   CMK_PATH_AVX2      8-float vectors, compiled with target("avx2,fma")
//   CMK_PATH_AVX512F   16-float vectors, compiled with target("avx512f")
//
// and the caller picks one by number; `cmk_best_path` says which the CPU runs fastest, from
// `__builtin_cpu_supports`. No call allocates memory: the caller passes a scratch buffer of
// `cmk_scratch_floats(fanIn, fanOut)` floats for the packed weights.
#ifndef CMKERNELS_H
#define CMKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  CMK_PATH_PORTABLE = 0,
  CMK_PATH_AVX2 = 1,
  CMK_PATH_AVX512F = 2,
};

/// 1 if this CPU can run `path` (portable: always), else 0.
int cmk_path_available(int path);

/// The fastest path this CPU can run.
int cmk_best_path(void);

/// A short name of a path: "portable", "avx2", "avx512f".
const char *cmk_path_name(int path);

/// The number of floats of scratch one call for a layer fanIn → fanOut needs.
size_t cmk_scratch_floats(int fanIn, int fanOut);

/// Y (rows × fanOut) = X (rows × fanIn) · Wᵀ + b, W fanOut × fanIn. If `sigma` is not NULL,
/// then Y ← s(Y) = Y·σ(Y) (SiLU) and sigma ← σ(Y), both rows × fanOut. `y` must not overlap
/// `x`, `w`, `b`.
void cmk_linear_forward(
    int path, int rows, int fanIn, int fanOut, const float *x, const float *w, const float *b,
    float *y, float *sigma, float *scratch);

/// From dY (rows × fanOut): dW = dYᵀ X (fanOut × fanIn), db = Σ_rows dY (fanOut), both
/// overwritten; if `dx` is not NULL, dX = dY W (rows × fanIn), and if also `s` and `sigma` are
/// not NULL (the previous layer's SiLU output and σ, rows × fanIn), dX ← dX ⊙ (σ + s·(1 − σ)).
void cmk_linear_backward(
    int path, int rows, int fanIn, int fanOut, const float *dy, const float *x, const float *w,
    float *dw, float *db, float *dx, const float *s, const float *sigma, float *scratch);

/// One Adam step on `count` parameters: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g·g,
/// θ ← θ − α·(c₁m) / (√max(c₂v, 0) + ε), with c₁, c₂ the bias corrections. The operations and
/// their order are CMNetwork's Adam loop, without fused multiply-adds: every path gives its bits.
void cmk_adam_step(
    int path, long count, float *theta, const float *g, float *m, float *v, float b1, float b2,
    float c1, float c2, float alpha, float eps);

#ifdef __cplusplus
}
#endif

#endif
