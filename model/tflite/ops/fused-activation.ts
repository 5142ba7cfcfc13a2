/** A fused activation function of an op, as the clamp of its int8 output (quant/spec `activationRange`). */
import { activationRange } from '../../../quant/spec/index.ts';
import type { TensorQuant } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import { option, type ImportContext } from './context.ts';

export const FUSED_ACTIVATIONS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

export function fusedActivation(ctx: ImportContext, op: TfliteOperator, out: TensorQuant): { actMin: number; actMax: number; activation: FusedActivation } {
  const f = option<string>(ctx, op, 'fusedActivationFunction', 'string');
  if (!(FUSED_ACTIVATIONS as readonly string[]).includes(f)) ctx.fail(op, `its fused activation ${f} is not supported; supported: ${FUSED_ACTIVATIONS.join(', ')}`);
  const activation = f as FusedActivation;
  return { ...activationRange(activation, out.scale, out.zeroPoint, out.qmin, out.qmax), activation };
}
