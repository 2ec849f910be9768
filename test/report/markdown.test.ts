// The run's Markdown job summary: verdict first, problems with their fixes in a table, host text
// kept as text when GitHub renders it as HTML.
import { describe, expect, it } from 'vitest';
import { reportOf } from '../helpers/report-of';
import { outcomeOf } from '../../src/engine/outcome';
import { fail, pass, warn } from '../../src/check-helpers';
import { renderReport } from '../../src/report/render';
import { summarize } from '../../src/report/report';

const meta = (id: string) => ({ id, title: id, area: 'a' });

describe('Markdown job summary', () => {
  it('puts the verdict first and each problem in a row with its fix, escaping what the host wrote', () => {
    const checks = [
      outcomeOf(meta('sshd'), fail('nothing listens <img src=x onerror=alert(1)> | `x`', 'systemctl enable --now ssh'), 1),
      outcomeOf(meta('selinux.mode'), warn('enforcing\u202e', 'setenforce 0'), 1),
      outcomeOf(meta('os.distro'), pass('ok'), 1),
    ];
    const md = renderReport(reportOf(checks), 'markdown');
    expect(md.split('\n')[0]).toBe('## batch-preflight: ❌ NOT READY: `sshd`');
    expect(md).toContain('| `sshd` | **fail** | image | nothing listens &lt;img src=x onerror=alert(1)&gt; \\| \\`x\\` | systemctl enable --now ssh |');
    expect(md).toContain('| `selinux.mode` | warning | image | enforcing\\\\u202e | setenforce 0 |');
    expect(md).toContain('Passed: `os.distro`');
    expect(md).not.toMatch(/<img|\u202e/);
  });

  it('says READY, and under --strict a warning is bold and fails', () => {
    const checks = [outcomeOf(meta('selinux.mode'), warn('enforcing', 'setenforce 0'), 1)];
    expect(renderReport({ ...reportOf(checks), summary: summarize(checks, false) }, 'markdown')).toMatch(/^## batch-preflight: ✅ READY\n/);
    const strict = renderReport({ ...reportOf(checks), summary: summarize(checks, true) }, 'markdown');
    expect(strict).toMatch(/^## batch-preflight: ❌ NOT READY: `selinux.mode`\n/);
    expect(strict).toContain('| `selinux.mode` | **warning** |');
  });
});
