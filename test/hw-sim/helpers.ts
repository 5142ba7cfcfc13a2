/** Shared imports of the hw-sim tests. */
export * from '../../hw-sim/index.ts';
export { shapeSize as shapeSizeOf } from '../../quant/format/shapes.ts';
