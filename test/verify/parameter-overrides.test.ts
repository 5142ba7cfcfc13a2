/**
 * The line (and report field) that says which parameters of the RTL config a regression palette overrides: the
 * config's own values are not the ones simulated, and a user reading rtl/cosim.json should not have to guess.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRtlConfig, parseRtlConfig } from '../../harness/config/rtlConfig.ts';
import { QUICK_PALETTE } from '../../verify/palette.ts';
import { parameterOverrides } from '../../verify/runner.ts';

const CFG = { rows: 3, cols: 5, accDepth: 8, roundingModes: ['single', 'double', 'ruy'] } as const;

describe('verify runner: the RTL config parameters the palette overrides', () => {
  it('names the config, its values and the configurations that replace them', () => {
    const own = JSON.parse(readFileSync('rtl/cosim.json', 'utf8')) as { parameters: Record<string, number> };
    const p = own.parameters;
    const o = parameterOverrides(loadRtlConfig(resolve('rtl', 'cosim.json')), QUICK_PALETTE);
    assert.equal(
      o.line,
      `rtl/cosim.json sets Rows=${p.Rows} Cols=${p.Cols} AccDepth=${p.AccDepth} RoundingModes=${p.RoundingModes}; ` +
        'the palette overrides Rows, Cols, AccDepth, RoundingModes per configuration: 3x5 D8, 5x2 D4',
    );
    assert.deepEqual(o.overridden, ['Rows', 'Cols', 'AccDepth', 'RoundingModes']);
    assert.deepEqual(o.configured, { Rows: p.Rows, Cols: p.Cols, AccDepth: p.AccDepth, RoundingModes: p.RoundingModes });
  });

  it('says which of them a config does not set', () => {
    const cfg = parseRtlConfig({ top: 'my_top', files: ['a.sv'], parameters: { Rows: 4 } }, '/elsewhere', '/elsewhere/my.json');
    assert.equal(
      parameterOverrides(cfg, [CFG]).line,
      '/elsewhere/my.json sets Rows=4; the palette overrides Rows, Cols, AccDepth, RoundingModes per configuration (Cols, AccDepth, RoundingModes not in the config): 3x5 D8',
    );
  });
});
