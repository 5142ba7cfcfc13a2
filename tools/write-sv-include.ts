/** Writes rtl/tb/ic_beat.svh from the contract: `node --import tsx tools/write-sv-include.ts`. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svBeatInclude } from '../hw-sim/contract/sv-include.ts';

export const SV_INCLUDE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'rtl', 'tb', 'ic_beat.svh');

writeFileSync(SV_INCLUDE_PATH, svBeatInclude());
