import { CosimError } from '../../quant/errors.ts';

/** The simulated RTL stopped itself: a failed assertion ($stop/$error), $finish, or a Verilator fatal error. */
export class SimStopError extends CosimError {}
