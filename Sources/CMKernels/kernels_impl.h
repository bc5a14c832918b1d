// The kernels of one dispatch path, written once over a vector of VW floats. CMKernels.c includes
// this file once per path after defining:
//   SUFFIX  the path's name, appended to every function name
//   VW      floats per vector (4, 8, 16)
//   MR      rows of a register tile
//   NV      vectors per tile row (a tile is MR × NR floats, NR = NV·VW)
//   TARGET  the function attribute that enables the path's instructions (empty for portable)
//
// The register tile accumulates C[i, j] += A[i, k]·B[k, j] over k: per k, NV vector loads of a row
// of B, MR broadcasts of A, MR·NV fused multiply-adds. The same tile serves the three products
// of a layer: forward (A = X, B = Wᵀ packed), ∂L/∂X (A = dY, B = W, read in place when its rows
// are whole panels and at most 256 floats long, else packed) and ∂L/∂W (A = dYᵀ read with strides,
// B = X read in place).

#define CMK_CAT2(a, b) a##_##b
#define CMK_CAT(a, b) CMK_CAT2(a, b)
#define FN(name) CMK_CAT(name, SUFFIX)
#define NR (NV * VW)
#define V FN(vf)
#define VI FN(vi)
#define INL static inline __attribute__((always_inline)) TARGET

typedef float V __attribute__((ext_vector_type(VW)));
typedef int VI __attribute__((ext_vector_type(VW)));

INL V FN(load)(const float *p) {
  V v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

INL void FN(store)(float *p, V v) { __builtin_memcpy(p, &v, sizeof v); }

/// The first n ≤ VW floats at p, the other lanes 0.
INL V FN(load_n)(const float *p, int n) {
  if (n == VW) return FN(load)(p);
  V v = 0;
  for (int l = 0; l < n; l++) v[l] = p[l];
  return v;
}

/// Stores the first n ≤ VW lanes of v at p.
INL void FN(store_n)(float *p, V v, int n) {
  if (n == VW) {
    FN(store)(p, v);
    return;
  }
  for (int l = 0; l < n; l++) p[l] = v[l];
}

/// e^x lane by lane: the Cody–Waite reduction and Cephes polynomial of CMNetwork's `fastExp`.
INL V FN(vexp)(V x) {
  x = __builtin_elementwise_min(x, (V)88.37626f);
  x = __builtin_elementwise_max(x, (V)-87.33654f);
  V shifted = x * 1.44269504f + 12582912.0f;
  V n = shifted - 12582912.0f;
  V r = x - n * 0.693359375f - n * -2.12194440e-4f;
  V p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  V er = p * (r * r) + r + 1.0f;
  VI bits = ((VI)shifted - 0x4B400000 + 127) << 23;
  return er * (V)bits;
}

/// acc[i][·] = Σ_k A[i·ai + k·ak] · B[k·ldb + 0 … NR) for i < mr (mr ≤ MR, constant when
/// inlined, so the loops unroll and acc stays in registers).
INL void FN(tile)(
    int mr, int K, const float *A, ptrdiff_t ai, ptrdiff_t ak, const float *B, ptrdiff_t ldb,
    V acc[MR][NV]) {
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NV; j++) acc[i][j] = 0;
  for (int k = 0; k < K; k++) {
    V b[NV];
    for (int j = 0; j < NV; j++) b[j] = FN(load)(B + k * ldb + j * VW);
    for (int i = 0; i < mr; i++) {
      V a = A[i * ai + k * ak];
      for (int j = 0; j < NV; j++) acc[i][j] += a * b[j];
    }
  }
}

/// Writes a tile of C (rows r0 …, columns c0 … c0 + NR, clipped at N) after adding the padded
/// bias and applying the epilogue: SiLU (C ← s, sigOut ← σ) or its derivative
/// (C ← C ⊙ (σ + s·(1 − σ)) from sIn, sigIn).
INL void FN(epilogue)(
    int mr, int r0, int c0, int N, V acc[MR][NV], const float *biasp, float *C, int ldc, int epi,
    float *sigOut, const float *sIn, const float *sigIn) {
  for (int i = 0; i < mr; i++) {
    for (int j = 0; j < NV; j++) {
      int c = c0 + j * VW;
      if (c >= N) break;
      int n = N - c < VW ? N - c : VW;
      V v = acc[i][j];
      if (biasp) v += FN(load)(biasp + c);
      size_t off = (size_t)(r0 + i) * (size_t)ldc + (size_t)c;
      if (epi == CMK_EPI_SILU) {
        V sg = 1.0f / (1.0f + FN(vexp)(-v));
        v = v * sg;
        FN(store_n)(sigOut + off, sg, n);
      } else if (epi == CMK_EPI_DSILU) {
        V s = FN(load_n)(sIn + off, n);
        V sg = FN(load_n)(sigIn + off, n);
        v *= sg + s * (1.0f - sg);
      }
      FN(store_n)(C + off, v, n);
    }
  }
}

