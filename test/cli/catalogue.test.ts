// `explain`, `list --format json|markdown`: each check's consequence (what a failure does on the
// node, and the node prep step or Batch rule behind it) is shown wherever the check is described.
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index';
import { explain, listJson, listMarkdown } from '../../src/cli/catalogue';

describe('check consequences', () => {
  it('every built-in check says what a failure does on the node', () => {
    const missing = builtinChecks.filter((c) => !c.consequence).map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it('each consequence names the verdict it leads to', () => {
    for (const c of builtinChecks) expect(c.consequence, c.id).toMatch(/\b(fail|warn|pass)\b/i);
  });

  it('explain, list --format json and the markdown catalogue show it', () => {
    const sshd = builtinChecks.find((c) => c.id === 'sshd')!;
    expect(explain(sshd)).toContain(`What a failure does on the node, --target shipyard (Batch Shipyard pools):\n  ${sshd.consequence}\n`);
    const oneRule = { ...sshd, byTarget: undefined };
    expect(explain(oneRule)).toContain(`What a failure does on the node:\n  ${sshd.consequence}\n`);
    const rows = JSON.parse(listJson(builtinChecks)) as { id: string; consequence: string | null; modes: string[] | null }[];
    expect(rows.find((r) => r.id === 'sshd')!.consequence).toBe(sshd.consequence);
    expect(rows.find((r) => r.id === 'azure.imds')!.modes).toEqual(['start-task']);
    const md = listMarkdown(builtinChecks);
    expect(md).toContain(`## sshd\n`);
    expect(md).toContain(`Consequence (\`--target shipyard\`): ${sshd.consequence}\n`);
    expect(md).toContain(`Consequence (\`--target batch\`): ${sshd.byTarget!.batch!.consequence}\n`);
    expect(md).toMatch(/## azure\.imds\n\n\*\*Instance metadata service answers\*\* \([^)\n]*; runs only in start-task mode;/);
  });

  it('a check without one (a plugin) is explained without the section', () => {
    const plain = { ...builtinChecks[0]!, consequence: undefined, byTarget: undefined };
    expect(explain(plain)).not.toContain('What a failure does');
  });
});
