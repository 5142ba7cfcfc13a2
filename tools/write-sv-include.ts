/**
 * Writes the SystemVerilog renderings of the contract: rtl/tb/ic_beat.svh (the testbenches' signals and word
 * layouts) and rtl/include/int8cosim_ports.svh (the port list of a top): `node --import tsx tools/write-sv-include.ts`.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svBeatInclude } from '../hw-sim/contract/sv-include.ts';
import { SV_PORTS_FILE, svPortsInclude } from '../hw-sim/contract/sv-ports.ts';

const RTL = join(dirname(fileURLToPath(import.meta.url)), '..', 'rtl');
export const SV_INCLUDE_PATH = join(RTL, 'tb', 'ic_beat.svh');
export const SV_PORTS_PATH = join(RTL, 'include', SV_PORTS_FILE);

writeFileSync(SV_INCLUDE_PATH, svBeatInclude());
writeFileSync(SV_PORTS_PATH, svPortsInclude());
