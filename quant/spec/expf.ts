/**
 * The float32 exp the runtime's softmax table is built with: glibc's expf (glibc >= 2.28 ships Arm's
 * optimized-routines algorithm, math/expf.c with EXP2F_TABLE_BITS = 5), which libtensorflowlite_c.so calls. It is
 * not correctly rounded (0.502 ulp), so Math.fround(Math.exp(x)) differs from it for about 1 float32 input in
 * 10^4 (97052 of the 1.12e9 floats in [-104, 0] on the project's machine). Emulated here in doubles, step by step:
 *
 *   kd = x * N/ln2 + 2^52 * 1.5          (rounded; N = 32)   ki = the bits of kd;  kd -= 2^52 * 1.5
 *   r  = x * N/ln2 - kd                   (|r| <= 1/2)
 *   s  = 2^(k/N) from the 32-entry table, its exponent raised by k / N
 *   y  = (C0 r + C1) r^2 + (C2 r + 1);   expf = float32(y * s)
 *
 * x86-64 glibc picks its FMA build (__expf_fma) on a CPU with FMA and AVX2: there GCC has fused every multiply-add
 * above into one rounding (variant 'fma', the default). Checked against the machine's glibc 2.36 expf on every
 * float32 in [-104, 0]: 'fma' equals it on all 1,120,927,745; 'plain' (separate roundings, a CPU without FMA)
 * differs from 'fma' on one of them (-0x1.f8cbb2p+5 = -63.09946060180664).
 */

const N = 32;
const INV_LN2_N = 1.4426950408889634 * N; // 0x1.71547652b82fep0 * N
const SHIFT = 6755399441055744; // 0x1.8p52
const C0 = 0.05550361559341535 / N / N / N; // 0x1.c6af84b912394p-5
const C1 = 0.2402284522445722 / N / N; // 0x1.ebfce50fac4f3p-3
const C2 = 0.6931471806916203 / N; // 0x1.62e42ff0c52d6p-1
/** exp2f_data.tab for N = 32: the bits of 2^(i/N) less i << (52 - 5). */
const TAB = [
  0x3ff0000000000000n, 0x3fefd9b0d3158574n, 0x3fefb5586cf9890fn, 0x3fef9301d0125b51n,
  0x3fef72b83c7d517bn, 0x3fef54873168b9aan, 0x3fef387a6e756238n, 0x3fef1e9df51fdee1n,
  0x3fef06fe0a31b715n, 0x3feef1a7373aa9cbn, 0x3feedea64c123422n, 0x3feece086061892dn,
  0x3feebfdad5362a27n, 0x3feeb42b569d4f82n, 0x3feeab07dd485429n, 0x3feea47eb03a5585n,
  0x3feea09e667f3bcdn, 0x3fee9f75e8ec5f74n, 0x3feea11473eb0187n, 0x3feea589994cce13n,
  0x3feeace5422aa0dbn, 0x3feeb737b0cdc5e5n, 0x3feec49182a3f090n, 0x3feed503b23e255dn,
  0x3feee89f995ad3adn, 0x3feeff76f2fb5e47n, 0x3fef199bdd85529cn, 0x3fef3720dcef9069n,
  0x3fef5818dcfba487n, 0x3fef7c97337b9b5fn, 0x3fefa4afa2a490dan, 0x3fefd0765b6e4540n,
] as const;

const view = new DataView(new ArrayBuffer(8));
const bitsOf = (d: number): bigint => (view.setFloat64(0, d), view.getBigUint64(0));
const doubleOf = (u: bigint): number => (view.setBigUint64(0, BigInt.asUintN(64, u)), view.getFloat64(0));

/** A finite double as m * 2^e with m a BigInt. */
function split(d: number): [bigint, number] {
  const u = bitsOf(d);
  const exp = Number((u >> 52n) & 0x7ffn);
  const frac = u & 0xfffffffffffffn;
  const m = exp === 0 ? frac : frac | 0x10000000000000n;
  return [u >> 63n ? -m : m, (exp === 0 ? 1 : exp) - 1075];
}

/** fma(a, b, c): a * b + c with one rounding to nearest-even (exact BigInt arithmetic; normal results). */
export function fma(a: number, b: number, c: number): number {
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const s = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e)); // exact: value = s * 2^e
  if (s === 0n) return 0;
  const neg = s < 0n;
  const mag = neg ? -s : s;
  const drop = Math.max(0, mag.toString(2).length - 53);
  let q = mag >> BigInt(drop);
  if (drop > 0) {
    const rem = mag - (q << BigInt(drop));
    const half = 1n << BigInt(drop - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const v = Number(q) * 2 ** (e + drop); // q <= 2^53: exact
  return neg ? -v : v;
}

export type ExpfVariant = 'fma' | 'plain';

/** glibc's expf of a float32 x (see above); the result is a float32 value. */
export function expf(x: number, variant: ExpfVariant = 'fma'): number {
  const xd = Math.fround(x);
  if (Number.isNaN(xd)) return xd;
  if (xd > 88.72283172607422) return Infinity; // 0x1.62e42ep6: overflow
  if (xd < -103.97207641601562) return 0; // -0x1.9fe368p6 = log(2^-150): underflow to 0
  const fused = variant === 'fma';
  // x * N/ln2 = k + r: round to an integer k through the shift, r the remainder
  const kShifted = fused ? fma(INV_LN2_N, xd, SHIFT) : INV_LN2_N * xd + SHIFT;
  const ki = bitsOf(kShifted);
  const kd = kShifted - SHIFT;
  const r = fused ? fma(INV_LN2_N, xd, -kd) : INV_LN2_N * xd - kd;
  const t = (TAB[Number(ki % 32n)] as bigint) + (ki << 47n);
  const s = doubleOf(t);
  // exp(x) = 2^(k/N) * 2^(r/N) ~= s * (C0 r^3 + C1 r^2 + C2 r + 1)
  const y = fused ? fma(fma(C0, r, C1), r * r, fma(C2, r, 1)) : (C0 * r + C1) * (r * r) + (C2 * r + 1);
  return Math.fround(y * s);
}
