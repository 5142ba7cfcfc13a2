;; Training kernels of the tfjs WASM backend (SIMD128), compiled by tools/build-wasm.ts with wabt's wat2wasm into
;; train-kernels.wasm beside this file (committed; test/model/train-kernels-build.test.ts rebuilds it and compares
;; the bytes). The module imports the backend's own memory (./train-kernels.ts instantiates it with the
;; Emscripten heap), so every pointer is a byte offset of a tensor or of scratch the backend malloc'ed: no copies.
;; Each kernel has a plain version that stays its reference in the tests:
;;   conv_filter_grad  dW of a conv2d as 4 x 8 register tiles      reference: tf's Conv2DBackpropFilter (cpu)
;;   bn_sums, bn_apply, bn_grad_sums, bn_grad_apply                 reference: ./batch-norm-train-kernels.ts
;;                     BatchNorm in training mode, float32 lanes, float64 totals: the JS loops' bits
;;   fq_vec, fq_channel  fake-quant forward and its STE mask        reference: quant/fakequant's tf-op chain
;;   col_sums          Sum over every axis but the last              reference: tf's Sum (cpu)
;;   maxpool_grad2x2   MaxPoolGrad of 2x2 stride-2 pools            reference: ./wasm-js-kernels.ts's loops
;;   div_channels, div_channels_grad  x / s per channel and its gradient  reference: tf.div and its gradient
;;   add_channels      x + b per channel (a bias)                    reference: tf.add
;;   adam              one Adam step of a variable                   reference: tf.train.adam
;;   col_absmax        per-channel max |w|                           reference: quant/fakequant weightChannelParams
;;   minmax            min and max of a float32 tensor (NaN-aware)   reference: tf.min, tf.max

