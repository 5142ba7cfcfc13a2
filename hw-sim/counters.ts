/**
 * Event counters of one ArraySim, counted while it runs (never derived afterwards). A stats report subtracts two
 * snapshots to get the events of one layer.
 */
export interface ArrayCounters {
  /** Clock edges since reset. */
  cycles: number;
  /** Cycles with w_en (one weight row of C int8 each). */
  weightRowWrites: number;
  /** Cycles with a_en (one activation vector of R int8 each). */
  beats: number;
  firstBeats: number;
  lastBeats: number;
  /** MAC operations the beats perform on their way through the array (R*C per beat, counted at issue). */
  peMacs: number;
  /** Cycles with p_en (one column's bias, m0, shift). */
  paramWrites: number;
  /** Cycles with c_en (zero point and clamps). */
  configWrites: number;
  /** Accumulator memory writes (one row of C int32): overwrite on `first`, read-add-write otherwise. */
  accOverwrites: number;
  accAdds: number;
  /** Cycles with o_valid (one output row of C int8). */
  outputRows: number;
}

export function zeroCounters(): ArrayCounters {
  return {
    cycles: 0,
    weightRowWrites: 0,
    beats: 0,
    firstBeats: 0,
    lastBeats: 0,
    peMacs: 0,
    paramWrites: 0,
    configWrites: 0,
    accOverwrites: 0,
    accAdds: 0,
    outputRows: 0,
  };
}

/** b - a, field by field (the events between two snapshots). */
export function diffCounters(a: ArrayCounters, b: ArrayCounters): ArrayCounters {
  const out = zeroCounters();
  for (const k of Object.keys(out) as (keyof ArrayCounters)[]) out[k] = b[k] - a[k];
  return out;
}
