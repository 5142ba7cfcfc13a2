/**
 * Activation range observers. `MovingAverageMinMaxObserver` keeps an exponential moving average of the batch
 * min and max (PyTorch's MovingAverageMinMaxObserver, averaging constant 0.01); its first batch sets the range.
 * Once frozen it ignores updates. `params(bits)` turns the range into the affine parameters of quant/spec
 * (`activationParams`: range widened to hold 0, integer zero point).
 */
import { activationParams, type AffineParams } from '../spec/index.ts';

export class MovingAverageMinMaxObserver {
  min = 0;
  max = 0;
  initialized = false;
  frozen = false;
  constructor(readonly averagingConstant = 0.01) {
    if (!(averagingConstant > 0 && averagingConstant <= 1)) {
      throw new RangeError(`observer averaging constant must be in (0, 1], got ${averagingConstant}`);
    }
  }

  /** Folds one batch's range in; returns false when frozen (nothing changed). */
  update(batchMin: number, batchMax: number): boolean {
    if (this.frozen) return false;
    if (!Number.isFinite(batchMin) || !Number.isFinite(batchMax) || batchMin > batchMax) {
      throw new RangeError(`observer: expected a finite batch range min <= max, got [${batchMin}, ${batchMax}]`);
    }
    if (!this.initialized) {
      this.min = batchMin;
      this.max = batchMax;
      this.initialized = true;
    } else {
      const c = this.averagingConstant;
      this.min += c * (batchMin - this.min);
      this.max += c * (batchMax - this.max);
    }
    return true;
  }

  /** Sets the range outright (from a calibration pass). */
  reset(min: number, max: number): void {
    this.min = min;
    this.max = max;
    this.initialized = true;
  }

  freeze(): void {
    this.frozen = true;
  }

  params(bits: number): AffineParams {
    if (!this.initialized) throw new Error('observer has seen no data yet');
    return activationParams(this.min, this.max, bits);
  }

  toJSON(): { min: number; max: number; frozen: boolean } {
    return { min: this.min, max: this.max, frozen: this.frozen };
  }
}

/** Plain min/max over everything seen (post-training calibration). */
export class MinMaxObserver {
  min = Infinity;
  max = -Infinity;
  update(batchMin: number, batchMax: number): void {
    if (batchMin < this.min) this.min = batchMin;
    if (batchMax > this.max) this.max = batchMax;
  }
  params(bits: number): AffineParams {
    if (!(this.min <= this.max)) throw new Error('observer has seen no data yet');
    return activationParams(this.min, this.max, bits);
  }
}