(module
  (import "env" "memory" (memory 0))

  ;; ---------------------------------------------------------------------------------------------------------
  ;; conv_filter_grad(xp, dy, koff, out, k4, co, n, outH, outW, imgStride, rowStep, pixStep)
  ;;   out[r, c] = sum over (n, oh, ow) of xp[base(n, oh, ow) + koff[r]] * dy[n, oh, ow, c]
  ;; with base(n, oh, ow) = xp + n * imgStride + oh * rowStep + ow * pixStep (bytes). xp is the input padded so
  ;; that every tap is inside it (the caller's pad), koff[r] the byte offset of the tap and input channel of
  ;; filter row r = (kh, kw, ci) (int32, k4 entries, k4 a multiple of 4), dy is [n, outH, outW, co] with co a
  ;; multiple of 8, out is [k4, co]. Four filter rows by eight output channels (8 v128 accumulators) run over every
  ;; output pixel; dy's row of the pixel is read once per tile.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $conv_filter_grad (export "conv_filter_grad")
    (param $xp i32) (param $dy i32) (param $koff i32) (param $out i32) (param $k4 i32) (param $co i32)
    (param $n i32) (param $outH i32) (param $outW i32) (param $imgStride i32) (param $rowStep i32)
    (param $pixStep i32)
    (local $r i32) (local $c i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $img i32) (local $row i32) (local $px i32) (local $dp i32) (local $b i32) (local $dyRow i32)
    (local $i i32) (local $h i32) (local $w i32) (local $op i32)
    (local $d0 v128) (local $d1 v128) (local $x v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $dyRow (i32.shl (local.get $co) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $k4)))
        (local.set $o0 (i32.load (i32.add (local.get $koff) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $o1 (i32.load offset=4 (i32.add (local.get $koff) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $o2 (i32.load offset=8 (i32.add (local.get $koff) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $o3 (i32.load offset=12 (i32.add (local.get $koff) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $c (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $c) (local.get $co)))
            (local.set $a00 (v128.const f32x4 0 0 0 0))
            (local.set $a01 (v128.const f32x4 0 0 0 0))
            (local.set $a10 (v128.const f32x4 0 0 0 0))
            (local.set $a11 (v128.const f32x4 0 0 0 0))
            (local.set $a20 (v128.const f32x4 0 0 0 0))
            (local.set $a21 (v128.const f32x4 0 0 0 0))
            (local.set $a30 (v128.const f32x4 0 0 0 0))
            (local.set $a31 (v128.const f32x4 0 0 0 0))
            (local.set $dp (i32.add (local.get $dy) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $img (local.get $xp))
            (local.set $i (local.get $n))
            (loop $images
              (local.set $row (local.get $img))
              (local.set $h (local.get $outH))
              (loop $lines
                (local.set $px (local.get $row))
                (local.set $w (local.get $outW))
                (loop $pixels
                  (local.set $d0 (v128.load (local.get $dp)))
                  (local.set $d1 (v128.load offset=16 (local.get $dp)))
                  (local.set $x (v128.load32_splat (i32.add (local.get $px) (local.get $o0))))
                  (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $x) (local.get $d0))))
                  (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $x) (local.get $d1))))
                  (local.set $x (v128.load32_splat (i32.add (local.get $px) (local.get $o1))))
                  (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $x) (local.get $d0))))
                  (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $x) (local.get $d1))))
                  (local.set $x (v128.load32_splat (i32.add (local.get $px) (local.get $o2))))
                  (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $x) (local.get $d0))))
                  (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $x) (local.get $d1))))
                  (local.set $x (v128.load32_splat (i32.add (local.get $px) (local.get $o3))))
                  (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $x) (local.get $d0))))
                  (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $x) (local.get $d1))))
                  (local.set $dp (i32.add (local.get $dp) (local.get $dyRow)))
                  (local.set $px (i32.add (local.get $px) (local.get $pixStep)))
                  (local.set $w (i32.sub (local.get $w) (i32.const 1)))
                  (br_if $pixels (local.get $w)))
                (local.set $row (i32.add (local.get $row) (local.get $rowStep)))
                (local.set $h (i32.sub (local.get $h) (i32.const 1)))
                (br_if $lines (local.get $h)))
              (local.set $img (i32.add (local.get $img) (local.get $imgStride)))
              (local.set $i (i32.sub (local.get $i) (i32.const 1)))
              (br_if $images (local.get $i)))
            ;; out[r + t, c .. c + 7]
            (local.set $op (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $co)) (local.get $c)) (i32.const 2))))
            (v128.store (local.get $op) (local.get $a00))
            (v128.store offset=16 (local.get $op) (local.get $a01))
            (local.set $op (i32.add (local.get $op) (local.get $dyRow)))
            (v128.store (local.get $op) (local.get $a10))
            (v128.store offset=16 (local.get $op) (local.get $a11))
            (local.set $op (i32.add (local.get $op) (local.get $dyRow)))
            (v128.store (local.get $op) (local.get $a20))
            (v128.store offset=16 (local.get $op) (local.get $a21))
            (local.set $op (i32.add (local.get $op) (local.get $dyRow)))
            (v128.store (local.get $op) (local.get $a30))
            (v128.store offset=16 (local.get $op) (local.get $a31))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $cols)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows)))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; BatchNorm in training mode over x [m, c] (c a multiple of 4, m >= 1), four channels a v128. Sums are float32
  ;; over blocks of 64 rows, each block's sum added into a float64 total; each channel's rows in order:
  ;;   bn_sums(x, m, c, k, s1, s2)         s1[j] = sum_i (x[i, j] - k[j]), s2[j] = sum_i (x[i, j] - k[j])^2
  ;;                                       (k float32 [c], a shift near the mean: no cancellation in the variance)
  ;;   bn_apply(x, y, m, c, scale, shift)  y[i, j] = x[i, j] * scale[j] + shift[j]                   (float32 [c])
  ;;   bn_grad_sums(dy, x, m, c, mean, s, sx)  s[j] = sum_i dy[i, j], sx[j] = sum_i dy[i, j] * (x[i, j] - mean[j])
  ;;   bn_grad_apply(dy, x, dx, m, c, mean, k, a, r)  dx[i, j] = k[j] * ((dy[i, j] - a[j]) - (x[i, j] - mean[j]) * r[j])
  ;; s1, s2, s, sx are float64 [c]; every other vector float32 [c]. batch-norm-train-kernels.ts's loops do the same
  ;; float32 operations in the same order (its reference: the same bits).
  ;; ---------------------------------------------------------------------------------------------------------
  ;; totals[j .. j+3] (two f64x2 at p) += promote(v)
  (func $add_f64 (param $p i32) (param $v v128)
    (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.promote_low_f32x4 (local.get $v))))
    (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p))
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))

  ;; The two per-channel sums of bn_sums (b = a, shift k) and of bn_grad_sums (a = dy, b = x, shift = mean):
  ;;   u[j] = sum_i (a[i, j] - ka[j]),  v[j] = sum_i (a[i, j] - ka[j]) * (b[i, j] - kb[j])
  ;; with ka = k, kb = k for bn_sums and ka = 0, kb = mean for bn_grad_sums.
  (func $sums (param $a i32) (param $b i32) (param $m i32) (param $c i32) (param $ka i32) (param $kb i32)
    (param $u i32) (param $v i32)
    (local $j i32) (local $i i32) (local $end i32) (local $pa i32) (local $pb i32) (local $row i32)
    (local $sa v128) (local $sb v128) (local $acc1 v128) (local $acc2 v128) (local $d v128)
    (memory.fill (local.get $u) (i32.const 0) (i32.shl (local.get $c) (i32.const 3)))
    (memory.fill (local.get $v) (i32.const 0) (i32.shl (local.get $c) (i32.const 3)))
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $j (i32.const 0))
    (loop $chans
      (local.set $sa (if (result v128) (local.get $ka)
        (then (v128.load (i32.add (local.get $ka) (i32.shl (local.get $j) (i32.const 2)))))
        (else (v128.const f32x4 0 0 0 0))))
      (local.set $sb (v128.load (i32.add (local.get $kb) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $blocks
        (local.set $end (i32.add (local.get $i) (i32.const 64)))
        (if (i32.gt_u (local.get $end) (local.get $m)) (then (local.set $end (local.get $m))))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $acc2 (v128.const f32x4 0 0 0 0))
        (loop $rows
          (local.set $d (f32x4.sub (v128.load (local.get $pa)) (local.get $sa)))
          (local.set $acc1 (f32x4.add (local.get $acc1) (local.get $d)))
          (local.set $acc2 (f32x4.add (local.get $acc2)
            (f32x4.mul (local.get $d) (f32x4.sub (v128.load (local.get $pb)) (local.get $sb)))))
          (local.set $pa (i32.add (local.get $pa) (local.get $row)))
          (local.set $pb (i32.add (local.get $pb) (local.get $row)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $i) (local.get $end))))
        (call $add_f64 (i32.add (local.get $u) (i32.shl (local.get $j) (i32.const 3))) (local.get $acc1))
        (call $add_f64 (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 3))) (local.get $acc2))
        (br_if $blocks (i32.lt_u (local.get $i) (local.get $m))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $chans (i32.lt_u (local.get $j) (local.get $c))))
  )

