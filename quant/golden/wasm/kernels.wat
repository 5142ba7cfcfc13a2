;; The golden model's WebAssembly kernels (SIMD128), compiled by tools/build-wasm.ts with wabt's wat2wasm into
;; kernels.wasm beside this file (committed; test/quant/golden/wasm-build.test.ts rebuilds it and compares the
;; bytes). Every kernel has a plain-JS twin that stays the reference it is tested against:
;;   gemm      C[M, N] = wrap32(sum_k A[m, k] * B[k, n])             twin: ../gemm/js-gemm.ts
;;   im2col    the [M, K] patch matrix of NHWC int8 images             twin: quant/format/im2col.ts
;;   requant   int8 out[m, n] = requantize(C[m, n], column n's stage)   twin: quant/spec requantize
;;   requant_rows  the same along the rows (single rounding, shifts <= -1)  twin: quant/spec requantize
;;   requant_rows_double  the same for double and ruy (right shifts <= 22)  twin: quant/spec requantize
;;   depthwise the int32 accumulators of a depthwise conv                twin: ../layers.ts runDepthwise
;;   maxpool   MAX_POOL_2D of NHWC int8 images                          twin: quant/kernels/max-pool2d.ts
;;   maxpool32 the same on a conv's int32 accumulators (conv + pool fused)  twin: the conv, then maxpool
;;   avgpool_sums  AVERAGE_POOL_2D's window sums (then averagePoolElement)  twin: quant/kernels/average-pool2d.ts
;;   add_lookup  ADD through its table of 256 x 256 results              twin: quant/kernels/add.ts
;; The callers (./kernels.ts loads the module; ./layers/*.ts, ../gemm/wasm-gemm.ts) lay every
;; buffer out in the one exported memory.

(module
  (memory (export "mem") 1)

  ;; ---------------------------------------------------------------------------------------------------------
  ;; gemm(a, b, c, m, k, n): C[m, n] = A[m, k] * B, with m a multiple of 4 and n a multiple of 8.
  ;;   A: int8 row-major [m, k]; the last pair of an odd k reads one byte past the row (B holds 0 there).
  ;;   B: int16, n/8 panels x ceil(k/2) pairs x [8 columns][2 reductions] (../gemm/wasm-gemm.ts packBWasm).
  ;;   C: int32 row-major [m, n].
  ;; Built on i32x4.dot_i16x8_s (x86 pmaddwd): for the reductions (k, k+1) it multiplies [a_k, a_k+1] x 4 with
  ;; [b_k,n b_k+1,n ... b_k,n+3 b_k+1,n+3] and adds the pairs into four int32 lanes. A pair product is at most
  ;; 2 * 2^14, so only the int32 accumulation can overflow, and i32x4.add wraps like the hardware's accumulator.
  ;; A 4 x 8 register tile (8 v128 accumulators) runs over k.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $gemm (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $kk i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $pairs i32) (local $panel i32) (local $k2 i32) (local $k3 i32) (local $row i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $pairs (i32.shr_u (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))
    (local.set $panel (i32.mul (local.get $pairs) (i32.const 32)))
    (local.set $k2 (i32.add (local.get $k) (local.get $k)))
    (local.set $k3 (i32.add (local.get $k2) (local.get $k)))
    (local.set $row (i32.mul (local.get $n) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $k))))
            (local.set $bp (i32.add (local.get $b)
              (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $panel))))
            (local.set $kk (local.get $pairs))
            (block $k_done
              (loop $k_pairs
                (br_if $k_done (i32.eqz (local.get $kk)))
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                ;; row 0
                (local.set $x (i16x8.extend_low_i8x16_s (v128.load16_splat (local.get $ap))))
                (local.set $c00 (i32x4.add (local.get $c00) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                (local.set $c01 (i32x4.add (local.get $c01) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                ;; row 1
                (local.set $x (i16x8.extend_low_i8x16_s
                  (v128.load16_splat (i32.add (local.get $ap) (local.get $k)))))
                (local.set $c10 (i32x4.add (local.get $c10) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                (local.set $c11 (i32x4.add (local.get $c11) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                ;; row 2
                (local.set $x (i16x8.extend_low_i8x16_s
                  (v128.load16_splat (i32.add (local.get $ap) (local.get $k2)))))
                (local.set $c20 (i32x4.add (local.get $c20) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                (local.set $c21 (i32x4.add (local.get $c21) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                ;; row 3
                (local.set $x (i16x8.extend_low_i8x16_s
                  (v128.load16_splat (i32.add (local.get $ap) (local.get $k3)))))
                (local.set $c30 (i32x4.add (local.get $c30) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                (local.set $c31 (i32x4.add (local.get $c31) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                (local.set $ap (i32.add (local.get $ap) (i32.const 2)))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
                (br $k_pairs)))
            ;; store the 4 x 8 tile at C + (i * n + j) * 4, rows n * 4 bytes apart
            (local.set $cp (i32.add (local.get $c)
              (i32.mul (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 4))))
            (v128.store (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $row)))
            (v128.store (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $row)))
            (v128.store (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $row)))
            (v128.store (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; im2col(src, dst, scratch, batch, inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW, pad):
  ;; the [M, K] patch matrix of `batch` NHWC images, M = batch * outH * outW, K = kh * kw * inC, in the order of
  ;; quant/format/im2col.ts (row m = (b * outH + oy) * outW + ox, column k = (ky * kw + kx) * inC + c). A tap
  ;; outside the image holds `pad` (the input zero point). Each image is first laid into `scratch` with its
  ;; padding around it, [pH, pW, inC] with pH = (outH - 1) * strideH + kh and pW = (outW - 1) * strideW + kw (what
  ;; the windows cover), so that every window is kh runs of kw * inC contiguous bytes, moved 8 at a time (16 at a
  ;; time when a run is longer than 8): the last move of a run overshoots by up to 15 bytes, which the next writes
  ;; cover. dst and scratch need 16 bytes of slack past their ends.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $im2col (export "im2col")
    (param $src i32) (param $dst i32) (param $scratch i32) (param $batch i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32) (param $pad i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $iy i32)
    (local $pH i32) (local $pW i32) (local $prow i32) (local $imageBytes i32) (local $copyBytes i32)
    (local $image i32) (local $run i32) (local $win i32) (local $s i32) (local $t i32) (local $d i32) (local $e i32)
    (local $three i32) (local $wide i32) (local $run2 i32) (local $run3 i32) (local $prow2 i32)
    (local.set $pH (i32.add (i32.mul (i32.sub (local.get $outH) (i32.const 1)) (local.get $strideH)) (local.get $kh)))
    (local.set $pW (i32.add (i32.mul (i32.sub (local.get $outW) (i32.const 1)) (local.get $strideW)) (local.get $kw)))
    (local.set $prow (i32.mul (local.get $pW) (local.get $inC)))
    (local.set $imageBytes (i32.mul (i32.mul (local.get $inH) (local.get $inW)) (local.get $inC)))
    ;; the columns of an image row that the windows reach: min(inW, pW - padLeft)
    (local.set $copyBytes (i32.sub (local.get $pW) (local.get $padLeft)))
    (if (i32.gt_s (local.get $copyBytes) (local.get $inW)) (then (local.set $copyBytes (local.get $inW))))
    (if (i32.lt_s (local.get $copyBytes) (i32.const 0)) (then (local.set $copyBytes (i32.const 0))))
    (local.set $copyBytes (i32.mul (local.get $copyBytes) (local.get $inC)))
    (local.set $run (i32.mul (local.get $kw) (local.get $inC)))
    (local.set $three (i32.and (i32.eq (local.get $kh) (i32.const 3)) (i32.le_u (local.get $run) (i32.const 8))))
    (local.set $wide (i32.gt_u (local.get $run) (i32.const 8)))
    (local.set $run2 (i32.add (local.get $run) (local.get $run)))
    (local.set $run3 (i32.add (local.get $run2) (local.get $run)))
    (local.set $prow2 (i32.add (local.get $prow) (local.get $prow)))
    (local.set $d (local.get $dst))
    (local.set $b (i32.const 0))
    (block $b_done
      (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
        ;; the padded image
        (local.set $image (i32.add (local.get $src) (i32.mul (local.get $b) (local.get $imageBytes))))
        (memory.fill (local.get $scratch) (local.get $pad) (i32.mul (local.get $pH) (local.get $prow)))
        (local.set $iy (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $iy) (local.get $inH)))
            (br_if $rows_done (i32.ge_s (i32.add (local.get $iy) (local.get $padTop)) (local.get $pH)))
            (memory.copy
              (i32.add (local.get $scratch) (i32.add
                (i32.mul (i32.add (local.get $iy) (local.get $padTop)) (local.get $prow))
                (i32.mul (local.get $padLeft) (local.get $inC))))
              (i32.add (local.get $image) (i32.mul (i32.mul (local.get $iy) (local.get $inW)) (local.get $inC)))
              (local.get $copyBytes))
            (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
            (br $rows)))
        ;; the windows, row by row of the output
        (local.set $oy (i32.const 0))
        (block $oy_done
          (loop $oy_loop
            (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
            (local.set $win (i32.add (local.get $scratch)
              (i32.mul (i32.mul (local.get $oy) (local.get $strideH)) (local.get $prow))))
            (local.set $ox (i32.const 0))
            (block $ox_done
              (loop $ox_loop
                (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
                (if (local.get $three)
                  (then
                    ;; kh = 3 runs of at most 8 bytes (a 3x3 window of up to 2 channels, the MNIST CNN's first conv):
                    ;; one move a run, unrolled
                    (i64.store (local.get $d) (i64.load (local.get $win)))
                    (i64.store (i32.add (local.get $d) (local.get $run))
                      (i64.load (i32.add (local.get $win) (local.get $prow))))
                    (i64.store (i32.add (local.get $d) (local.get $run2))
                      (i64.load (i32.add (local.get $win) (local.get $prow2))))
                    (local.set $d (i32.add (local.get $d) (local.get $run3))))
                  (else
                (local.set $s (local.get $win))
                (local.set $ky (i32.const 0))
                (block $ky_done
                  (loop $ky_loop
                    (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $kh)))
                    (local.set $e (i32.add (local.get $d) (local.get $run)))
                    (local.set $t (local.get $s))
                    (if (local.get $wide)
                      (then
                        ;; runs longer than 8 bytes 16 at a time (overshooting by up to 15)
                        (loop $run16
                          (v128.store (local.get $d) (v128.load (local.get $t)))
                          (local.set $d (i32.add (local.get $d) (i32.const 16)))
                          (local.set $t (i32.add (local.get $t) (i32.const 16)))
                          (br_if $run16 (i32.lt_u (local.get $d) (local.get $e)))))
                      (else
                        (loop $run8
                          (i64.store (local.get $d) (i64.load (local.get $t)))
                          (local.set $d (i32.add (local.get $d) (i32.const 8)))
                          (local.set $t (i32.add (local.get $t) (i32.const 8)))
                          (br_if $run8 (i32.lt_u (local.get $d) (local.get $e))))))
                    (local.set $d (local.get $e))
                    (local.set $s (i32.add (local.get $s) (local.get $prow)))
                    (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                    (br $ky_loop)))))
                (local.set $win (i32.add (local.get $win) (i32.mul (local.get $strideW) (local.get $inC))))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $ox_loop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $oy_loop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_loop))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; requant(c, cStride, out, m, n, stages, zp, lo, hi): out[i * n + j] = the int8 output stage of the int32
  ;; C[i * cStride + j] with column j's stage, for i < m (a multiple of 4: rows past the real ones are computed
  ;; and written too, the caller leaves room), j < n; lo = actMin - zp <= hi = actMax - zp. Four rows of one
  ;; column a vector: lanes gathered from C, the low byte of each lane stored to its row.
  ;; quant/spec's requantize, with x = wrap32(C + bias) << l (i32: wraps as TFLite's x * (1 << l)) and the exact
  ;; 64-bit products p = x * m0 (i64x2.extmul), in one of three ways a column (./output-stages.ts writes a
  ;; 128-byte record per column: v128 at 0 bias, 16 m0, 32 c1 (i64x2), 48 k1 (i64x2), 64 mask, 80 c2, 96 d;
  ;; i32 at 112 l, 116 sh, 120 kind):
  ;;   kind 0, single rounding with t = 31 - shift >= 32: y = hi32(p + 2^(t-1)) >> (t - 32)   (= floor((p +
  ;;           2^(t-1)) / 2^t), an int32, so the spec's saturation is the identity)
  ;;   kind 1, double or ruy: s = hi32(2p + 2^31) = floor((p + 2^30) / 2^31), SaturatingRoundingDoublingHighMul
  ;;           (exact for m0 >= 0, l = max(shift, 0)); then with r = max(-shift, 0), sh = r, mask = 2^r - 1:
  ;;           y = (s >> r) + (((s & mask) + c2 + (s < 0 ? d : 0)) >>> r) = floor((s + c2 + (s < 0 ? d : 0)) / 2^r)
  ;;           where c2 = 2^(r-1), d = -1 for double (RoundingDivideByPOT, ties away from zero), 0 for ruy
  ;;           (ties toward +infinity); c2 = d = 0 when r = 0. The inner sum lies in [0, 2^32).
  ;;   kind 2, single rounding with t <= 31: y = floor((p + 2^(t-1)) / 2^t) in i64 as ((p + c1) >>> t) - k1
  ;;           with c1 = 2^(t-1) + 2^63, k1 = 2^(63-t) (x86 has no 64-bit arithmetic shift below AVX-512),
  ;;           clamped to [lo, hi] in i64 (y may pass int32 here)
  ;; then out = low byte of clamp(y, lo, hi) + zp, which equals the spec's clamp(sat32(y) + zp, actMin, actMax)
  ;; when lo <= hi and |zp| and the bounds are far inside int32 (the caller checks).
  ;; ---------------------------------------------------------------------------------------------------------
  (func $requant (export "requant")
    (param $c i32) (param $cStride i32) (param $out i32) (param $m i32) (param $n i32) (param $stages i32)
    (param $zp i32) (param $lo i32) (param $hi i32)
    (local $i i32) (local $j i32) (local $cs i32) (local $cp i32) (local $op i32) (local $pp i32) (local $kind i32)
    (local $loV v128) (local $hiV v128) (local $lo64 v128) (local $hi64 v128) (local $zpV v128)
    (local $x v128) (local $p0 v128) (local $p1 v128) (local $s v128) (local $y v128)
    (local.set $cs (i32.shl (local.get $cStride) (i32.const 2)))
    (local.set $loV (i32x4.splat (local.get $lo)))
    (local.set $hiV (i32x4.splat (local.get $hi)))
    (local.set $lo64 (i64x2.splat (i64.extend_i32_s (local.get $lo))))
    (local.set $hi64 (i64x2.splat (i64.extend_i32_s (local.get $hi))))
    (local.set $zpV (i32x4.splat (local.get $zp)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (local.set $pp (local.get $stages))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            ;; column j of rows i .. i + 3
            (local.set $cp (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cStride)) (local.get $j)) (i32.const 2))))
            (local.set $x (v128.load32_zero (local.get $cp)))
            (local.set $cp (i32.add (local.get $cp) (local.get $cs)))
            (local.set $x (v128.load32_lane 1 (local.get $cp) (local.get $x)))
            (local.set $cp (i32.add (local.get $cp) (local.get $cs)))
            (local.set $x (v128.load32_lane 2 (local.get $cp) (local.get $x)))
            (local.set $cp (i32.add (local.get $cp) (local.get $cs)))
            (local.set $x (v128.load32_lane 3 (local.get $cp) (local.get $x)))
            (local.set $x (i32x4.shl (i32x4.add (local.get $x) (v128.load (local.get $pp)))
              (i32.load offset=112 (local.get $pp))))
            (local.set $p0 (i64x2.extmul_low_i32x4_s (local.get $x) (v128.load offset=16 (local.get $pp))))
            (local.set $p1 (i64x2.extmul_high_i32x4_s (local.get $x) (v128.load offset=16 (local.get $pp))))
            (local.set $kind (i32.load offset=120 (local.get $pp)))
            (if (i32.eqz (local.get $kind))
              (then
                ;; kind 0: the high words of p + 2^(t-1), shifted by t - 32
                (local.set $y (i32x4.shr_s
                  (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                    (i64x2.add (local.get $p0) (v128.load offset=32 (local.get $pp)))
                    (i64x2.add (local.get $p1) (v128.load offset=32 (local.get $pp))))
                  (i32.load offset=116 (local.get $pp)))))
              (else (if (i32.eq (local.get $kind) (i32.const 1))
                (then
                  ;; kind 1: the high-mul s, then the rounding right shift by r in i32
                  (local.set $s (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                    (i64x2.add (i64x2.add (local.get $p0) (local.get $p0)) (v128.load offset=32 (local.get $pp)))
                    (i64x2.add (i64x2.add (local.get $p1) (local.get $p1)) (v128.load offset=32 (local.get $pp)))))
                  (local.set $y (i32x4.add
                    (i32x4.shr_s (local.get $s) (i32.load offset=116 (local.get $pp)))
                    (i32x4.shr_u
                      (i32x4.add
                        (i32x4.add (v128.and (local.get $s) (v128.load offset=64 (local.get $pp)))
                          (v128.load offset=80 (local.get $pp)))
                        (v128.and (i32x4.lt_s (local.get $s) (v128.const i32x4 0 0 0 0))
                          (v128.load offset=96 (local.get $pp))))
                      (i32.load offset=116 (local.get $pp))))))
                (else
                  ;; kind 2: floor in i64, clamped to [lo, hi] there, then the low words
                  (local.set $p0 (i64x2.sub
                    (i64x2.shr_u (i64x2.add (local.get $p0) (v128.load offset=32 (local.get $pp)))
                      (i32.load offset=116 (local.get $pp)))
                    (v128.load offset=48 (local.get $pp))))
                  (local.set $p1 (i64x2.sub
                    (i64x2.shr_u (i64x2.add (local.get $p1) (v128.load offset=32 (local.get $pp)))
                      (i32.load offset=116 (local.get $pp)))
                    (v128.load offset=48 (local.get $pp))))
                  (local.set $p0 (v128.bitselect (local.get $hi64) (local.get $p0) (i64x2.gt_s (local.get $p0) (local.get $hi64))))
                  (local.set $p0 (v128.bitselect (local.get $lo64) (local.get $p0) (i64x2.lt_s (local.get $p0) (local.get $lo64))))
                  (local.set $p1 (v128.bitselect (local.get $hi64) (local.get $p1) (i64x2.gt_s (local.get $p1) (local.get $hi64))))
                  (local.set $p1 (v128.bitselect (local.get $lo64) (local.get $p1) (i64x2.lt_s (local.get $p1) (local.get $lo64))))
                  (local.set $y (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                    (local.get $p0) (local.get $p1)))))))
            ;; clamp (lo <= hi), the zero point; the low byte of each lane is the int8 result
            (local.set $y (i32x4.add (local.get $zpV)
              (i32x4.max_s (i32x4.min_s (local.get $y) (local.get $hiV)) (local.get $loV))))
            (local.set $op (i32.add (local.get $out) (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j))))
            (v128.store8_lane 0 (local.get $op) (local.get $y))
            (local.set $op (i32.add (local.get $op) (local.get $n)))
            (v128.store8_lane 4 (local.get $op) (local.get $y))
            (local.set $op (i32.add (local.get $op) (local.get $n)))
            (v128.store8_lane 8 (local.get $op) (local.get $y))
            (local.set $op (i32.add (local.get $op) (local.get $n)))
            (v128.store8_lane 12 (local.get $op) (local.get $y))
            (local.set $pp (i32.add (local.get $pp) (i32.const 128)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; requant_rows(c, n, out, m, stages, zp, lo, hi, sh, u): the single-rounding output stage of requant's kind 0
  ;; (every column with t = 31 - shift >= 32, int8 bounds, t - T <= 22), four columns a vector along the rows of
  ;; C[m, n] (int32, n a multiple of 8) into out[m, n] (int8, the same stride). Per group of 4 columns a 112-byte
  ;; record (./output-stages.ts): v128 at 0 bias (i32x4), 16 m0 (i32x4), 32 and 48 c1 = 2^(t-1) (i64x2, lanes
  ;; 0-1 and 2-3), 64 f = 2^(u - s), 80 lo * 2^s, 96 (hi + 1) * 2^s - 1 (i32x4), with T the layer's least t,
  ;; s = t - T a lane's own and u the largest:
  ;;   p = (C + bias) * m0 (exact i64);  h = hi32(p + c1) >> (T - 32) = floor((p + c1) / 2^T)  (|h| < 2^31)
  ;;   y = floor(h / 2^s) as (clamp(h, lo 2^s, (hi + 1) 2^s - 1) * f) >> u  (skipped when u = 0): the clamp only
  ;;       moves h where y would be clamped to lo or hi anyway, and keeps the product within int32
  ;; then clamp(y, lo, hi) + zp, narrowed (exact: the bounds are int8) and stored 8 columns at a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $requant_rows (export "requant_rows")
    (param $c i32) (param $n i32) (param $out i32) (param $m i32) (param $stages i32)
    (param $zp i32) (param $lo i32) (param $hi i32) (param $sh i32) (param $u i32)
    (local $i i32) (local $cp i32) (local $op i32) (local $pp i32) (local $end i32)
    (local $loV v128) (local $hiV v128) (local $zpV v128)
    (local $x v128) (local $h v128) (local $y0 v128) (local $y1 v128)
    (local.set $loV (i32x4.splat (local.get $lo)))
    (local.set $hiV (i32x4.splat (local.get $hi)))
    (local.set $zpV (i32x4.splat (local.get $zp)))
    (local.set $cp (local.get $c))
    (local.set $op (local.get $out))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $pp (local.get $stages))
        (local.set $end (i32.add (local.get $op) (local.get $n)))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $op) (local.get $end)))
            ;; columns 0-3 of the 8
            (local.set $x (i32x4.add (v128.load (local.get $cp)) (v128.load offset=0 (local.get $pp))))
            (local.set $h (i32x4.shr_s
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                (i64x2.add (i64x2.extmul_low_i32x4_s (local.get $x) (v128.load offset=16 (local.get $pp)))
                  (v128.load offset=32 (local.get $pp)))
                (i64x2.add (i64x2.extmul_high_i32x4_s (local.get $x) (v128.load offset=16 (local.get $pp)))
                  (v128.load offset=48 (local.get $pp))))
              (local.get $sh)))
            (if (local.get $u)
              (then
                ;; floor(h / 2^s) for this lane's s = t - T: clamped to [lo 2^s, (hi + 1) 2^s - 1] (which keeps
                ;; the result after the clamp below), times 2^(u - s), arithmetic shift by u; all within int32
                (local.set $h (i32x4.shr_s
                  (i32x4.mul (i32x4.min_s (i32x4.max_s (local.get $h) (v128.load offset=80 (local.get $pp)))
                    (v128.load offset=96 (local.get $pp))) (v128.load offset=64 (local.get $pp)))
                  (local.get $u)))))
            (local.set $y0 (i32x4.add (local.get $zpV) (i32x4.max_s (i32x4.min_s (local.get $h) (local.get $hiV)) (local.get $loV))))
            ;; columns 4-7 of the 8
            (local.set $x (i32x4.add (v128.load offset=16 (local.get $cp)) (v128.load offset=112 (local.get $pp))))
            (local.set $h (i32x4.shr_s
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                (i64x2.add (i64x2.extmul_low_i32x4_s (local.get $x) (v128.load offset=128 (local.get $pp)))
                  (v128.load offset=144 (local.get $pp)))
                (i64x2.add (i64x2.extmul_high_i32x4_s (local.get $x) (v128.load offset=128 (local.get $pp)))
                  (v128.load offset=160 (local.get $pp))))
              (local.get $sh)))
            (if (local.get $u)
              (then
                ;; floor(h / 2^s) for this lane's s = t - T: clamped to [lo 2^s, (hi + 1) 2^s - 1] (which keeps
                ;; the result after the clamp below), times 2^(u - s), arithmetic shift by u; all within int32
                (local.set $h (i32x4.shr_s
                  (i32x4.mul (i32x4.min_s (i32x4.max_s (local.get $h) (v128.load offset=192 (local.get $pp)))
                    (v128.load offset=208 (local.get $pp))) (v128.load offset=176 (local.get $pp)))
                  (local.get $u)))))
            (local.set $y1 (i32x4.add (local.get $zpV) (i32x4.max_s (i32x4.min_s (local.get $h) (local.get $hiV)) (local.get $loV))))
            (local.set $y0 (i16x8.narrow_i32x4_s (local.get $y0) (local.get $y1)))
            (v128.store64_lane 0 (local.get $op) (i8x16.narrow_i16x8_s (local.get $y0) (local.get $y0)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
            (local.set $pp (i32.add (local.get $pp) (i32.const 224)))
            (local.set $op (i32.add (local.get $op) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; requant_rows_double(c, n, out, m, stages, zp, lo, hi, r0, u): requant's kind 1 (double and ruy rounding:
  ;; SaturatingRoundingDoublingHighMul, then a rounding right shift by r = max(-shift, 0)) along the rows of
  ;; C[m, n] (int32, n a multiple of 8) into out[m, n] (int8, the same stride), four columns a vector, for layers
  ;; whose every r is at most 22 and whose zero point and bounds are int8. Per group of 4 columns a 128-byte record
  ;; (./output-stages.ts), i32x4 each: 0 bias, 16 2^l (l = max(shift, 0)), 32 m0, 48 a = (lo - 1) 2^r,
  ;; 64 b = (hi + 1) 2^r, 80 c2 = 2^(r-1), 96 d (-1 for double when r > 0, else 0), 112 f = 2^(u - (r - r0)),
  ;; with r0 the layer's least r and u its largest r - r0:
  ;;   x = wrap32((C + bias) * 2^l) (the spec's wrap32(x << l));  s = hi32(2 x m0 + 2^31) (the high-mul, exact)
  ;;   s = clamp(s, a, b): below a the result is below lo, above b above hi, whatever the rounding; so the clamp
  ;;       changes no code and keeps every value below within int32 (|a|, |b| <= 2^30)
  ;;   y = floor((s + c2 + (s < 0 ? d : 0)) / 2^r) as (that >> r0) * f >> u (floor divisions nest, the product
  ;;       stays below 257 * 2^22); the floor of requant's kind 1
  ;; then clamp(y, lo, hi) + zp, narrowed (exact: the bounds are int8) and stored 8 columns at a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $requant_rows_double (export "requant_rows_double")
    (param $c i32) (param $n i32) (param $out i32) (param $m i32) (param $stages i32)
    (param $zp i32) (param $lo i32) (param $hi i32) (param $r0 i32) (param $u i32)
    (local $i i32) (local $cp i32) (local $op i32) (local $pp i32) (local $end i32)
    (local $loV v128) (local $hiV v128) (local $zpV v128) (local $half v128)
    (local $x v128) (local $s v128) (local $y0 v128) (local $y1 v128)
    (local.set $loV (i32x4.splat (local.get $lo)))
    (local.set $hiV (i32x4.splat (local.get $hi)))
    (local.set $zpV (i32x4.splat (local.get $zp)))
    (local.set $half (v128.const i64x2 2147483648 2147483648))
    (local.set $cp (local.get $c))
    (local.set $op (local.get $out))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $pp (local.get $stages))
        (local.set $end (i32.add (local.get $op) (local.get $n)))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $op) (local.get $end)))
            ;; columns 0-3 of the 8
            (local.set $x (i32x4.mul (i32x4.add (v128.load offset=0 (local.get $cp)) (v128.load offset=0 (local.get $pp)))
              (v128.load offset=16 (local.get $pp))))
            (local.set $s (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
              (i64x2.add (i64x2.shl (i64x2.extmul_low_i32x4_s (local.get $x) (v128.load offset=32 (local.get $pp))) (i32.const 1))
                (local.get $half))
              (i64x2.add (i64x2.shl (i64x2.extmul_high_i32x4_s (local.get $x) (v128.load offset=32 (local.get $pp))) (i32.const 1))
                (local.get $half))))
            (local.set $s (i32x4.min_s (i32x4.max_s (local.get $s) (v128.load offset=48 (local.get $pp)))
              (v128.load offset=64 (local.get $pp))))
            (local.set $s (i32x4.shr_s
              (i32x4.add (i32x4.add (local.get $s) (v128.load offset=80 (local.get $pp)))
                (v128.and (i32x4.lt_s (local.get $s) (v128.const i32x4 0 0 0 0)) (v128.load offset=96 (local.get $pp))))
              (local.get $r0)))
            (if (local.get $u)
              (then (local.set $s (i32x4.shr_s (i32x4.mul (local.get $s) (v128.load offset=112 (local.get $pp))) (local.get $u)))))
            (local.set $y0 (i32x4.add (local.get $zpV) (i32x4.max_s (i32x4.min_s (local.get $s) (local.get $hiV)) (local.get $loV))))
            ;; columns 4-7 of the 8
            (local.set $x (i32x4.mul (i32x4.add (v128.load offset=16 (local.get $cp)) (v128.load offset=128 (local.get $pp)))
              (v128.load offset=144 (local.get $pp))))
            (local.set $s (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
              (i64x2.add (i64x2.shl (i64x2.extmul_low_i32x4_s (local.get $x) (v128.load offset=160 (local.get $pp))) (i32.const 1))
                (local.get $half))
              (i64x2.add (i64x2.shl (i64x2.extmul_high_i32x4_s (local.get $x) (v128.load offset=160 (local.get $pp))) (i32.const 1))
                (local.get $half))))
            (local.set $s (i32x4.min_s (i32x4.max_s (local.get $s) (v128.load offset=176 (local.get $pp)))
              (v128.load offset=192 (local.get $pp))))
            (local.set $s (i32x4.shr_s
              (i32x4.add (i32x4.add (local.get $s) (v128.load offset=208 (local.get $pp)))
                (v128.and (i32x4.lt_s (local.get $s) (v128.const i32x4 0 0 0 0)) (v128.load offset=224 (local.get $pp))))
              (local.get $r0)))
            (if (local.get $u)
              (then (local.set $s (i32x4.shr_s (i32x4.mul (local.get $s) (v128.load offset=240 (local.get $pp))) (local.get $u)))))
            (local.set $y1 (i32x4.add (local.get $zpV) (i32x4.max_s (i32x4.min_s (local.get $s) (local.get $hiV)) (local.get $loV))))
            (local.set $y0 (i16x8.narrow_i32x4_s (local.get $y0) (local.get $y1)))
            (v128.store64_lane 0 (local.get $op) (i8x16.narrow_i16x8_s (local.get $y0) (local.get $y0)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
            (local.set $pp (i32.add (local.get $pp) (i32.const 256)))
            (local.set $op (i32.add (local.get $op) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; depthwise(src, acc, scratch, weights, batch, inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH,
  ;; outW, pad, cp): the int32 accumulators of a depthwise convolution (depth multiplier 1), acc[m, c] =
  ;; wrap32(sum over the window of x * w[ky, kx, c]) for the output pixels m of `batch` NHWC images, rows cp
  ;; (inC rounded up to 8) apart; taps outside the image read `pad` (the input zero point). Each image is laid
  ;; into `scratch` with its padding as for im2col (8 bytes of slack past it). weights: int16 [kh * kw][cp],
  ;; zero past inC (so the channels a vector reads past inC add nothing). 8 channels a step: x widened to int16,
  ;; i32x4.extmul of x and w (exact), added with int32 wrap like the accumulator.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $depthwise (export "depthwise")
    (param $src i32) (param $acc i32) (param $scratch i32) (param $weights i32) (param $batch i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32) (param $pad i32) (param $cp i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32) (local $c i32) (local $iy i32)
    (local $pH i32) (local $pW i32) (local $prow i32) (local $imageBytes i32) (local $copyBytes i32) (local $image i32)
    (local $win i32) (local $p i32) (local $wp i32) (local $d i32)
    (local $x v128) (local $w v128) (local $a0 v128) (local $a1 v128)
    (local.set $pH (i32.add (i32.mul (i32.sub (local.get $outH) (i32.const 1)) (local.get $strideH)) (local.get $kh)))
    (local.set $pW (i32.add (i32.mul (i32.sub (local.get $outW) (i32.const 1)) (local.get $strideW)) (local.get $kw)))
    (local.set $prow (i32.mul (local.get $pW) (local.get $inC)))
    (local.set $imageBytes (i32.mul (i32.mul (local.get $inH) (local.get $inW)) (local.get $inC)))
    (local.set $copyBytes (i32.sub (local.get $pW) (local.get $padLeft)))
    (if (i32.gt_s (local.get $copyBytes) (local.get $inW)) (then (local.set $copyBytes (local.get $inW))))
    (if (i32.lt_s (local.get $copyBytes) (i32.const 0)) (then (local.set $copyBytes (i32.const 0))))
    (local.set $copyBytes (i32.mul (local.get $copyBytes) (local.get $inC)))
    (local.set $d (local.get $acc))
    (local.set $b (i32.const 0))
    (block $b_done
      (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $image (i32.add (local.get $src) (i32.mul (local.get $b) (local.get $imageBytes))))
        (memory.fill (local.get $scratch) (local.get $pad) (i32.mul (local.get $pH) (local.get $prow)))
        (local.set $iy (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $iy) (local.get $inH)))
            (br_if $rows_done (i32.ge_s (i32.add (local.get $iy) (local.get $padTop)) (local.get $pH)))
            (memory.copy
              (i32.add (local.get $scratch) (i32.add
                (i32.mul (i32.add (local.get $iy) (local.get $padTop)) (local.get $prow))
                (i32.mul (local.get $padLeft) (local.get $inC))))
              (i32.add (local.get $image) (i32.mul (i32.mul (local.get $iy) (local.get $inW)) (local.get $inC)))
              (local.get $copyBytes))
            (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
            (br $rows)))
        (local.set $oy (i32.const 0))
        (block $oy_done
          (loop $oy_loop
            (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
            (local.set $win (i32.add (local.get $scratch)
              (i32.mul (i32.mul (local.get $oy) (local.get $strideH)) (local.get $prow))))
            (local.set $ox (i32.const 0))
            (block $ox_done
              (loop $ox_loop
                (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
                (local.set $c (i32.const 0))
                (block $c_done
                  (loop $c_loop
                    (br_if $c_done (i32.ge_u (local.get $c) (local.get $cp)))
                    (local.set $a0 (v128.const i32x4 0 0 0 0))
                    (local.set $a1 (v128.const i32x4 0 0 0 0))
                    (local.set $wp (i32.add (local.get $weights) (i32.shl (local.get $c) (i32.const 1))))
                    (local.set $ky (i32.const 0))
                    (block $ky_done
                      (loop $ky_loop
                        (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $kh)))
                        (local.set $p (i32.add (i32.add (local.get $win) (i32.mul (local.get $ky) (local.get $prow))) (local.get $c)))
                        (local.set $kx (i32.const 0))
                        (block $kx_done
                          (loop $kx_loop
                            (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $kw)))
                            (local.set $x (v128.load8x8_s (local.get $p)))
                            (local.set $w (v128.load (local.get $wp)))
                            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.extmul_low_i16x8_s (local.get $x) (local.get $w))))
                            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.extmul_high_i16x8_s (local.get $x) (local.get $w))))
                            (local.set $p (i32.add (local.get $p) (local.get $inC)))
                            (local.set $wp (i32.add (local.get $wp) (i32.shl (local.get $cp) (i32.const 1))))
                            (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                            (br $kx_loop)))
                        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                        (br $ky_loop)))
                    (v128.store (local.get $d) (local.get $a0))
                    (v128.store offset=16 (local.get $d) (local.get $a1))
                    (local.set $d (i32.add (local.get $d) (i32.const 32)))
                    (local.set $c (i32.add (local.get $c) (i32.const 8)))
                    (br $c_loop)))
                (local.set $win (i32.add (local.get $win) (i32.mul (local.get $strideW) (local.get $inC))))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $ox_loop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $oy_loop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_loop))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; maxpool(src, dst, batch, inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW, lo, hi):
  ;; MAX_POOL_2D of `batch` NHWC int8 images as quant/kernels/max-pool2d.ts computes it: the largest code of the
  ;; window clipped to the image (starting from -128), then y > hi ? hi : y < lo ? lo : y with the int8 bounds
  ;; lo, hi; inC a multiple of 8 (8 channels a vector).
  ;; ---------------------------------------------------------------------------------------------------------
  (func $maxpool (export "maxpool")
    (param $src i32) (param $dst i32) (param $batch i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32) (param $lo i32) (param $hi i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $y i32) (local $x i32) (local $c i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $image i32) (local $d i32) (local $p i32)
    (local $best v128) (local $loV v128) (local $hiV v128)
    (local.set $loV (i8x16.splat (local.get $lo)))
    (local.set $hiV (i8x16.splat (local.get $hi)))
    (local.set $d (local.get $dst))
    (local.set $b (i32.const 0))
    (block $b_done
      (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $image (i32.add (local.get $src)
          (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $inH) (local.get $inW)) (local.get $inC)))))
        (local.set $oy (i32.const 0))
        (block $oy_done
          (loop $oy_loop
            (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
            ;; rows [y0, y1) of the window inside the image
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $strideH)) (local.get $padTop)))
            (local.set $y1 (i32.add (local.get $y0) (local.get $kh)))
            (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
            (if (i32.gt_s (local.get $y1) (local.get $inH)) (then (local.set $y1 (local.get $inH))))
            (local.set $ox (i32.const 0))
            (block $ox_done
              (loop $ox_loop
                (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $strideW)) (local.get $padLeft)))
                (local.set $x1 (i32.add (local.get $x0) (local.get $kw)))
                (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
                (if (i32.gt_s (local.get $x1) (local.get $inW)) (then (local.set $x1 (local.get $inW))))
                (local.set $c (i32.const 0))
                (block $c_done
                  (loop $c_loop
                    (br_if $c_done (i32.ge_u (local.get $c) (local.get $inC)))
                    (local.set $best (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128))
                    (local.set $y (local.get $y0))
                    (block $y_done
                      (loop $y_loop
                        (br_if $y_done (i32.ge_s (local.get $y) (local.get $y1)))
                        (local.set $x (local.get $x0))
                        (local.set $p (i32.add (local.get $image) (i32.add (i32.mul (i32.add
                          (i32.mul (local.get $y) (local.get $inW)) (local.get $x)) (local.get $inC)) (local.get $c))))
                        (block $x_done
                          (loop $x_loop
                            (br_if $x_done (i32.ge_s (local.get $x) (local.get $x1)))
                            (local.set $best (i8x16.max_s (local.get $best) (v128.load64_zero (local.get $p))))
                            (local.set $p (i32.add (local.get $p) (local.get $inC)))
                            (local.set $x (i32.add (local.get $x) (i32.const 1)))
                            (br $x_loop)))
                        (local.set $y (i32.add (local.get $y) (i32.const 1)))
                        (br $y_loop)))
                    (local.set $best (v128.bitselect
                      (local.get $loV)
                      (v128.bitselect (local.get $hiV) (local.get $best) (i8x16.gt_s (local.get $best) (local.get $hiV)))
                      (i8x16.lt_s (local.get $best) (local.get $loV))))
                    (v128.store64_lane 0 (local.get $d) (local.get $best))
                    (local.set $d (i32.add (local.get $d) (i32.const 8)))
                    (local.set $c (i32.add (local.get $c) (i32.const 8)))
                    (br $c_loop)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $ox_loop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $oy_loop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_loop))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; maxpool32(src, dst, batch, inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW): the max
  ;; pool of `batch` NHWC int32 images (a conv layer's accumulators, inC int32 a pixel, a multiple of 4): per
  ;; channel the largest value of the window clipped to the image, each window holding at least one tap (the
  ;; caller checks). A conv layer followed by its max pool runs as this pool on the accumulators, then the output
  ;; stage on the pooled ones: the stage is non-decreasing in the accumulator where ./layers/mac-layer.ts allows
  ;; the fusion, so the largest accumulator gives the largest code (4x fewer to requantize after a 2x2 pool).
  ;; ---------------------------------------------------------------------------------------------------------
  (func $maxpool32 (export "maxpool32")
    (param $src i32) (param $dst i32) (param $batch i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $y i32) (local $x i32) (local $c i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $image i32) (local $d i32) (local $p i32)
    (local $pix i32) (local $rowBytes i32) (local $imageBytes i32)
    (local.set $pix (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $pix) (local.get $inW)))
    (local.set $imageBytes (i32.mul (local.get $rowBytes) (local.get $inH)))
    (local.set $image (local.get $src))
    (local.set $d (local.get $dst))
    (local.set $b (i32.const 0))
    (block $b_done
      (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $oy_done
          (loop $oy_loop
            (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
            ;; rows [y0, y1) of the window inside the image
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $strideH)) (local.get $padTop)))
            (local.set $y1 (i32.add (local.get $y0) (local.get $kh)))
            (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
            (if (i32.gt_s (local.get $y1) (local.get $inH)) (then (local.set $y1 (local.get $inH))))
            (local.set $ox (i32.const 0))
            (block $ox_done
              (loop $ox_loop
                (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $strideW)) (local.get $padLeft)))
                (local.set $x1 (i32.add (local.get $x0) (local.get $kw)))
                (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
                (if (i32.gt_s (local.get $x1) (local.get $inW)) (then (local.set $x1 (local.get $inW))))
                ;; the output pixel starts at the least int32, then takes the max with every tap, 4 channels a vector
                (local.set $c (i32.const 0))
                (loop $init
                  (v128.store (i32.add (local.get $d) (local.get $c))
                    (v128.const i32x4 -2147483648 -2147483648 -2147483648 -2147483648))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br_if $init (i32.lt_u (local.get $c) (local.get $pix))))
                (local.set $y (local.get $y0))
                (block $y_done
                  (loop $y_loop
                    (br_if $y_done (i32.ge_s (local.get $y) (local.get $y1)))
                    (local.set $p (i32.add (local.get $image)
                      (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.mul (local.get $x0) (local.get $pix)))))
                    (local.set $x (local.get $x0))
                    (block $x_done
                      (loop $x_loop
                        (br_if $x_done (i32.ge_s (local.get $x) (local.get $x1)))
                        (local.set $c (i32.const 0))
                        (loop $c_loop
                          (v128.store (i32.add (local.get $d) (local.get $c))
                            (i32x4.max_s (v128.load (i32.add (local.get $d) (local.get $c)))
                                         (v128.load (i32.add (local.get $p) (local.get $c)))))
                          (local.set $c (i32.add (local.get $c) (i32.const 16)))
                          (br_if $c_loop (i32.lt_u (local.get $c) (local.get $pix))))
                        (local.set $p (i32.add (local.get $p) (local.get $pix)))
                        (local.set $x (i32.add (local.get $x) (i32.const 1)))
                        (br $x_loop)))
                    (local.set $y (i32.add (local.get $y) (i32.const 1)))
                    (br $y_loop)))
                (local.set $d (i32.add (local.get $d) (local.get $pix)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $ox_loop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $oy_loop)))
        (local.set $image (i32.add (local.get $image) (local.get $imageBytes)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_loop))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; avgpool_sums(src, dst, batch, inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW): the
  ;; int32 sums of AVERAGE_POOL_2D's windows over `batch` NHWC int8 images, each window clipped to the image as
  ;; quant/kernels/average-pool2d.ts clips it, into dst [batch, outH, outW, inC]; inC a multiple of 8 (8 channels
  ;; a step, widened to int32). The caller divides each sum by its window's count (quant/spec averagePoolElement).
  ;; ---------------------------------------------------------------------------------------------------------
  (func $avgpool_sums (export "avgpool_sums")
    (param $src i32) (param $dst i32) (param $batch i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $y i32) (local $x i32) (local $c i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $image i32) (local $d i32) (local $p i32)
    (local $q i32) (local $rowBytes i32) (local $imageBytes i32) (local $pix i32) (local $v v128)
    (local.set $rowBytes (i32.mul (local.get $inC) (local.get $inW)))
    (local.set $imageBytes (i32.mul (local.get $rowBytes) (local.get $inH)))
    (local.set $pix (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $image (local.get $src))
    (local.set $d (local.get $dst))
    (local.set $b (i32.const 0))
    (block $b_done
      (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $oy_done
          (loop $oy_loop
            (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
            ;; rows [y0, y1) of the window inside the image
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $strideH)) (local.get $padTop)))
            (local.set $y1 (i32.add (local.get $y0) (local.get $kh)))
            (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
            (if (i32.gt_s (local.get $y1) (local.get $inH)) (then (local.set $y1 (local.get $inH))))
            (local.set $ox (i32.const 0))
            (block $ox_done
              (loop $ox_loop
                (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $strideW)) (local.get $padLeft)))
                (local.set $x1 (i32.add (local.get $x0) (local.get $kw)))
                (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
                (if (i32.gt_s (local.get $x1) (local.get $inW)) (then (local.set $x1 (local.get $inW))))
                ;; the output pixel's sums start at 0
                (local.set $c (i32.const 0))
                (loop $init
                  (v128.store (i32.add (local.get $d) (local.get $c)) (v128.const i32x4 0 0 0 0))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br_if $init (i32.lt_u (local.get $c) (local.get $pix))))
                (local.set $y (local.get $y0))
                (block $y_done
                  (loop $y_loop
                    (br_if $y_done (i32.ge_s (local.get $y) (local.get $y1)))
                    (local.set $p (i32.add (local.get $image)
                      (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.mul (local.get $x0) (local.get $inC)))))
                    (local.set $x (local.get $x0))
                    (block $x_done
                      (loop $x_loop
                        (br_if $x_done (i32.ge_s (local.get $x) (local.get $x1)))
                        ;; 8 channels a step: int8 widened to int16, then to two i32x4 added to the sums
                        (local.set $c (i32.const 0))
                        (local.set $q (local.get $d))
                        (loop $c_loop
                          (local.set $v (i16x8.extend_low_i8x16_s (v128.load64_zero (i32.add (local.get $p) (local.get $c)))))
                          (v128.store (local.get $q) (i32x4.add (v128.load (local.get $q)) (i32x4.extend_low_i16x8_s (local.get $v))))
                          (v128.store offset=16 (local.get $q)
                            (i32x4.add (v128.load offset=16 (local.get $q)) (i32x4.extend_high_i16x8_s (local.get $v))))
                          (local.set $q (i32.add (local.get $q) (i32.const 32)))
                          (local.set $c (i32.add (local.get $c) (i32.const 8)))
                          (br_if $c_loop (i32.lt_u (local.get $c) (local.get $inC))))
                        (local.set $p (i32.add (local.get $p) (local.get $inC)))
                        (local.set $x (i32.add (local.get $x) (i32.const 1)))
                        (br $x_loop)))
                    (local.set $y (i32.add (local.get $y) (i32.const 1)))
                    (br $y_loop)))
                (local.set $d (i32.add (local.get $d) (local.get $pix)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $ox_loop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $oy_loop)))
        (local.set $image (i32.add (local.get $image) (local.get $imageBytes)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_loop))))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; add_lookup(a, b, table, out, n): out[i] = table[(a[i] + 128) * 256 + (b[i] + 128)] for n int8 pairs: an int8
  ;; ADD through the table of its 256 x 256 results (quant/kernels/add.ts addTable, built from quant/spec's
  ;; addElement), four elements a step (the caller leaves 4 bytes of slack past a, b and out).
  ;; ---------------------------------------------------------------------------------------------------------
  (func $add_lookup (export "add_lookup")
    (param $a i32) (param $b i32) (param $table i32) (param $out i32) (param $n i32)
    (local $i i32) (local $x i32) (local $y i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; the four codes of each operand, one word each; byte k of x + 0x80808080 is code k + 128 (no carries)
        (local.set $x (i32.xor (i32.load (i32.add (local.get $a) (local.get $i))) (i32.const 0x80808080)))
        (local.set $y (i32.xor (i32.load (i32.add (local.get $b) (local.get $i))) (i32.const 0x80808080)))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (i32.load8_u (i32.add (local.get $table)
            (i32.or (i32.shl (i32.and (local.get $x) (i32.const 0xff)) (i32.const 8)) (i32.and (local.get $y) (i32.const 0xff))))))
        (i32.store8 offset=1 (i32.add (local.get $out) (local.get $i))
          (i32.load8_u (i32.add (local.get $table)
            (i32.or (i32.and (local.get $x) (i32.const 0xff00)) (i32.and (i32.shr_u (local.get $y) (i32.const 8)) (i32.const 0xff))))))
        (i32.store8 offset=2 (i32.add (local.get $out) (local.get $i))
          (i32.load8_u (i32.add (local.get $table)
            (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00)) (i32.and (i32.shr_u (local.get $y) (i32.const 16)) (i32.const 0xff))))))
        (i32.store8 offset=3 (i32.add (local.get $out) (local.get $i))
          (i32.load8_u (i32.add (local.get $table)
            (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 0xff00)) (i32.shr_u (local.get $y) (i32.const 24))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $step))))
)
