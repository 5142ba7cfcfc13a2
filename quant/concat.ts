/** concat: typed arrays of one kind end to end, in a new array (the golden model's sub-batches, coverage's beat streams). */
export function concat<T extends Int8Array | Int32Array>(make: new (length: number) => T, parts: readonly T[]): T {
  const out = new make(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
