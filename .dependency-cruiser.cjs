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

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---------------------------------------------------------------------------------------------------------
    // The whole tree
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included: a cycle means two files are one concept, or a ' +
        'shared part wants its own file.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-test',
      comment: 'test/ mirrors the tree and nothing imports it (helpers shared by tests live in test/).',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ is the top: thin entry points over library functions. Only bin/ (the shim) and its own ' +
        'tests import it; a library function that a CLI needs lives in its room below.',
      severity: 'error',
      from: { pathNot: '^(cli|bin|test)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'nothing-imports-tools',
      comment: 'tools/ holds one-off scripts (generators); they import the library, nothing imports them.',
      severity: 'error',
      from: { pathNot: '^tools/' },
      to: { path: '^tools/' },
    },
    {
      name: 'nothing-imports-bench',
      comment: 'Benchmarks measure the library; nothing depends on them.',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },

    // ---------------------------------------------------------------------------------------------------------
    // quant/spec and quant/: the bottom
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'quant-spec-imports-nothing',
      comment: 'quant/spec is pure integer arithmetic, the one definition of the bits: it imports nothing but ' +
        'the language (no other file of the project, no package, no Node built-in).',
      severity: 'error',
      from: { path: '^quant/spec/' },
      to: { pathNot: '^quant/spec/' },
    },
    {
      name: 'quant-imports-nothing-above',
      comment: 'quant/ (fake-quant ops, the exported format, the golden model) imports quant/spec, its own ' +
        'files and tfjs; never a room above it.',
      severity: 'error',
      from: { path: '^quant/' },
      to: { path: ROOMS_ABOVE_QUANT },
    },
    {
      name: 'tfjs-only-in-model-and-fakequant',
      comment: 'TensorFlow.js is the training side: model/ and quant/fakequant (and their tests) import it, ' +
        'nothing else does.',
      severity: 'error',
      from: { pathNot: '^(model/|quant/fakequant/|test/model/|test/quant/fakequant)' },
      to: { path: TFJS },
    },

    // ---------------------------------------------------------------------------------------------------------
    // model/ and hw-sim/
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'model-imports-quant-only',
      comment: 'model/ (datasets, networks, training, PTQ, importers) builds on quant/ only.',
      severity: 'error',
      from: { path: '^model/' },
      to: { path: '^(hw-sim|harness|verify|synth|report|cosim|cli|bin|bench|test|examples)/' },
    },
    {
      name: 'hw-sim-imports-spec-and-format-only',
      comment: 'hw-sim/ (the cycle model, compiler, stats, the hardware contract) imports its own files, ' +
        'quant/spec, quant/format and the error classes (quant/errors.ts); no package, no Node built-in, ' +
        'not the golden model.',
      severity: 'error',
      from: { path: '^hw-sim/' },
      to: { pathNot: '^(hw-sim/|quant/spec/|quant/format/|quant/errors\\.ts$)' },
    },
    {
      name: 'tfjs-never-reaches-the-hardware-side',
      comment: 'Not even through another file: nothing that hw-sim/, harness/, verify/, synth/ or report/ ' +
        'imports, directly or not, loads TensorFlow.js.',
      severity: 'error',
      from: { path: '^(hw-sim|harness|verify|synth|report)/' },
      to: { path: TFJS, reachable: true },
    },

    // ---------------------------------------------------------------------------------------------------------
    // harness/: the only room that knows Verilator
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'koffi-only-in-harness-sim',
      comment: 'The verilated model is loaded through koffi by harness/sim (the C ABI behind the RtlSim ' +
        'interface); nothing else binds native code.',
      severity: 'error',
      from: { pathNot: '^harness/sim/' },
      to: { path: KOFFI },
    },
    {
      name: 'only-harness-build-and-synth-spawn',
      comment: 'Running Verilator (and make, g++, verilator_coverage) is harness/build\'s job (its tool runner); ' +
        'synth/ runs Yosys workers as Node child processes. No other library room starts a process, so no other ' +
        'room can run Verilator. Tests may (they run the CLI and the linters). ' +
        'Exception: verify/coverage/coverage.ts still has its own Verilator build; issue 13 item 5 (one ' +
        'Verilator builder) moves it onto harness/build, then delete the exception.',
      severity: 'error',
      from: {
        path: '^(quant|model|hw-sim|harness|verify|synth|report|cosim|cli|bin)/',
        pathNot: ['^harness/build/', '^synth/', '^verify/coverage/coverage\\.ts$'],
      },
      to: { path: '^(node:)?child_process$' },
    },
    {
      name: 'harness-imports-hw-sim-and-quant-only',
      comment: 'harness/ (build, binding, lockstep, network lockstep, waves) imports hw-sim/, quant/ and its ' +
        'own files, never a room above it.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^(model|verify|synth|report|cosim|cli|bin|bench|test|examples)/' },
    },

    // ---------------------------------------------------------------------------------------------------------
    // verify/, synth/, report/, cosim/
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'verify-imports-harness-hw-sim-quant-only',
      comment: 'verify/ (stimulus, regression tiers, mutation, coverage) builds on harness/, hw-sim/ and quant/.',
      severity: 'error',
      from: { path: '^verify/' },
      to: { path: '^(model|synth|report|cosim|cli|bin|bench|test|examples)/' },
    },
    {
      name: 'synth-imports-rtl-config-only',
      comment: 'synth/ runs Yosys on the RTL of an RTL config: of the rooms above quant/ it may import ' +
        'harness/config (the config reader) and the one tool runner with time limits (harness/build/runTool.ts, ' +
        'issue 13 item 5: it runs the Yosys workers), never the Verilator build or the simulators.',
      severity: 'error',
      from: { path: '^synth/' },
      to: {
        path: '^(model|hw-sim|harness|verify|report|cosim|cli|bin|bench|test|examples)/',
        pathNot: ['^harness/config/', '^harness/build/runTool\\.ts$'],
      },
    },
    {
      name: 'report-imports-types-of-the-simulators',
      comment: 'report/ renders the files the other rooms write. Of hw-sim/ and harness/ it imports types only ' +
        '(import type), never their run-time code, with one exception by design: the hardware contract ' +
        '(hw-sim/contract/, pure data: the one naming of every signal, which the waveform lanes use). It never ' +
        'imports cosim/, cli/, bench/, test/. (The schemas of the files it reads, which their writers in ' +
        'model/, verify/, synth/ share, it imports at run time: the next rule keeps them light.)',
      severity: 'error',
      from: { path: '^report/' },
      to: {
        path: '^(hw-sim|harness|cosim|cli|bin|bench|test|examples)/',
        pathNot: '^hw-sim/contract/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'report-runs-nothing',
      comment: 'Nothing report/ imports, directly or not, starts a process, loads the simulator binding (koffi) ' +
        'or TensorFlow.js: a schema that report/ shares with its writer drags no run time of the writer in.',
      severity: 'error',
      from: { path: '^report/' },
      to: { path: [KOFFI, TFJS, '^(node:)?child_process$'], reachable: true },
    },
    {
      name: 'cosim-below-cli',
      comment: 'cosim/ (the cosim pipeline as a library function) may import every library room, not the ' +
        'entry points.',
      severity: 'error',
      from: { path: '^cosim/' },
      to: { path: '^(cli|bin|bench|test|examples)/' },
    },

    // ---------------------------------------------------------------------------------------------------------
    // Packages (issue 13 item 8)
    // ---------------------------------------------------------------------------------------------------------
    {
      name: 'run-time-code-uses-no-dev-dependency',
      comment: 'What the program imports at run time is a `dependency`; a devDependency is for test/ and ' +
        'bench/ only (npm install --omit=dev would leave it out).',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'every-package-is-declared',
      comment: 'A package imported directly is in package.json, not only reached through another package.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-duplicate-dependency-types',
      comment: 'A package is either a dependency or a devDependency.',
      severity: 'error',
      from: {},
      to: { moreThanOneDependencyType: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'Every import resolves to a file or a package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
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
