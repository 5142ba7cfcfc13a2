/**
 * Beat buffers kept for reuse, by length: a program's beats are megabytes, and a network walk compiles the same
 * layers' programs (same lengths) batch after batch. A buffer taken from the pool holds stale words; whoever takes
 * it overwrites every word (gemm-template.ts).
 */
export class BeatPool {
  private readonly free = new Map<number, Int32Array[]>();

  /** A buffer of exactly `words` words, stale contents, or a new one (zeros). */
  take(words: number): Int32Array {
    return this.free.get(words)?.pop() ?? new Int32Array(words);
  }

  /** Hands a buffer back; its owner no longer reads it. */
  give(beats: Int32Array): void {
    let list = this.free.get(beats.length);
    if (list === undefined) this.free.set(beats.length, (list = []));
    list.push(beats);
  }
}
