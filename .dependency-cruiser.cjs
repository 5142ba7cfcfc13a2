/**
 * The rooms of ../shared/STYLE.md ("The house, by folder") as dependency-cruiser rules, checked by `make deps-check`
 * (a prerequisite of `make test`). Paths are relative to the repository root; a package resolves to
 * node_modules/<name>/..., a Node built-in to its bare name (`child_process`, `fs`).
 *
 * Every rule is an error. An exception names the file, why it is there and what removes it; when the work it
 * waits for lands, delete the exception (the rule then holds without it).
 */
const ROOMS_ABOVE_QUANT = '^(model|hw-sim|harness|verify|synth|report|cosim|cli|bin|bench|test|tools|examples)/';
const TFJS = '(^|/)node_modules/@tensorflow/';
const KOFFI = '(^|/)node_modules/koffi/';

/**
 * The rules, one a row: what the rule is called, where it applies (`from`), what it forbids there (`to`) and why
 * (`comment`). Every rule is an error (see `asRule`).
 */
const RULES = [
  // ---------------------------------------------------------------------------------------------------------
  // The whole tree
  // ---------------------------------------------------------------------------------------------------------
  { name: 'no-circular', from: {}, to: { circular: true },
    comment: 'No import cycles, type-only imports included: a cycle means two files are one concept, or a ' +
      'shared part wants its own file.' },
  { name: 'nothing-imports-test', from: { pathNot: '^test/' }, to: { path: '^test/' },
    comment: 'test/ mirrors the tree and nothing imports it (helpers shared by tests live in test/).' },
  { name: 'nothing-imports-cli', from: { pathNot: '^(cli|bin|test)/' }, to: { path: '^cli/' },
    comment: 'cli/ is the top: thin entry points over library functions. Only bin/ (the shim) and its own ' +
      'tests import it; a library function that a CLI needs lives in its room below.' },
  { name: 'nothing-imports-tools', from: { pathNot: '^tools/' }, to: { path: '^tools/' },
    comment: 'tools/ holds one-off scripts (generators); they import the library, nothing imports them.' },
  { name: 'nothing-imports-bench', from: { pathNot: '^bench/' }, to: { path: '^bench/' },
    comment: 'Benchmarks measure the library; nothing depends on them.' },

  // ---------------------------------------------------------------------------------------------------------
  // quant/spec and quant/: the bottom
  // ---------------------------------------------------------------------------------------------------------
  { name: 'quant-spec-imports-nothing', from: { path: '^quant/spec/' }, to: { pathNot: '^quant/spec/' },
    comment: 'quant/spec is pure integer arithmetic, the one definition of the bits: it imports nothing but ' +
      'the language (no other file of the project, no package, no Node built-in).' },
  { name: 'quant-imports-nothing-above', from: { path: '^quant/' }, to: { path: ROOMS_ABOVE_QUANT },
    comment: 'quant/ (fake-quant ops, the exported format, the golden model) imports quant/spec, its own ' +
      'files and tfjs; never a room above it.' },
  { name: 'tfjs-only-in-model-and-fakequant',
    from: { pathNot: '^(model/|quant/fakequant/|test/model/|test/quant/fakequant)' }, to: { path: TFJS },
    comment: 'TensorFlow.js is the training side: model/ and quant/fakequant (and their tests) import it, ' +
      'nothing else does.' },

  // ---------------------------------------------------------------------------------------------------------
  // model/ and hw-sim/
  // ---------------------------------------------------------------------------------------------------------
  { name: 'model-imports-quant-only',
    from: { path: '^model/' }, to: { path: '^(hw-sim|harness|verify|synth|report|cosim|cli|bin|bench|test|examples)/' },
    comment: 'model/ (datasets, networks, training, PTQ, importers) builds on quant/ only.' },
  { name: 'hw-sim-imports-spec-and-format-only',
    from: { path: '^hw-sim/' }, to: { pathNot: '^(hw-sim/|quant/spec/|quant/format/|quant/kernels/|quant/errors\\.ts$)' },
    comment: 'hw-sim/ (the cycle model, compiler, stats, the hardware contract) imports its own files, ' +
      'quant/spec, quant/format, the host-op kernels (quant/kernels) and the error classes (quant/errors.ts); ' +
      'no package, no Node built-in, ' +
      'not the golden model.' },
  { name: 'tfjs-never-reaches-the-hardware-side',
    from: { path: '^(hw-sim|harness|verify|synth|report)/' }, to: { path: TFJS, reachable: true },
    comment: 'Not even through another file: nothing that hw-sim/, harness/, verify/, synth/ or report/ ' +
      'imports, directly or not, loads TensorFlow.js.' },

  // ---------------------------------------------------------------------------------------------------------
  // harness/: the only room that knows Verilator
  // ---------------------------------------------------------------------------------------------------------
  { name: 'koffi-only-in-quant-ffi', from: { pathNot: '^quant/ffi/koffi\\.ts$' }, to: { path: KOFFI },
    comment: 'Native code is loaded through quant/ffi/koffi.ts alone, which sets the call stacks koffi takes only ' +
      'before its first load: harness/sim binds the verilated model there (the C ABI behind the RtlSim ' +
      'interface), quant/golden/native the golden model\'s native kernels; nothing else binds native code.' },
  { name: 'only-harness-build-and-synth-spawn',
    from: {
      path: '^(quant|model|hw-sim|harness|verify|synth|report|cosim|cli|bin)/',
      pathNot: ['^harness/build/', '^synth/', '^verify/coverage/coverage\\.ts$'],
    },
    to: { path: '^(node:)?child_process$' },
    comment: 'Running Verilator (and make, g++, verilator_coverage) is harness/build\'s job (its tool runner); ' +
      'synth/ runs Yosys workers as Node child processes. No other library room starts a process, so no other ' +
      'room can run Verilator. Tests may (they run the CLI and the linters). ' +
      'Exception: verify/coverage/coverage.ts still has its own Verilator build; issue 13 item 5 (one ' +
      'Verilator builder) moves it onto harness/build, then delete the exception.' },
  { name: 'harness-imports-hw-sim-and-quant-only',
    from: { path: '^harness/' }, to: { path: '^(model|verify|synth|report|cosim|cli|bin|bench|test|examples)/' },
    comment: 'harness/ (build, binding, lockstep, network lockstep, waves) imports hw-sim/, quant/ and its ' +
      'own files, never a room above it.' },

  // ---------------------------------------------------------------------------------------------------------
  // verify/, synth/, report/, cosim/
  // ---------------------------------------------------------------------------------------------------------
  { name: 'verify-imports-harness-hw-sim-quant-only',
    from: { path: '^verify/' }, to: { path: '^(model|synth|report|cosim|cli|bin|bench|test|examples)/' },
    comment: 'verify/ (stimulus, regression tiers, mutation, coverage) builds on harness/, hw-sim/ and quant/.' },
  { name: 'synth-imports-rtl-config-only',
    from: { path: '^synth/' },
    to: {
      path: '^(model|hw-sim|harness|verify|report|cosim|cli|bin|bench|test|examples)/',
      pathNot: ['^harness/config/', '^harness/build/runTool\\.ts$'],
    },
    comment: 'synth/ runs Yosys on the RTL of an RTL config: of the rooms above quant/ it may import ' +
      'harness/config (the config reader) and the one tool runner with time limits (harness/build/runTool.ts, ' +
      'issue 13 item 5: it runs the Yosys workers), never the Verilator build or the simulators.' },
  { name: 'report-imports-types-of-the-simulators',
    from: { path: '^report/' },
    to: {
      path: '^(hw-sim|harness|cosim|cli|bin|bench|test|examples)/',
      pathNot: '^hw-sim/contract/',
      dependencyTypesNot: ['type-only'],
    },
    comment: 'report/ renders the files the other rooms write. Of hw-sim/ and harness/ it imports types only ' +
      '(import type), never their run-time code, with one exception by design: the hardware contract ' +
      '(hw-sim/contract/, pure data: the one naming of every signal, which the waveform lanes use). It never ' +
      'imports cosim/, cli/, bench/, test/. (The schemas of the files it reads, which their writers in ' +
      'model/, verify/, synth/ share, it imports at run time: the next rule keeps them light.)' },
  { name: 'report-runs-nothing',
    from: { path: '^report/' }, to: { path: [KOFFI, TFJS, '^(node:)?child_process$'], reachable: true },
    comment: 'Nothing report/ imports, directly or not, starts a process, loads the simulator binding (koffi) ' +
      'or TensorFlow.js: a schema that report/ shares with its writer drags no run time of the writer in.' },
  { name: 'cosim-below-cli', from: { path: '^cosim/' }, to: { path: '^(cli|bin|bench|test|examples)/' },
    comment: 'cosim/ (the cosim pipeline as a library function) may import every library room, not the ' +
      'entry points.' },

  // ---------------------------------------------------------------------------------------------------------
  // Packages (issue 13 item 8)
  // ---------------------------------------------------------------------------------------------------------
  { name: 'run-time-code-uses-no-dev-dependency',
    from: { pathNot: '^(test|bench)/' }, to: { dependencyTypes: ['npm-dev'] },
    comment: 'What the program imports at run time is a `dependency`; a devDependency is for test/ and ' +
      'bench/ only (npm install --omit=dev would leave it out).' },
  { name: 'every-package-is-declared', from: {}, to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    comment: 'A package imported directly is in package.json, not only reached through another package.' },
  { name: 'no-duplicate-dependency-types',
    from: {}, to: { moreThanOneDependencyType: true, dependencyTypesNot: ['type-only'] },
    comment: 'A package is either a dependency or a devDependency.' },
  { name: 'no-unresolvable-import', from: {}, to: { couldNotResolve: true },
    comment: 'Every import resolves to a file or a package.' },
];

/** One row of RULES as a dependency-cruiser rule. */
const asRule = ({ name, comment, from, to }) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: RULES.map(asRule),
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(node_modules|out|\\.cache|\\.git)/' },
    // Type-only imports count: a cycle or an upward import through `import type` is one all the same (the rule
    // for report/ tells them apart with dependencyTypesNot).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
