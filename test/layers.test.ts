// The layering rules (.dependency-cruiser.cjs) catch what they are for: `npm run lint:deps` checks
// the real tree; here a copy of it gets one planted violation per rule, and exactly those are reported.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const DEPCRUISE = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(dir: string): { violations: Violation[]; modules: number } {
  let out: string;
  try {
    out = execFileSync(process.execPath, [DEPCRUISE, 'src', 'checks', '--output-type', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    // depcruise exits non-zero when it finds violations; its JSON is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  const result = JSON.parse(out) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

/** The sources, the config and package files in a fresh directory, with the repo's node_modules. */
function copyOfRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-layers-'));
  for (const p of ['src', 'checks', 'package.json', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(path.join(REPO, p), path.join(dir, p), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const PLANTED: { file: string; code: string; rule: string; to: string }[] = [
  { file: 'src/parsers/mounts.ts', code: "import type { Report } from '../report/report';", rule: 'no-upward-from-parsers', to: 'src/report/report.ts' },
  { file: 'src/parsers/os-release.ts', code: "import { readFileSync } from 'node:fs';", rule: 'pure-parsers-and-model', to: 'fs' },
  { file: 'src/firewall/evaluate.ts', code: "import type { Host } from '../host/host';", rule: 'no-upward-from-firewall-model', to: 'src/host/host.ts' },
  { file: 'src/host/exec.ts', code: "import type { Check } from '../types';", rule: 'no-upward-from-host', to: 'src/types.ts' },
  { file: 'src/engine/outcome.ts', code: "import { renderReport } from '../report/render';", rule: 'no-upward-from-engine', to: 'src/report/render.ts' },
  { file: 'src/requirements/vm-size.ts', code: "import { describeCheck } from '../cli/catalogue';", rule: 'no-upward-from-requirements', to: 'src/cli/catalogue.ts' },
  { file: 'src/probes/pci.ts', code: "import { execSync } from 'node:child_process';", rule: 'no-child-process', to: 'child_process' },
  { file: 'src/engine/select.ts', code: "import { execa } from 'execa';", rule: 'one-way-to-run-commands', to: 'node_modules/execa/index.js' },
  { file: 'checks/sshd.ts', code: "import { readFile } from 'node:fs/promises';", rule: 'checks-through-the-host', to: 'fs/promises' },
  { file: 'checks/docker-group.ts', code: "import { gone } from '../src/probes/no-such-probe';", rule: 'no-unresolvable', to: '../src/probes/no-such-probe' },
];

describe('layering rules', () => {
  it('report every planted violation, and nothing else', () => {
    const dir = copyOfRepo();
    try {
      for (const p of PLANTED) appendFileSync(path.join(dir, p.file), `\n${p.code}\n`);
      // A circle, and a module outside every layer.
      writeFileSync(path.join(dir, 'src/parsers/circle-a.ts'), "import { b } from './circle-b';\nexport const a = () => b;\n");
      writeFileSync(path.join(dir, 'src/parsers/circle-b.ts'), "import { a } from './circle-a';\nexport const b = () => a;\n");
      mkdirSync(path.join(dir, 'src/stray'));
      writeFileSync(path.join(dir, 'src/stray/thing.ts'), "import { FIXED_PATH } from '../host/exec';\nexport const p = FIXED_PATH;\n");

      const { violations, modules } = cruise(dir);
      expect(modules).toBeGreaterThan(100);
      // The copy's node_modules is a link: packages resolve to the repo's own path.
      const found = violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*?(?=node_modules\/)/, '')}`).sort();
      expect(found).toEqual(
        [
          ...PLANTED.map((p) => `${p.rule}: ${p.file} -> ${p.to}`),
          'no-circular: src/parsers/circle-a.ts -> src/parsers/circle-b.ts',
          // Everything above the host layer uses it: an upward import from it always closes a circle too.
          'no-circular: src/host/exec.ts -> src/types.ts',
          'every-module-in-a-layer: src/stray/thing.ts -> src/host/exec.ts',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
