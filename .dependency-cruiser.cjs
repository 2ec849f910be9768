// The layering rules, checked by `npm run lint:deps` (part of `npm test`, so CI enforces them).
// A module may import from its own layer and from the layers below it, never from above, and no
// import may close a circle. Bottom first; a path belongs to the first layer whose pattern matches.
const LAYERS = [
  // Errors and exit codes, logging, the version, static data: what every layer may use.
  { name: 'base', path: '^src/(errors|log|version)\\.ts$|^src/data/' },
  // Pure text-to-data parsers of tool output and configuration files.
  { name: 'parsers', path: '^src/parsers/' },
  // The firewall model and its evaluator: pure, fed by the probes, never reading the host itself.
  { name: 'firewall model', path: '^src/firewall/' },
  // The operator's own input files (pool, config, checks file): read and parsed, errors with a line.
  { name: 'input files', path: '^src/yaml-input-file\\.ts$|^src/input/' },
  // The one way to the machine: files under the root, commands, the Docker API.
  { name: 'host', path: '^src/host/' },
  // The contract between the engine and the checks, and the helpers that build results.
  { name: 'contract', path: '^src/(types|check-helpers|remediation)\\.ts$|^src/baseline/schema\\.ts$' },
  // Facts read once per run and shared by the checks.
  { name: 'probes', path: '^src/probes/|^src/run-tool\\.ts$|^src/baseline/(?!schema\\.ts$)' },
  // Decisions several checks share.
  { name: 'check kit', path: '^src/(tool-self-report|firewall-port-check|vm-size-lookup)\\.ts$' },
  { name: 'checks', path: '^checks/' },
  { name: 'custom checks', path: '^src/custom/' },
  { name: 'engine', path: '^src/engine/' },
  { name: 'report', path: '^src/report/' },
  // Reports to and from Blob storage (run --upload, summarize of a container).
  { name: 'blob storage', path: '^src/upload/' },
  { name: 'requirements', path: '^src/requirements/' },
  { name: 'summarize', path: '^src/summarize/' },
  { name: 'cli', path: '^src/cli/' },
];

const layerOf = (i) => `(${LAYERS[i].path})`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.name.replace(/ /g, '-')}`,
  comment: `${layer.name} sits below ${LAYERS.slice(i + 1).map((l) => l.name).join(', ')}: it must not import them`,
  severity: 'error',
  from: { path: layerOf(i), pathNot: LAYERS.slice(0, i).map((_, j) => layerOf(j)) },
  to: { path: LAYERS.slice(i + 1).map((_, j) => layerOf(i + 1 + j)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import circles make load order matter and layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'A new source file outside every layer: add its folder to LAYERS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^(src|checks)/', pathNot: LAYERS.map((_, i) => layerOf(i)) },
      to: {},
    },
    ...upward,
    {
      name: 'one-way-to-run-commands',
      comment: 'Only src/host/exec.ts runs processes (through execa, with an argument array, never a shell).',
      severity: 'error',
      from: { pathNot: '^src/host/exec\\.ts$' },
      to: { path: '^execa$|(^|/)node_modules/execa/' },
    },
    {
      name: 'no-child-process',
      comment: 'child_process offers exec/execSync and shells; processes start only through execa in src/host/exec.ts.',
      severity: 'error',
      from: { path: '^(src|checks)/' },
      to: { path: '^(node:)?child_process$' },
    },
    {
      name: 'checks-through-the-host',
      comment: 'Checks touch the machine only through ctx.host and the probes (so --root and timeouts hold).',
      severity: 'error',
      from: { path: '^checks/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|os)$' },
    },
    {
      name: 'pure-parsers-and-model',
      comment: 'Parsers and the firewall model take text and data, and read nothing themselves.',
      severity: 'error',
      from: { path: '^src/(parsers|firewall)/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(path|util)$' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API; swc parses the sources.
    parser: 'swc',
    // Type-only imports count: a layer must not know the types of the layers above it either.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
