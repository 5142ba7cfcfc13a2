/**
 * Run by test/verify/mutate/toolchain.test.ts as a child process (a fresh process, so that findToolchain reads
 * $CXX and $VERILATOR again instead of the toolchain an earlier test of the same mocha process cached): a mutation
 * run of one mutant that does not build. Prints the mutant's port-mode verdict as JSON; an error exits non-zero.
 */
import { resolve } from 'node:path';
import { runMutation } from '../../../verify/mutate/run.ts';
import { BROKEN_MUTANT } from './broken-mutant.ts';

const r = await runMutation({ mutants: [BROKEN_MUTANT], cases: 3, modes: ['port'], outRoot: resolve('out', 'mutate-test'), scratchDir: process.argv[2] });
console.log(JSON.stringify(r.mutants[0]?.verdicts.port));
