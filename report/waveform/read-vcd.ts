/**
 * Reads a VCD file with vcd-stream's WASM parser into per-signal change lists. The file is fed in chunks of at
 * most 32 KiB (the parser copies each chunk onto the WASM stack). Values are BigInts with a mask of the bits
 * that are x or z.
 */
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { FormatError, UsageError } from '../../quant/errors.ts';

export interface VcdChange {
  time: number;
  value: bigint;
  /** Bits that are x or z. */
  mask: bigint;
}

export interface VcdSignal {
  /** Dotted scope path, e.g. `TOP.systolic_top.u_array.g_row[1].g_col[2].u_pe.psum_q`. */
  path: string;
  /** The leaf name, e.g. `psum_q`. */
  name: string;
  width: number;
  changes: VcdChange[];
}

export interface VcdWindow {
  timescale?: string;
  signals: VcdSignal[];
  /** The last time stamp of the file. */
  endTime: number;
}

const CHUNK = 32 * 1024;

interface VcdScope { kind: 'scope'; name: string; body: (VcdScope | VcdVar)[] }
interface VcdVar { kind: 'var'; name: string; size: number; link: string }
interface VcdParser {
  write(chunk: Uint8Array, cb: (err?: Error | null) => void): boolean;
  end(cb: () => void): void;
  on(event: '$enddefinitions' | 'error', fn: (e?: unknown) => void): void;
  change: { any(fn: (id: string, time: bigint | number, cmd: number, value?: bigint, mask?: bigint) => void): void };
  info: { wires: VcdScope; timescale?: string };
  getTime(): bigint;
}
interface VcdStream {
  createVCD(): Promise<unknown>;
  webVcdParser(mod: unknown): Promise<VcdParser>;
}

let vcdStream: VcdStream | undefined;
function lib(): VcdStream {
  vcdStream ??= createRequire(import.meta.url)('vcd-stream') as VcdStream;
  return vcdStream;
}

// vcd-stream's command codes of a one-bit change: 14 '0', 15 '1'; 16..28 x, z and the VHDL states.
const CMD_ZERO = 14;
const CMD_ONE = 15;
const CMD_LAST_SCALAR = 28;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * vcd-stream right-aligns the digits it read and drops leading zeros, so "bx" arrives as mask 1. In VCD a
 * vector whose leftmost digit is x or z extends that to the full width: when the mask reaches at least as
 * high as the value, x-extend. (A written "b0x" is read the same way, which shows as x: the safe side.)
 */
function extendX(value: bigint, mask: bigint, width: number): bigint {
  const m = bitLength(mask);
  if (mask === 0n || m < bitLength(value) || m >= width) return mask;
  return mask | (((1n << BigInt(width)) - 1n) & ~((1n << BigInt(m)) - 1n));
}

/**
 * Writes a chunk. The WASM wrapper reports a parse error only by console.log of its error code, from inside
 * the synchronous write: catch that here and return it.
 */
function writeChunk(parser: VcdParser, chunk: Uint8Array): Promise<number | undefined> {
  return new Promise((res, rej) => {
    let code: number | undefined;
    const log = console.log;
    console.log = (...args: unknown[]): void => {
      if (args.length === 1 && typeof args[0] === 'number') code = args[0];
      else log(...args);
    };
    try {
      parser.write(chunk, (e) => (e ? rej(e) : res(code)));
    } finally {
      console.log = log;
    }
  });
}

function collectVars(scope: VcdScope, prefix: string, out: Map<string, VcdSignal[]>): void {
  for (const item of scope.body) {
    if (item.kind === 'scope') {
      collectVars(item, prefix === '' ? item.name : `${prefix}.${item.name}`, out);
    } else {
      const sig: VcdSignal = { path: prefix === '' ? item.name : `${prefix}.${item.name}`, name: item.name, width: item.size, changes: [] };
      const list = out.get(item.link);
      if (list === undefined) out.set(item.link, [sig]);
      else list.push(sig);
    }
  }
}

export async function readVcd(path: string): Promise<VcdWindow> {
  const { createVCD, webVcdParser } = lib();
  const parser = await webVcdParser(await createVCD());
  const byId = new Map<string, VcdSignal[]>();
  let defined = false;
  parser.on('$enddefinitions', () => {
    defined = true;
    collectVars(parser.info.wires, '', byId);
  });
  let parseError: unknown;
  parser.on('error', (e) => { parseError = e; });
  parser.change.any((id, time, cmd, value, mask) => {
    const sigs = byId.get(id);
    if (sigs === undefined) return;
    let change: VcdChange;
    if (cmd >= CMD_ZERO && cmd <= CMD_LAST_SCALAR) {
      change = { time: Number(time), value: cmd === CMD_ONE ? 1n : 0n, mask: cmd === CMD_ZERO || cmd === CMD_ONE ? 0n : 1n };
    } else {
      change = { time: Number(time), value: value ?? 0n, mask: mask ?? 0n };
    }
    for (const s of sigs) s.changes.push(change.mask === 0n ? change : { ...change, mask: extendX(change.value, change.mask, s.width) });
  });

  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new UsageError(`cannot read the VCD window ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      parseError ??= await writeChunk(parser, buf.slice(0, bytesRead));
    }
    // A change on the last line is reported only once whitespace follows its identifier.
    parseError ??= await writeChunk(parser, new TextEncoder().encode('\n'));
    await new Promise<void>((res) => parser.end(res));
  } finally {
    await fh.close();
  }
  if (parseError !== undefined) throw new FormatError(`${path}: not a valid VCD file (vcd-stream error ${String(parseError)})`, { cause: parseError });
  if (!defined) throw new FormatError(`${path}: not a VCD file (no $enddefinitions)`);
  const signals = [...byId.values()].flat();
  const window: VcdWindow = { signals, endTime: Number(parser.getTime()) };
  if (parser.info.timescale !== undefined) window.timescale = parser.info.timescale;
  return window;
}
