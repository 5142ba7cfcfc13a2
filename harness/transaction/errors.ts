/**
 * What the transaction scoreboard reports (docs/ARCHITECTURE.md, "Transaction-level contract"): one class per
 * failure kind, each naming the layer, the output tile, the output row (its address) and the cycle. The message is
 * the one line a CLI prints.
 */
import { CosimError } from '../../quant/errors.ts';

/** Where a row sits: the program, the output tile (its last K-tile) and the row's address in the pass. */
export interface RowPlace {
  /** The layer (the program's name). */
  readonly layer: string;
  /** What the program was run for, e.g. "image 17" (may be empty). */
  readonly context: string;
  /** The output tile, "n1 k2" or "n0 k1 pass 1" (hw-sim/compiler tileName of its last K-tile). */
  readonly tile: string;
  /** The row's accumulator address (o_addr_o): its row m = pass * AccDepth + addr of Y. */
  readonly addr: number;
  /** Y's row, pass * AccDepth + addr. */
  readonly m: number;
}

/** Any breach of the transaction-level contract. `cycle`: the cycle since the run's reset it showed in. */
export class TransactionError extends CosimError {
  constructor(
    readonly place: RowPlace,
    readonly cycle: number,
    message: string,
  ) {
    super(message);
  }
}

/** "layer conv1 (image 3), tile n1 k0, output row 5 (address 5)" */
export function placeText(p: RowPlace): string {
  const ctx = p.context ? ` (${p.context})` : '';
  const row = p.m === p.addr ? `output row ${p.m} (address ${p.addr})` : `output row ${p.m} (address ${p.addr} of its pass)`;
  return `layer ${p.layer}${ctx}, tile ${p.tile}, ${row}`;
}

/** A row came out once, where expected, but one of its values differs from hw-sim's. */
export class TransactionMismatch extends TransactionError {
  constructor(
    place: RowPlace,
    cycle: number,
    /** o_acc_o (the value that entered the requantizer) or o_data_o (what the requantizer made of it). */
    readonly port: 'o_acc_o' | 'o_data_o',
    /** The array column; Y's column is n0 + column. */
    readonly column: number,
    readonly expected: number,
    readonly actual: number,
    /** Cycle the row's beat was taken by the array. */
    readonly beatCycle: number,
    /** cycle - beatCycle. */
    readonly latency: number,
    /** Other differing words of the row, e.g. ["o_data_o[2]"]. */
    readonly also: readonly string[],
    /** The row's values are exactly those of another row of the tile not yet seen: its address looks wrong. */
    readonly sameAsAddr: number | undefined,
  ) {
    const more = also.length === 0 ? '' : `; the row also differs at ${also.slice(0, 4).join(', ')}${also.length > 4 ? ` and ${also.length - 4} more` : ''}`;
    const addrHint = sameAsAddr === undefined ? '' : `; its values are those expected at address ${sameAsAddr} (not seen yet): is o_addr_o wrong?`;
    super(
      place,
      cycle,
      `RTL and hw-sim differ in ${placeText(place)}, column ${column} (${port}[${column}]): hw-sim ${expected}, RTL ${actual}; ` +
        `the row appeared in cycle ${cycle}, latency ${latency} (its beat in cycle ${beatCycle})${more}${addrHint}`,
    );
  }
}

/** Rows of an output tile that never came out: at finish, or when the next tile's rows began (rows keep tile order). */
export class MissingRowError extends TransactionError {
  constructor(
    place: RowPlace,
    cycle: number,
    /** Rows outstanding (of the whole program at finish; of the tile when the next tile's rows began). */
    readonly outstanding: number,
    readonly beatCycle: number,
    /** 'finish': the run ended; 'next-tile': a row of the next output tile came first. */
    readonly when: 'finish' | 'next-tile',
    /** Cycles since the program's first cycle. */
    readonly after: number,
    /** Why the driver gave up, when it knows more (e.g. the words the RTL never took while a_ready_o stayed 0). */
    readonly note?: string,
  ) {
    const why =
      when === 'finish'
        ? `${outstanding} row${outstanding === 1 ? '' : 's'} outstanding after ${after} cycles (cycle ${cycle})`
        : `${outstanding} row${outstanding === 1 ? '' : 's'} of the tile never came out before a row of the next output tile in cycle ${cycle}`;
    super(place, cycle, `${why}: the first missing is ${placeText(place)}, its beat in cycle ${beatCycle}${note === undefined ? '' : `; ${note}`}`);
  }
}

/** A row at an address its tile already delivered. */
export class DuplicateRowError extends TransactionError {
  constructor(
    place: RowPlace,
    cycle: number,
    /** The cycle the row first appeared. */
    readonly firstCycle: number,
    /** The second copy's values are hw-sim's for the row. */
    readonly hwSimValues: boolean,
    /** Its values are exactly those expected at another address of the tile, not seen yet. */
    readonly sameAsAddr: number | undefined,
  ) {
    const hint = sameAsAddr === undefined ? '' : `; its values are those expected at address ${sameAsAddr} (not seen yet): is o_addr_o wrong?`;
    super(
      place,
      cycle,
      `a second row of ${placeText(place)} appeared in cycle ${cycle} (first in cycle ${firstCycle}, ${hwSimValues ? "this copy with hw-sim's values" : "this copy with other values than hw-sim's"})${hint}`,
    );
  }
}

/** A row at an address the current output tile does not have, or after every row of the program came out. */
export class UnexpectedRowError extends TransactionError {
  constructor(
    place: RowPlace,
    cycle: number,
    /** Rows the tile has (addresses 0 .. rows-1), 0 after the program's last row. */
    readonly rows: number,
    readonly sameAsAddr: number | undefined,
  ) {
    const where = rows === 0 ? 'after every row of the program came out' : `but tile ${place.tile} has addresses 0..${rows - 1}`;
    const hint = sameAsAddr === undefined ? '' : `; its values are those expected at address ${sameAsAddr} (not seen yet): is o_addr_o wrong?`;
    super(place, cycle, `an unexpected row at address ${place.addr} in layer ${place.layer}${place.context ? ` (${place.context})` : ''}, cycle ${cycle}, ${where}${hint}`);
  }
}
