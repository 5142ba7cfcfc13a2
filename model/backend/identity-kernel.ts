/**
 * Identity on the WASM backend as a second reference to its input's heap buffer (the backend's reference count, as
 * the CPU and WebGL backends' Identity and the WASM backend's own Reshape do) instead of the shipped kernel's copy.
 * tfjs clones through Identity every tensor it saves for a gradient (a CNN training step: 35 of them in float mode,
 * 55-59 in QAT, most of them [64, 28, 28, 8]). Sharing is safe because no kernel writes into its inputs: every
 * kernel of the backend and of model/backend makes its outputs, and a Variable's assign takes the new tensor's
 * buffer, leaving the old one to its other references. Strings keep the original kernel.
 * Cast to the input's own dtype is the same identity (tfjs's Mul and Div gradients cast each operand to float32;
 * the shipped kernel copies it, as the CPU backend does not); other casts keep the original kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountedBackend {
  incRef(dataId: object): void;
}

function share(x: TensorInfo, backend: unknown): TensorInfo {
  (backend as RefCountedBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function identityConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? original.kernelFunc(args) : share(x, args.backend);
  };
  return { ...original, backendName, kernelFunc };
}

export function sameTypeCastConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as { dtype: string };
    return x.dtype === dtype && dtype !== 'string' ? share(x, args.backend) : original.kernelFunc(args);
  };
  return { ...original, backendName, kernelFunc };
}
