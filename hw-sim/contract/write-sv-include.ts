/** Writes rtl/tb/ic_beat.svh from the contract: `node --import tsx hw-sim/contract/write-sv-include.ts`. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svBeatInclude } from './sv-include.ts';

export const SV_INCLUDE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rtl', 'tb', 'ic_beat.svh');

writeFileSync(SV_INCLUDE_PATH, svBeatInclude());
