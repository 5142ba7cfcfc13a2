/**
 * The model as a graph: which tensors each layer reads. Layers are stored in an order where every layer comes
 * after the layers it reads (validateModel checks it), so a walk in that order is a topological one.
 */
import { ShapeError } from '../errors.ts';
import { MODEL_INPUT, type QuantModel } from './types.ts';

/**
 * For each layer, the slots of the tensors it reads: slot 0 is the model input, slot i + 1 layer i's output.
 * Absent `inputs`: the previous layer.
 */
export function inputSlots(model: QuantModel): number[][] {
  const slot = new Map<string, number>([[MODEL_INPUT, 0]]);
  return model.layers.map((layer, i) => {
    const names = layer.inputs ?? [i === 0 ? MODEL_INPUT : (model.layers[i - 1]?.name as string)];
    const slots = names.map((n) => {
      const s = slot.get(n);
      if (s === undefined) throw new ShapeError(`layer ${i} '${layer.name}' reads '${n}', which is neither an earlier layer nor '${MODEL_INPUT}'`);
      return s;
    });
    slot.set(layer.name, i + 1);
    return slots;
  });
}