;; col_sums(x, m, c, out): out[j] = sum_i x[i, j] (float64 [c]), float32 within blocks of 64 rows as $sums: the
  ;; WASM backend's Sum over every axis but the last (bias and BatchNorm gradients).
  (func (export "col_sums") (param $x i32) (param $m i32) (param $c i32) (param $out i32)
    (local $j i32) (local $i i32) (local $end i32) (local $p i32) (local $row i32) (local $acc v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $c) (i32.const 3)))
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (loop $chans
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $blocks
        (local.set $end (i32.add (local.get $i) (i32.const 64)))
        (if (i32.gt_u (local.get $end) (local.get $m)) (then (local.set $end (local.get $m))))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (loop $rows
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $row)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $i) (local.get $end))))
        (call $add_f64 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (local.get $acc))
        (br_if $blocks (i32.lt_u (local.get $i) (local.get $m))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $chans (i32.lt_u (local.get $j) (local.get $c))))
  )

  (func (export "bn_sums") (param $x i32) (param $m i32) (param $c i32) (param $k i32) (param $s1 i32) (param $s2 i32)
    (call $sums (local.get $x) (local.get $x) (local.get $m) (local.get $c) (local.get $k) (local.get $k)
      (local.get $s1) (local.get $s2)))

  (func (export "bn_grad_sums")
    (param $dy i32) (param $x i32) (param $m i32) (param $c i32) (param $mean i32) (param $s i32) (param $sx i32)
    (call $sums (local.get $dy) (local.get $x) (local.get $m) (local.get $c) (i32.const 0) (local.get $mean)
      (local.get $s) (local.get $sx)))

  (func (export "bn_apply") (param $x i32) (param $y i32) (param $m i32) (param $c i32) (param $scale i32) (param $shift i32)
    (local $end i32) (local $o i32) (local $row i32)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $m) (local.get $row))))
    (loop $rows
      (local.set $o (i32.const 0))
      (loop $chans
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $o))) (v128.load (i32.add (local.get $scale) (local.get $o))))
            (v128.load (i32.add (local.get $shift) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $chans (i32.lt_u (local.get $o) (local.get $row))))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $y (i32.add (local.get $y) (local.get $row)))
      (br_if $rows (i32.lt_u (local.get $x) (local.get $end))))
  )

  (func (export "bn_grad_apply")
    (param $dy i32) (param $x i32) (param $dx i32) (param $m i32) (param $c i32)
    (param $mean i32) (param $k i32) (param $a i32) (param $r i32)
    (local $end i32) (local $o i32) (local $row i32)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $m) (local.get $row))))
    (loop $rows
      (local.set $o (i32.const 0))
      (loop $chans
        (v128.store (i32.add (local.get $dx) (local.get $o))
          (f32x4.mul (v128.load (i32.add (local.get $k) (local.get $o)))
            (f32x4.sub
              (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $o))) (v128.load (i32.add (local.get $a) (local.get $o))))
              (f32x4.mul
                (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (v128.load (i32.add (local.get $mean) (local.get $o))))
                (v128.load (i32.add (local.get $r) (local.get $o)))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $chans (i32.lt_u (local.get $o) (local.get $row))))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $dy (i32.add (local.get $dy) (local.get $row)))
      (local.set $dx (i32.add (local.get $dx) (local.get $row)))
      (br_if $rows (i32.lt_u (local.get $x) (local.get $end))))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; Fake quantization, the float32 ops of quant/fakequant/fake-quantize.ts in the same order (so the same bits):
  ;;   t = x / scale
  ;;   general:      r = clip(4t, -1, 1) * floor(|t| + HALF_MINUS),  rc = min(max(r, lo), hi)
  ;;   nonNegative:  r = floor(t + HALF_MINUS),                      rc = min(r, hi)
  ;;   y = rc * scale,  mask = 1 where r == rc else 0 (the straight-through estimator's)
  ;; lo = qmin - zeroPoint, hi = qmax - zeroPoint, scale[i % c] (float32 [c]). fq_vec: four lanes at a time, c and n
  ;; multiples of 4 (one scale: c = 4 copies of it, and the n % 4 tail by fq_channel). fq_channel: any c, one lane at
  ;; a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "fq_vec")
    (param $x i32) (param $y i32) (param $mask i32) (param $n i32) (param $scales i32) (param $c i32)
    (param $lo f32) (param $hi f32) (param $half f32) (param $nonNeg i32)
    (local $end i32) (local $s v128) (local $l v128) (local $h v128) (local $hm v128) (local $t v128) (local $r v128)
    (local $rc v128) (local $o i32) (local $row i32)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $l (f32x4.splat (local.get $lo)))
    (local.set $h (f32x4.splat (local.get $hi)))
    (local.set $hm (f32x4.splat (local.get $half)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $elems
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (v128.load (i32.add (local.get $scales) (local.get $o))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (if (i32.eq (local.get $o) (local.get $row)) (then (local.set $o (i32.const 0))))
        (local.set $t (f32x4.div (v128.load (local.get $x)) (local.get $s)))
        (if (local.get $nonNeg)
          (then
            (local.set $r (f32x4.floor (f32x4.add (local.get $t) (local.get $hm))))
            (local.set $rc (f32x4.pmin (local.get $h) (local.get $r))))
          (else
            (local.set $r (f32x4.mul
              (f32x4.pmin (v128.const f32x4 1 1 1 1)
                (f32x4.pmax (v128.const f32x4 -1 -1 -1 -1) (f32x4.mul (local.get $t) (v128.const f32x4 4 4 4 4))))
              (f32x4.floor (f32x4.add (f32x4.abs (local.get $t)) (local.get $hm)))))
            (local.set $rc (f32x4.pmin (local.get $h) (f32x4.pmax (local.get $l) (local.get $r))))))
        (v128.store (local.get $y) (f32x4.mul (local.get $rc) (local.get $s)))
        (v128.store (local.get $mask) (v128.and (f32x4.eq (local.get $r) (local.get $rc)) (v128.const f32x4 1 1 1 1)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 16)))
        (br $elems)))
  )

