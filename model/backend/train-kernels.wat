;; Training kernels of the tfjs WASM backend (SIMD128), compiled by tools/build-wasm.ts with wabt's wat2wasm into
;; train-kernels.wasm beside this file (committed; test/model/train-kernels-build.test.ts rebuilds it and compares
;; the bytes). The module imports the backend's own memory (./train-kernels.ts instantiates it with the
;; Emscripten heap), so every pointer is a byte offset of a tensor or of scratch the backend malloc'ed: no copies.
;; Each kernel has a plain version that stays its reference in the tests:
;;   conv_filter_grad  dW of a conv2d as 4 x 8 register tiles      reference: tf's Conv2DBackpropFilter (cpu)
;;   bn_sums, bn_apply, bn_grad_sums, bn_grad_apply                 reference: ./batch-norm-train-kernels.ts
;;                     BatchNorm in training mode, float64 lanes in the JS loops' order: the same bits
;;   fq_tensor, fq_channel  fake-quant forward and its STE mask      reference: quant/fakequant's tf-op chain
;;   minmax            min and max of a float32 tensor               reference: tf.min, tf.max

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
  ;; BatchNorm in training mode over x [m, c] (c a multiple of 4, m >= 1), float64 per channel, each channel's sums
  ;; taken over the rows in order, exactly as batch-norm-train-kernels.ts's loops (so the same bits):
  ;;   bn_sums(x, m, c, s1, s2)              s1[j] = sum_i x[i, j], s2[j] = sum_i x[i, j]^2      (s1, s2 f64 [c])
  ;;   bn_apply(x, y, m, c, scale, shift)    y[i, j] = f32(x[i, j] * scale[j] + shift[j])       (f64 [c])
  ;;   bn_grad_sums(dy, x, m, c, mean, s, sx)  s[j] = sum_i dy[i, j], sx[j] = sum_i dy[i, j] * (x[i, j] - mean[j])
  ;;   bn_grad_apply(dy, x, dx, m, c, mean, k, a, r)
  ;;                      dx[i, j] = f32(k[j] * ((dy[i, j] - a[j]) - (x[i, j] - mean[j]) * r[j]))
  ;; A v128 of four float32 channels is two f64x2: lanes 0-1 promoted directly, lanes 2-3 after a shuffle down.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $hi (param $v v128) (result v128)
    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))

  (func $join (param $lo v128) (param $hi v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))

  (func $zero_f64 (param $p i32) (param $c i32)
    (memory.fill (local.get $p) (i32.const 0) (i32.shl (local.get $c) (i32.const 3))))

  (func (export "bn_sums") (param $x i32) (param $m i32) (param $c i32) (param $s1 i32) (param $s2 i32)
    (local $end i32) (local $j i32) (local $v v128) (local $lo v128) (local $hi v128) (local $p1 i32) (local $p2 i32)
    (call $zero_f64 (local.get $s1) (local.get $c))
    (call $zero_f64 (local.get $s2) (local.get $c))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $c)) (i32.const 2))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $p1 (local.get $s1))
        (local.set $p2 (local.get $s2))
        (local.set $j (local.get $c))
        (loop $chans
          (local.set $v (v128.load (local.get $x)))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (call $hi (local.get $v)))
          (v128.store (local.get $p1) (f64x2.add (v128.load (local.get $p1)) (local.get $lo)))
          (v128.store offset=16 (local.get $p1) (f64x2.add (v128.load offset=16 (local.get $p1)) (local.get $hi)))
          (v128.store (local.get $p2) (f64x2.add (v128.load (local.get $p2)) (f64x2.mul (local.get $lo) (local.get $lo))))
          (v128.store offset=16 (local.get $p2)
            (f64x2.add (v128.load offset=16 (local.get $p2)) (f64x2.mul (local.get $hi) (local.get $hi))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $p1 (i32.add (local.get $p1) (i32.const 32)))
          (local.set $p2 (i32.add (local.get $p2) (i32.const 32)))
          (local.set $j (i32.sub (local.get $j) (i32.const 4)))
          (br_if $chans (local.get $j)))
        (br $rows)))
  )

  (func (export "bn_apply") (param $x i32) (param $y i32) (param $m i32) (param $c i32) (param $scale i32) (param $shift i32)
    (local $end i32) (local $j i32) (local $v v128) (local $ps i32) (local $pt i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $c)) (i32.const 2))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $ps (local.get $scale))
        (local.set $pt (local.get $shift))
        (local.set $j (local.get $c))
        (loop $chans
          (local.set $v (v128.load (local.get $x)))
          (v128.store (local.get $y) (call $join
            (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (v128.load (local.get $ps))) (v128.load (local.get $pt)))
            (f64x2.add (f64x2.mul (call $hi (local.get $v)) (v128.load offset=16 (local.get $ps))) (v128.load offset=16 (local.get $pt)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $y (i32.add (local.get $y) (i32.const 16)))
          (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
          (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
          (local.set $j (i32.sub (local.get $j) (i32.const 4)))
          (br_if $chans (local.get $j)))
        (br $rows)))
  )

  (func (export "bn_grad_sums")
    (param $dy i32) (param $x i32) (param $m i32) (param $c i32) (param $mean i32) (param $s i32) (param $sx i32)
    (local $end i32) (local $j i32) (local $d v128) (local $v v128) (local $dlo v128) (local $dhi v128)
    (local $pm i32) (local $p1 i32) (local $p2 i32)
    (call $zero_f64 (local.get $s) (local.get $c))
    (call $zero_f64 (local.get $sx) (local.get $c))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $c)) (i32.const 2))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $pm (local.get $mean))
        (local.set $p1 (local.get $s))
        (local.set $p2 (local.get $sx))
        (local.set $j (local.get $c))
        (loop $chans
          (local.set $d (v128.load (local.get $dy)))
          (local.set $v (v128.load (local.get $x)))
          (local.set $dlo (f64x2.promote_low_f32x4 (local.get $d)))
          (local.set $dhi (call $hi (local.get $d)))
          (v128.store (local.get $p1) (f64x2.add (v128.load (local.get $p1)) (local.get $dlo)))
          (v128.store offset=16 (local.get $p1) (f64x2.add (v128.load offset=16 (local.get $p1)) (local.get $dhi)))
          (v128.store (local.get $p2) (f64x2.add (v128.load (local.get $p2))
            (f64x2.mul (local.get $dlo) (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (v128.load (local.get $pm))))))
          (v128.store offset=16 (local.get $p2) (f64x2.add (v128.load offset=16 (local.get $p2))
            (f64x2.mul (local.get $dhi) (f64x2.sub (call $hi (local.get $v)) (v128.load offset=16 (local.get $pm))))))
          (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $pm (i32.add (local.get $pm) (i32.const 32)))
          (local.set $p1 (i32.add (local.get $p1) (i32.const 32)))
          (local.set $p2 (i32.add (local.get $p2) (i32.const 32)))
          (local.set $j (i32.sub (local.get $j) (i32.const 4)))
          (br_if $chans (local.get $j)))
        (br $rows)))
  )

  ;; (dy - a) - (x - mean) * r, times k, on one f64x2 of channels (pointers at that pair's parameters)
  (func $grad2 (param $d v128) (param $v v128) (param $pm i32) (param $pk i32) (param $pa i32) (param $pr i32) (result v128)
    (f64x2.mul (v128.load (local.get $pk))
      (f64x2.sub (f64x2.sub (local.get $d) (v128.load (local.get $pa)))
        (f64x2.mul (f64x2.sub (local.get $v) (v128.load (local.get $pm))) (v128.load (local.get $pr))))))

  (func (export "bn_grad_apply")
    (param $dy i32) (param $x i32) (param $dx i32) (param $m i32) (param $c i32)
    (param $mean i32) (param $k i32) (param $a i32) (param $r i32)
    (local $end i32) (local $j i32) (local $d v128) (local $v v128) (local $o i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $c)) (i32.const 2))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $o (i32.const 0))
        (local.set $j (local.get $c))
        (loop $chans
          (local.set $d (v128.load (local.get $dy)))
          (local.set $v (v128.load (local.get $x)))
          (v128.store (local.get $dx) (call $join
            (call $grad2 (f64x2.promote_low_f32x4 (local.get $d)) (f64x2.promote_low_f32x4 (local.get $v))
              (i32.add (local.get $mean) (local.get $o)) (i32.add (local.get $k) (local.get $o))
              (i32.add (local.get $a) (local.get $o)) (i32.add (local.get $r) (local.get $o)))
            (call $grad2 (call $hi (local.get $d)) (call $hi (local.get $v))
              (i32.add (local.get $mean) (i32.add (local.get $o) (i32.const 16)))
              (i32.add (local.get $k) (i32.add (local.get $o) (i32.const 16)))
              (i32.add (local.get $a) (i32.add (local.get $o) (i32.const 16)))
              (i32.add (local.get $r) (i32.add (local.get $o) (i32.const 16))))))
          (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (local.set $j (i32.sub (local.get $j) (i32.const 4)))
          (br_if $chans (local.get $j)))
        (br $rows)))
  )

  ;; ---------------------------------------------------------------------------------------------------------
  ;; Fake quantization, the float32 ops of quant/fakequant/fake-quantize.ts in the same order (so the same bits):
  ;;   t = x / scale
  ;;   general:      r = clip(4t, -1, 1) * floor(|t| + HALF_MINUS),  rc = min(max(r, lo), hi)
  ;;   nonNegative:  r = floor(t + HALF_MINUS),                      rc = min(r, hi)
  ;;   y = rc * scale,  mask = 1 where r == rc else 0 (the straight-through estimator's)
  ;; lo = qmin - zeroPoint, hi = qmax - zeroPoint. fq_tensor: one scale, n a multiple of 4 (its tail is the
  ;; caller's: n % 4 elements by fq_channel with c = 1). fq_channel: scale[i % c] (float32 [c]), one lane at a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "fq_tensor")
    (param $x i32) (param $y i32) (param $mask i32) (param $n i32) (param $scale f32) (param $lo f32) (param $hi f32)
    (param $half f32) (param $nonNeg i32)
    (local $end i32) (local $s v128) (local $l v128) (local $h v128) (local $hm v128) (local $t v128) (local $r v128)
    (local $rc v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $l (f32x4.splat (local.get $lo)))
    (local.set $h (f32x4.splat (local.get $hi)))
    (local.set $hm (f32x4.splat (local.get $half)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $elems
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $t (f32x4.div (v128.load (local.get $x)) (local.get $s)))
        (if (local.get $nonNeg)
          (then
            (local.set $r (f32x4.floor (f32x4.add (local.get $t) (local.get $hm))))
            (local.set $rc (f32x4.pmin (local.get $r) (local.get $h))))
          (else
            (local.set $r (f32x4.mul
              (f32x4.pmin (f32x4.pmax (f32x4.mul (local.get $t) (v128.const f32x4 4 4 4 4)) (v128.const f32x4 -1 -1 -1 -1))
                (v128.const f32x4 1 1 1 1))
              (f32x4.floor (f32x4.add (f32x4.abs (local.get $t)) (local.get $hm)))))
            (local.set $rc (f32x4.pmin (f32x4.pmax (local.get $r) (local.get $l)) (local.get $h)))))
        (v128.store (local.get $y) (f32x4.mul (local.get $rc) (local.get $s)))
        (v128.store (local.get $mask) (v128.and (f32x4.eq (local.get $r) (local.get $rc)) (v128.const f32x4 1 1 1 1)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 16)))
        (br $elems)))
  )

