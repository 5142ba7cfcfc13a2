/**
 * The layers that run on the host, between two array programs (docs/ARCHITECTURE.md section 9). Pooling, ADD and
 * softmax run the kernels of quant/kernels, the golden model's own (hw-sim/network/walk-network.ts calls them);
 * flatten and reshape only give the NHWC codes another shape.
 */
import { ShapeError } from '../../quant/errors.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { FlattenLayer, ReshapeLayer } from '../../quant/format/types.ts';

export function reshape(layer: FlattenLayer | ReshapeLayer, input: Int8Array): Int8Array {
  const n = shapeSize(layer.inputShape);
  if (input.length !== n) throw new ShapeError(`${layer.type} '${layer.name}': expected ${n} codes, got ${input.length}`);
  return input.slice();
}
