// `npm run mutate:scores`: the mutation score tables of CONTRIBUTING.md (per folder) and of
// docs/mutation.md (per file), from the committed Stryker report (reports/stryker-incremental.json).
// test/mutation-scores.test.ts holds both documents to these tables.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCOPES = ['checks/', 'src/firewall/', 'src/engine/'];
export const HEADER = '| mutated | mutants | killed | timed out | survived | no coverage | score |\n| --- | --- | --- | --- | --- | --- | --- |';

export function readReport() {
  return JSON.parse(readFileSync(path.join(REPO, 'reports/stryker-incremental.json'), 'utf8'));
}

/** One table row: Stryker's counts over these files, and its score ((killed + timed out) / valid). */
function row(report, label, files) {
  const count = (status) => files.reduce((n, f) => n + report.files[f].mutants.filter((m) => m.status === status).length, 0);
  const [killed, timedOut, survived, noCoverage] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map(count);
  const valid = killed + timedOut + survived + noCoverage;
  const score = valid === 0 ? 'n/a' : `${((100 * (killed + timedOut)) / valid).toFixed(1)} %`;
  return `| ${label} | ${valid} | ${killed} | ${timedOut} | ${survived} | ${noCoverage} | ${score} |`;
}

const inScope = (report) => Object.keys(report.files).filter((f) => SCOPES.some((s) => f.startsWith(s))).sort();

/** CONTRIBUTING.md's table: one row per mutated folder, and all of them. */
export function folderTable(report) {
  const files = inScope(report);
  const rows = SCOPES.map((s) => row(report, `\`${s}\``, files.filter((f) => f.startsWith(s))));
  return [HEADER, ...rows, row(report, 'all', files)].join('\n');
}

/** docs/mutation.md's table: one row per mutated file. */
export function fileTable(report) {
  return [HEADER, ...inScope(report).map((f) => row(report, `\`${f}\``, [f]))].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = readReport();
  console.log(`CONTRIBUTING.md:\n\n${folderTable(report)}\n\ndocs/mutation.md:\n\n${fileTable(report)}`);
}