;; the scalar pmin / pmax of wasm's f32x4 ones: pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a
  (func $pmin (param $a f32) (param $b f32) (result f32)
    (select (local.get $b) (local.get $a) (f32.lt (local.get $b) (local.get $a))))
  (func $pmax (param $a f32) (param $b f32) (result f32)
    (select (local.get $b) (local.get $a) (f32.lt (local.get $a) (local.get $b))))

  (func (export "fq_channel")
    (param $x i32) (param $y i32) (param $mask i32) (param $n i32) (param $scales i32) (param $c i32)
    (param $lo f32) (param $hi f32) (param $half f32) (param $nonNeg i32)
    (local $end i32) (local $j i32) (local $s f32) (local $t f32) (local $r f32) (local $rc f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $elems
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.load (i32.add (local.get $scales) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $t (f32.div (f32.load (local.get $x)) (local.get $s)))
        (if (local.get $nonNeg)
          (then
            (local.set $r (f32.floor (f32.add (local.get $t) (local.get $half))))
            (local.set $rc (call $pmin (local.get $hi) (local.get $r))))
          (else
            (local.set $r (f32.mul
              (call $pmin (f32.const 1) (call $pmax (f32.const -1) (f32.mul (local.get $t) (f32.const 4))))
              (f32.floor (f32.add (f32.abs (local.get $t)) (local.get $half)))))
            (local.set $rc (call $pmin (local.get $hi) (call $pmax (local.get $lo) (local.get $r))))))
        (f32.store (local.get $y) (f32.mul (local.get $rc) (local.get $s)))
        (f32.store (local.get $mask) (select (f32.const 1) (f32.const 0) (f32.eq (local.get $r) (local.get $rc))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.eq (local.get $j) (local.get $c)) (then (local.set $j (i32.const 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
        (br $elems)))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; adam(w, m, v, g, n, ow, om, ov, b1, c1, b2, c2, d1, d2, eps, nlr): one Adam step of a variable w[n] with moments
  ;; m, v and gradient g into ow, om, ov, in tfjs's AdamOptimizer's float32 operations and order (so its bits):
  ;;   m' = m * b1 + g * c1,  v' = v * b2 + (g * g) * c2       (c1 = 1 - b1, c2 = 1 - b2 as float32)
  ;;   w' = ((m' / d1) / (sqrt(v' / d2) + eps)) * nlr + w       (d = 1 - beta^t, nlr = -learning rate)
  ;; four lanes at a time, the n % 4 tail one at a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "adam")
    (param $w i32) (param $m i32) (param $v i32) (param $g i32) (param $n i32) (param $ow i32) (param $om i32)
    (param $ov i32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $d1 f32) (param $d2 f32)
    (param $eps f32) (param $nlr f32)
    (local $body i32) (local $o i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $body (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vecs_done
      (loop $vecs
        (br_if $vecs_done (i32.ge_u (local.get $o) (local.get $body)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
          (f32x4.mul (local.get $gv) (f32x4.splat (local.get $c1)))))
        (local.set $vv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $c2)))))
        (v128.store (i32.add (local.get $om) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $ov) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $ow) (local.get $o))
          (f32x4.add
            (f32x4.mul
              (f32x4.div (f32x4.div (local.get $mv) (f32x4.splat (local.get $d1)))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (f32x4.splat (local.get $d2)))) (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $nlr)))
            (v128.load (i32.add (local.get $w) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vecs)))
    (local.set $body (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $o) (local.get $body)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $c1))))
        (local.set $vs (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
        (f32.store (i32.add (local.get $om) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $ov) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $ow) (local.get $o))
          (f32.add
            (f32.mul
              (f32.div (f32.div (local.get $ms) (local.get $d1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $d2))) (local.get $eps)))
              (local.get $nlr))
            (f32.load (i32.add (local.get $w) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail)))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; maxpool_grad2x2(x, g, dx, n, inH, inW, ch, outH, outW): MaxPoolGrad of a 2x2, stride-2, unpadded max-pool of
  ;; NHWC float32 x (ch a multiple of 4): each window's maximum (the first in row-major order a, b, d, e among equal
  ;; values, as the CPU backend) takes g, its other three values 0 (+0, as wasm-js-kernels.ts's loops write), four
  ;; channels at a time. Rows and columns outside every window (odd sizes) are the caller's to clear.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "maxpool_grad2x2")
    (param $x i32) (param $g i32) (param $dx i32) (param $n i32) (param $inH i32) (param $inW i32) (param $ch i32)
    (param $outH i32) (param $outW i32)
    (local $row i32) (local $px i32) (local $i i32) (local $oh i32) (local $ow i32) (local $c i32) (local $base i32)
    (local $a i32) (local $va v128) (local $vb v128) (local $vd v128) (local $ve v128) (local $best v128)
    (local $mb v128) (local $md v128) (local $me v128) (local $gv v128) (local $chb i32)
    (local.set $chb (i32.shl (local.get $ch) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $chb)))
    (loop $images
      (local.set $oh (i32.const 0))
      (loop $lines
        (local.set $base (i32.mul (i32.add (i32.mul (local.get $i) (local.get $inH)) (i32.shl (local.get $oh) (i32.const 1)))
          (local.get $row)))
        (local.set $ow (i32.const 0))
        (loop $windows
          (local.set $c (i32.const 0))
          (loop $chans
            (local.set $a (i32.add (local.get $base) (i32.add (i32.shl (i32.mul (local.get $ow) (local.get $chb)) (i32.const 1)) (local.get $c))))
            (local.set $va (v128.load (i32.add (local.get $x) (local.get $a))))
            (local.set $vb (v128.load (i32.add (local.get $x) (i32.add (local.get $a) (local.get $chb)))))
            (local.set $vd (v128.load (i32.add (local.get $x) (i32.add (local.get $a) (local.get $row)))))
            (local.set $ve (v128.load (i32.add (local.get $x) (i32.add (local.get $a) (i32.add (local.get $row) (local.get $chb))))))
            (local.set $mb (f32x4.gt (local.get $vb) (local.get $va)))
            (local.set $best (v128.bitselect (local.get $vb) (local.get $va) (local.get $mb)))
            (local.set $md (f32x4.gt (local.get $vd) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $vd) (local.get $best) (local.get $md)))
            (local.set $me (f32x4.gt (local.get $ve) (local.get $best)))
            ;; one-hot: e where it beat the best, else d where it did, else b, else a
            (local.set $md (v128.andnot (local.get $md) (local.get $me)))
            (local.set $mb (v128.andnot (v128.andnot (local.get $mb) (local.get $me)) (local.get $md)))
            (local.set $gv (v128.load (local.get $g)))
            (v128.store (i32.add (local.get $dx) (local.get $a))
              (v128.andnot (local.get $gv) (v128.or (local.get $mb) (v128.or (local.get $md) (local.get $me)))))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $a) (local.get $chb))) (v128.and (local.get $gv) (local.get $mb)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $a) (local.get $row))) (v128.and (local.get $gv) (local.get $md)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $a) (i32.add (local.get $row) (local.get $chb))))
              (v128.and (local.get $gv) (local.get $me)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $chans (i32.lt_u (local.get $c) (local.get $chb))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $windows (i32.lt_u (local.get $ow) (local.get $outW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $lines (i32.lt_u (local.get $oh) (local.get $outH))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $images (i32.lt_u (local.get $i) (local.get $n))))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; x / s per channel (the QAT MAC output over its folded BatchNorm scale) and its gradient's passes, x [m, c]
  ;; (c a multiple of 4), s float32 [c]:
  ;;   div_channels(x, s, y, m, c)                 y[i, j] = x[i, j] / s[j]
;;   add_channels(x, s, y, m, c)                 y[i, j] = x[i, j] + s[j]   (a bias; ./add-channels.ts)
  ;;   div_channels_grad(dy, x, s, m, c, dx, p)    dx[i, j] = dy[i, j] / s[j],  p[i, j] = dy[i, j] * x[i, j]
  ;; (p then goes through col_sums: ./div-channels.ts finishes ds = -(sum p / (s * s)) as tfjs's RealDiv gradient.)
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "div_channels") (param $x i32) (param $s i32) (param $y i32) (param $m i32) (param $c i32)
    (call $per_channel (local.get $x) (local.get $s) (local.get $y) (local.get $m) (local.get $c) (i32.const 0)))

  (func (export "add_channels") (param $x i32) (param $s i32) (param $y i32) (param $m i32) (param $c i32)
    (call $per_channel (local.get $x) (local.get $s) (local.get $y) (local.get $m) (local.get $c) (i32.const 1)))

  ;; y[i, j] = x[i, j] + s[j] where $add, else x[i, j] / s[j]
  (func $per_channel (param $x i32) (param $s i32) (param $y i32) (param $m i32) (param $c i32) (param $add i32)
    (local $end i32) (local $o i32) (local $row i32) (local $a v128) (local $b v128)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $m) (local.get $row))))
    (loop $rows
      (local.set $o (i32.const 0))
      (loop $chans
        (local.set $a (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $b (v128.load (i32.add (local.get $s) (local.get $o))))
        (v128.store (i32.add (local.get $y) (local.get $o))
          (if (result v128) (local.get $add)
            (then (f32x4.add (local.get $a) (local.get $b)))
            (else (f32x4.div (local.get $a) (local.get $b)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $chans (i32.lt_u (local.get $o) (local.get $row))))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $y (i32.add (local.get $y) (local.get $row)))
      (br_if $rows (i32.lt_u (local.get $x) (local.get $end))))
  )

  (func (export "div_channels_grad")
    (param $dy i32) (param $x i32) (param $s i32) (param $m i32) (param $c i32) (param $dx i32) (param $p i32)
    (local $end i32) (local $o i32) (local $row i32) (local $d v128)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $m) (local.get $row))))
    (loop $rows
      (local.set $o (i32.const 0))
      (loop $chans
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $o))))
        (v128.store (i32.add (local.get $dx) (local.get $o)) (f32x4.div (local.get $d) (v128.load (i32.add (local.get $s) (local.get $o)))))
        (v128.store (i32.add (local.get $p) (local.get $o)) (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $chans (i32.lt_u (local.get $o) (local.get $row))))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $dy (i32.add (local.get $dy) (local.get $row)))
      (local.set $dx (i32.add (local.get $dx) (local.get $row)))
      (local.set $p (i32.add (local.get $p) (local.get $row)))
      (br_if $rows (i32.lt_u (local.get $x) (local.get $end))))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; col_absmax(x, m, c, out): out[j] = max_i |x[i, j]| (float32 [c], c a multiple of 4, m >= 1): a weight tensor's
  ;; per-output-channel range; pmax(acc, v) keeps acc where v is NaN, as quant/fakequant's `a > max` loop does.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "col_absmax") (param $x i32) (param $m i32) (param $c i32) (param $out i32)
    (local $end i32) (local $o i32) (local $row i32) (local $p i32)
    (local.set $row (i32.shl (local.get $c) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $row))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $m) (local.get $row))))
    (loop $rows
      (local.set $o (i32.const 0))
      (loop $chans
        (local.set $p (i32.add (local.get $out) (local.get $o)))
        (v128.store (local.get $p)
          (f32x4.pmax (v128.load (local.get $p)) (f32x4.abs (v128.load (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $chans (i32.lt_u (local.get $o) (local.get $row))))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (br_if $rows (i32.lt_u (local.get $x) (local.get $end))))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; minmax(x, n, out): out[0] = min, out[1] = max of the float32 x[n] (n >= 1), both NaN where x holds a NaN (as
  ;; tf.min and tf.max). pmin / pmax (one instruction each, where IEEE min / max take several) and a NaN flag.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "minmax") (param $x i32) (param $n i32) (param $out i32)
    (local $end i32) (local $lo v128) (local $hi v128) (local $v v128) (local $nan v128) (local $a f32) (local $b f32)
    (local.set $lo (v128.load32_splat (local.get $x)))
    (local.set $hi (local.get $lo))
    (local.set $nan (f32x4.ne (local.get $lo) (local.get $lo)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vecs
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $lo (f32x4.pmin (local.get $lo) (local.get $v)))
        (local.set $hi (f32x4.pmax (local.get $hi) (local.get $v)))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $vecs)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load32_splat (local.get $x)))
        (local.set $lo (f32x4.pmin (local.get $lo) (local.get $v)))
        (local.set $hi (f32x4.pmax (local.get $hi) (local.get $v)))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail)))
    (local.set $a (f32.min (f32.min (f32x4.extract_lane 0 (local.get $lo)) (f32x4.extract_lane 1 (local.get $lo)))
      (f32.min (f32x4.extract_lane 2 (local.get $lo)) (f32x4.extract_lane 3 (local.get $lo)))))
    (local.set $b (f32.max (f32.max (f32x4.extract_lane 0 (local.get $hi)) (f32x4.extract_lane 1 (local.get $hi)))
      (f32.max (f32x4.extract_lane 2 (local.get $hi)) (f32x4.extract_lane 3 (local.get $hi)))))
    (if (v128.any_true (local.get $nan))
      (then
        (local.set $a (f32.const nan))
        (local.set $b (f32.const nan))))
    (f32.store (local.get $out) (local.get $a))
    (f32.store offset=4 (local.get $out) (local.get $b))
  )
)
