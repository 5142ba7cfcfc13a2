// Entry of a reference worker thread (referenceAhead.ts): the TypeScript loader, as bin/int8cosim.mjs registers
// it, then the worker's body. A worker thread does not inherit a loader registered in the main thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./referenceWorker.ts');
