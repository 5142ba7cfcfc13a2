;; hw-sim's WebAssembly kernel (loaded by beat-rows.ts beside it; compiled to beat-rows.wasm by tools/build-wasm.ts):
;; the column sums of a run of beats on one weight bank, which the grid's lazy cycles take (hw-sim/array-sim.ts).
;; hw-sim's own code, sharing nothing with the golden model's kernels (quant/golden/wasm), which it checks.
(module
  (memory (export "mem") 1)

  ;; ---------------------------------------------------------------------------------------------------------
  ;; rows(a, w, out, k, r, c): out[i][j] = sum over q < r of a[i][q] * w[q][j], wrapping modulo 2^32, i < k, j < c.
  ;;   a: int32 [k][r], beat i's activations (int8 values); w: int32 [r][c], one bank's weights; out: int32 [k][c].
  ;;   Pointers are byte offsets into mem.
  ;; Four columns at a time in one i32x4 accumulator: i32x4.mul and i32x4.add wrap like the array's int32 partial
  ;; sums, and a sum modulo 2^32 is the same in any order, so the grid's order (row 0 first) needs no keeping. The
  ;; last c mod 4 columns one at a time.
  ;; ---------------------------------------------------------------------------------------------------------
  (func $rows (export "rows")
    (param $a i32) (param $w i32) (param $out i32) (param $k i32) (param $r i32) (param $c i32)
    (local $i i32) (local $j i32) (local $q i32) (local $ap i32) (local $wp i32) (local $op i32)
    (local $c4 i32) (local $wrow i32) (local $s i32) (local $acc v128)
    (local.set $c4 (i32.and (local.get $c) (i32.const -4)))
    (local.set $wrow (i32.shl (local.get $c) (i32.const 2)))
    (local.set $ap (local.get $a))
    (local.set $op (local.get $out))
    (local.set $i (i32.const 0))
    (block $beats_done
      (loop $beats
        (br_if $beats_done (i32.ge_u (local.get $i) (local.get $k)))
        ;; columns j .. j+3
        (local.set $j (i32.const 0))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $q (i32.const 0))
            (block $rows_done
              (loop $rows_q
                (br_if $rows_done (i32.ge_u (local.get $q) (local.get $r)))
                (local.set $acc
                  (i32x4.add (local.get $acc)
                    (i32x4.mul
                      (i32x4.splat (i32.load (i32.add (local.get $ap) (i32.shl (local.get $q) (i32.const 2)))))
                      (v128.load (local.get $wp)))))
                (local.set $wp (i32.add (local.get $wp) (local.get $wrow)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $rows_q)))
            (v128.store (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quads)))
        ;; the last c mod 4 columns
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $s (i32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $q (i32.const 0))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_u (local.get $q) (local.get $r)))
                (local.set $s
                  (i32.add (local.get $s)
                    (i32.mul
                      (i32.load (i32.add (local.get $ap) (i32.shl (local.get $q) (i32.const 2))))
                      (i32.load (local.get $wp)))))
                (local.set $wp (i32.add (local.get $wp) (local.get $wrow)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $tail)))
            (i32.store (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $ap (i32.add (local.get $ap) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $op (i32.add (local.get $op) (local.get $wrow)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $beats)))
  )
)
