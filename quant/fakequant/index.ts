export { equalMask, fakeQuantize, fakeQuantizeBias, fakeQuantizeReference, FAKE_QUANTIZE_KERNEL, HALF_MINUS, roundHalfAwayFromZeroT } from './fake-quantize.ts';
export { MovingAverageMinMaxObserver, MinMaxObserver } from './observer.ts';
export { weightChannelParams, weightChannelParamsFromMax, quantizeWeights, type ChannelQuant, type WeightClipping } from './weight-params.ts';
export { LearnedStepQuantizer, mseStep } from './learned-step.ts';