#if VW > 4
/// rows ← rowsᵀ, a VW × VW block: log₂ VW stages; the stage of half-width h swaps, in each pair of
/// rows (i, i + h), the upper h-lane halves of its 2h-lane groups of row i with the lower ones of
/// row i + h (the block transpose [[A B] [C D]]ᵀ = [[Aᵀ Cᵀ] [Bᵀ Dᵀ]], applied recursively).
INL void FN(transpose)(V rows[VW]) {
#if VW == 16
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 16) {
#pragma unroll
    for (int i = i0; i < i0 + 8; i++) {
      V a = rows[i], b = rows[i + 8];
      rows[i] = __builtin_shufflevector(
          a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
      rows[i + 8] = __builtin_shufflevector(
          a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    }
  }
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 8) {
#pragma unroll
    for (int i = i0; i < i0 + 4; i++) {
      V a = rows[i], b = rows[i + 4];
      rows[i] = __builtin_shufflevector(
          a, b, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
      rows[i + 4] = __builtin_shufflevector(
          a, b, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    }
  }
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 4) {
#pragma unroll
    for (int i = i0; i < i0 + 2; i++) {
      V a = rows[i], b = rows[i + 2];
      rows[i] = __builtin_shufflevector(
          a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
      rows[i + 2] = __builtin_shufflevector(
          a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    }
  }
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 2) {
#pragma unroll
    for (int i = i0; i < i0 + 1; i++) {
      V a = rows[i], b = rows[i + 1];
      rows[i] = __builtin_shufflevector(
          a, b, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
      rows[i + 1] = __builtin_shufflevector(
          a, b, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
    }
  }
#elif VW == 8
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 8) {
#pragma unroll
    for (int i = i0; i < i0 + 4; i++) {
      V a = rows[i], b = rows[i + 4];
      rows[i] = __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11);
      rows[i + 4] = __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
    }
  }
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 4) {
#pragma unroll
    for (int i = i0; i < i0 + 2; i++) {
      V a = rows[i], b = rows[i + 2];
      rows[i] = __builtin_shufflevector(a, b, 0, 1, 8, 9, 4, 5, 12, 13);
      rows[i + 2] = __builtin_shufflevector(a, b, 2, 3, 10, 11, 6, 7, 14, 15);
    }
  }
#pragma unroll
  for (int i0 = 0; i0 < VW; i0 += 2) {
#pragma unroll
    for (int i = i0; i < i0 + 1; i++) {
      V a = rows[i], b = rows[i + 1];
      rows[i] = __builtin_shufflevector(a, b, 0, 8, 2, 10, 4, 12, 6, 14);
      rows[i + 1] = __builtin_shufflevector(a, b, 1, 9, 3, 11, 5, 13, 7, 15);
    }
  }
#else
#error "transpose: VW must be 8 or 16"
#endif
}
#endif

/// Bp ← the K × N matrix S(k, n) = S[k·sk + n·sn] in panels of NR columns (panel p holds
/// columns p·NR …, row after row), zero beyond column N.
static TARGET void FN(pack)(int K, int N, const float *S, ptrdiff_t sk, ptrdiff_t sn, float *Bp) {
  int panels = (N + NR - 1) / NR;
#if VW > 4
  // Wᵀ (sk = 1) of whole blocks: VW × VW blocks transposed in registers (`transpose`), several
  // times faster than the element loop below, which takes every other case.
  if (sk == 1 && K % VW == 0 && N % NR == 0) {
    for (int p = 0; p < panels; p++)
      for (int k0 = 0; k0 < K; k0 += VW)
        for (int j = 0; j < NV; j++) {
          V rows[VW];
          for (int i = 0; i < VW; i++) rows[i] = FN(load)(S + (ptrdiff_t)(p * NR + j * VW + i) * sn + k0);
          FN(transpose)(rows);
          for (int i = 0; i < VW; i++)
            FN(store)(Bp + ((size_t)p * (size_t)K + (size_t)(k0 + i)) * NR + (size_t)j * VW, rows[i]);
        }
    return;
  }
#endif
  for (int p = 0; p < panels; p++) {
    for (int k = 0; k < K; k++) {
      float *d = Bp + ((size_t)p * (size_t)K + (size_t)k) * NR;
      for (int j = 0; j < NR; j++) {
        int n = p * NR + j;
        d[j] = n < N ? S[k * sk + n * sn] : 0.0f;
      }
    }
  }
}

/// C (M × N) = A (M × K) · B + bias, then the epilogue. B is read in panels of NR columns: panel p
/// starts at Bp + p·panelStride, its row k at k·ldb. Packed by `pack`: panelStride = K·NR,
/// ldb = NR; a row-major K × N matrix read in place (N a multiple of NR): panelStride = NR,
/// ldb = N.
static TARGET void FN(gemm_packed)(
    int M, int N, int K, const float *A, int lda, const float *Bp, ptrdiff_t panelStride,
    ptrdiff_t ldb, const float *biasp, float *C, int ldc, int epi, float *sigOut, const float *sIn,
    const float *sigIn) {
  int panels = (N + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    const float *B = Bp + (size_t)p * (size_t)panelStride;
    int c0 = p * NR;
    int r = 0;
    for (; r + MR <= M; r += MR) {
      V acc[MR][NV];
      FN(tile)(MR, K, A + (size_t)r * (size_t)lda, lda, 1, B, ldb, acc);
      FN(epilogue)(MR, r, c0, N, acc, biasp, C, ldc, epi, sigOut, sIn, sigIn);
    }
    for (; r < M; r++) {
      V acc[MR][NV];
      FN(tile)(1, K, A + (size_t)r * (size_t)lda, lda, 1, B, ldb, acc);
      FN(epilogue)(1, r, c0, N, acc, biasp, C, ldc, epi, sigOut, sIn, sigIn);
    }
  }
}

/// C (M × N, N small) = A (M × K) · Btᵀ + bias, Bt N × K: one dot product per entry, vectorised
/// along K; then the epilogue, one number at a time.
static TARGET void FN(gemm_narrow)(
    int M, int N, int K, const float *A, int lda, const float *Bt, int ldbt, const float *bias,
    float *C, int ldc, int epi, float *sigOut, const float *sIn, const float *sigIn) {
  for (int r = 0; r < M; r++) {
    const float *a = A + (size_t)r * (size_t)lda;
    for (int j = 0; j < N; j++) {
      const float *bt = Bt + (size_t)j * (size_t)ldbt;
      V acc = 0;
      int k = 0;
      for (; k + VW <= K; k += VW) acc += FN(load)(a + k) * FN(load)(bt + k);
      float sum = 0;
      for (int l = 0; l < VW; l++) sum += acc[l];
      for (; k < K; k++) sum += a[k] * bt[k];
      if (bias) sum += bias[j];
      size_t off = (size_t)r * (size_t)ldc + (size_t)j;
      if (epi == CMK_EPI_SILU) {
        // The vector e^x on a broadcast number: one formula for both kinds of kernel.
        float sg = 1.0f / (1.0f + FN(vexp)((V)(-sum))[0]);
        sigOut[off] = sg;
        sum *= sg;
      } else if (epi == CMK_EPI_DSILU) {
        sum *= sigIn[off] + sIn[off] * (1.0f - sigIn[off]);
      }
      C[off] = sum;
    }
  }
}

static TARGET void FN(linear_forward)(
    int rows, int fanIn, int fanOut, const float *x, const float *w, const float *b, float *y,
    float *sigma, float *scratch) {
  int epi = sigma ? CMK_EPI_SILU : CMK_EPI_NONE;
  if (fanOut <= CMK_NARROW) {
    FN(gemm_narrow)(rows, fanOut, fanIn, x, fanIn, w, fanIn, b, y, fanOut, epi, sigma, 0, 0);
    return;
  }
  // Wᵀ (fanIn × fanOut) packed, then the bias padded to whole panels.
  FN(pack)(fanIn, fanOut, w, 1, fanIn, scratch);
  int padded = (fanOut + NR - 1) / NR * NR;
  float *biasp = scratch + (size_t)padded * (size_t)fanIn;
  for (int n = 0; n < padded; n++) biasp[n] = n < fanOut ? b[n] : 0.0f;
  FN(gemm_packed)(
      rows, fanOut, fanIn, x, fanIn, scratch, (ptrdiff_t)fanIn * NR, NR, biasp, y, fanOut, epi, sigma,
      0, 0);
}

static TARGET void FN(linear_backward)(
    int rows, int fanIn, int fanOut, const float *dy, const float *x, const float *w, float *dw,
    float *db, float *dx, const float *s, const float *sigma, float *scratch) {
  // ∂L/∂W[n, k] = Σ_r dY[r, n]·X[r, k]: tiles of MR rows n × NR columns k, summed over r.
  int kFull = fanIn / NR * NR;
  for (int k0 = 0; k0 < kFull; k0 += NR) {
    int n = 0;
    for (; n + MR <= fanOut; n += MR) {
      V acc[MR][NV];
      FN(tile)(MR, rows, dy + n, 1, fanOut, x + k0, fanIn, acc);
      for (int i = 0; i < MR; i++)
        for (int j = 0; j < NV; j++) FN(store)(dw + (size_t)(n + i) * fanIn + k0 + j * VW, acc[i][j]);
    }
    for (; n < fanOut; n++) {
      V acc[MR][NV];
      FN(tile)(1, rows, dy + n, 1, fanOut, x + k0, fanIn, acc);
      for (int j = 0; j < NV; j++) FN(store)(dw + (size_t)n * fanIn + k0 + j * VW, acc[0][j]);
    }
  }
  // The remaining columns k (all of them when fanIn < NR, as in the first layer): vectors along n.
  for (int n0 = 0; n0 < fanOut; n0 += VW) {
    int count = fanOut - n0 < VW ? fanOut - n0 : VW;
    for (int k = kFull; k < fanIn; k++) {
      V acc = 0;
      for (int r = 0; r < rows; r++)
        acc += FN(load_n)(dy + (size_t)r * fanOut + n0, count) * x[(size_t)r * fanIn + k];
      for (int l = 0; l < count; l++) dw[(size_t)(n0 + l) * fanIn + k] = acc[l];
    }
    // ∂L/∂b[n] = Σ_r dY[r, n]
    V acc = 0;
    for (int r = 0; r < rows; r++) acc += FN(load_n)(dy + (size_t)r * fanOut + n0, count);
    FN(store_n)(db + n0, acc, count);
  }
  if (!dx) return;
  // ∂L/∂X = dY W, times the previous layer's SiLU derivative when given.
  int epi = (s && sigma) ? CMK_EPI_DSILU : CMK_EPI_NONE;
  if (fanIn <= CMK_NARROW) {
    // Wᵀ row by row (fanIn × fanOut), for dot products along n.
    for (int k = 0; k < fanIn; k++)
      for (int n = 0; n < fanOut; n++) scratch[(size_t)k * fanOut + n] = w[(size_t)n * fanIn + k];
    FN(gemm_narrow)(rows, fanIn, fanOut, dy, fanOut, scratch, fanOut, 0, dx, fanIn, epi, 0, s, sigma);
    return;
  }
  if (fanIn % NR == 0 && fanIn <= 256) {
    // W is already the K × N = fanOut × fanIn row-major matrix the tile reads: no copy. (For
    // wider rows the tile's strided reads of W collide in the L1 cache, and packing pays.)
    FN(gemm_packed)(rows, fanIn, fanOut, dy, fanOut, w, NR, fanIn, 0, dx, fanIn, epi, 0, s, sigma);
    return;
  }
  FN(pack)(fanOut, fanIn, w, fanIn, 1, scratch);
  FN(gemm_packed)(
      rows, fanIn, fanOut, dy, fanOut, scratch, (ptrdiff_t)fanOut * NR, NR, 0, dx, fanIn, epi, 0, s,
      sigma);
}

/// One Adam step, element by element in CMNetwork's Adam order, with no fused multiply-adds and
/// IEEE square root and division, so every path gives the bits of the Swift loop.
static TARGET void FN(adam_step)(
    long count, float *theta, const float *g, float *m, float *v, float b1, float b2, float c1,
    float c2, float alpha, float eps) {
#pragma clang fp contract(off)
  long i = 0;
  for (; i + VW <= count; i += VW) {
    V gi = FN(load)(g + i);
    V mi = b1 * FN(load)(m + i) + (1 - b1) * gi;
    V vi = b2 * FN(load)(v + i) + (1 - b2) * gi * gi;
    FN(store)(m + i, mi);
    FN(store)(v + i, vi);
    V mHat = mi * c1;
    V vHat = __builtin_elementwise_max(vi * c2, (V)0.0f);
    FN(store)(theta + i, FN(load)(theta + i) - alpha * mHat / (__builtin_elementwise_sqrt(vHat) + eps));
  }
  for (; i < count; i++) {
    float gi = g[i];
    float mi = b1 * m[i] + (1 - b1) * gi;
    float vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float mHat = mi * c1;
    float vHat = vi * c2;
    vHat = vHat > 0 ? vHat : 0;
    theta[i] -= alpha * mHat / (__builtin_sqrtf(vHat) + eps);
  }
}

#undef CMK_CAT2
#undef CMK_CAT
#undef FN
#undef NR
#undef V
#undef VI
#undef INL