;; the scalar pmin / pmax: b < a ? b : a and a < b ? b : a (C++'s std::min and std::max, zero signs included)
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
            (local.set $rc (call $pmin (local.get $r) (local.get $hi))))
          (else
            (local.set $r (f32.mul
              (call $pmin (call $pmax (f32.mul (local.get $t) (f32.const 4)) (f32.const -1)) (f32.const 1))
              (f32.floor (f32.add (f32.abs (local.get $t)) (local.get $half)))))
            (local.set $rc (call $pmin (call $pmax (local.get $r) (local.get $lo)) (local.get $hi)))))
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
  ;; minmax(x, n, out): out[0] = min, out[1] = max of the float32 x[n] (n >= 1; NaN-free input), as f32.
  ;; ---------------------------------------------------------------------------------------------------------
  (func (export "minmax") (param $x i32) (param $n i32) (param $out i32)
    (local $end i32) (local $lo v128) (local $hi v128) (local $v v128) (local $a f32) (local $b f32)
    (local.set $lo (v128.load32_splat (local.get $x)))
    (local.set $hi (local.get $lo))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vecs
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $lo (f32x4.min (local.get $lo) (local.get $v)))
        (local.set $hi (f32x4.max (local.get $hi) (local.get $v)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $vecs)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load32_splat (local.get $x)))
        (local.set $lo (f32x4.min (local.get $lo) (local.get $v)))
        (local.set $hi (f32x4.max (local.get $hi) (local.get $v)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail)))
    (local.set $a (f32.min (f32.min (f32x4.extract_lane 0 (local.get $lo)) (f32x4.extract_lane 1 (local.get $lo)))
      (f32.min (f32x4.extract_lane 2 (local.get $lo)) (f32x4.extract_lane 3 (local.get $lo)))))
    (local.set $b (f32.max (f32.max (f32x4.extract_lane 0 (local.get $hi)) (f32x4.extract_lane 1 (local.get $hi)))
      (f32.max (f32x4.extract_lane 2 (local.get $hi)) (f32x4.extract_lane 3 (local.get $hi)))))
    (f32.store (local.get $out) (local.get $a))
    (f32.store offset=4 (local.get $out) (local.get $b))
  )
)
