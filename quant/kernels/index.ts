/**
 * The reference kernels of the layers that are not GEMMs (pooling, ADD, softmax): one file an op, each a loop
 * over quant/spec's arithmetic. The golden model runs them, and so do hw-sim's host ops: one copy of each.
 */
export { maxPool2d } from './max-pool2d.ts';
export { averagePool2d } from './average-pool2d.ts';
export { add, addDirect, addTable } from './add.ts';
export { prepareSoftmax, type PreparedSoftmax } from './softmax.ts';
