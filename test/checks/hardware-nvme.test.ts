// hardware.nvme: /dev/nvme<N>n1 counted as Azure counts them (Azure/azurehpc-health-checks
// customTests/azure_nvme_count.nhc) against the size table (Standard_ND96isr_H100_v5: 8 NVMe disks,
// as its Azure page and conf/nd96isr_h100_v5.conf `check_nvme_count 8` say).
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hardwareNvme } from '../../checks/hardware-nvme';
import { runCheck, tempTree } from '../helpers/host';

const on = (size: string) => ({ features: ['gpu' as const], settings: { mode: 'start-task' as const, vmSize: { name: size, source: '--vm-size' } } });
/** A host whose /dev has nvme0n1..nvme<n-1>n1 (and their partitions and controllers, which are not counted). */
function withNvme(n: number): string {
  const files: Record<string, string> = { 'dev/null': '' };
  for (let i = 0; i < n; i++) Object.assign(files, { [`dev/nvme${i}n1`]: '', [`dev/nvme${i}n1p1`]: '', [`dev/nvme${i}`]: '' });
  return tempTree(files, 'hosts/size-nd96isr-h100-v5');
}
const ND = 'Standard_ND96isr_H100_v5';

describe('hardware.nvme', () => {
  it('passes with the 8 NVMe disks of an ND H100 v5', async () => {
    const r = await runCheck(hardwareNvme, withNvme(8), on(ND));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 NVMe disk(s) (/dev/nvme*n1), Standard_ND96isr_H100_v5 has 8');
  });

  it('fails (node) when a disk is missing', async () => {
    const r = await runCheck(hardwareNvme, withNvme(7), on(ND));
    expect(r.status).toBe('fail');
    expect(r.category).toBe('node');
    expect(r.message).toBe('7 NVMe disk(s) (/dev/nvme*n1); Standard_ND96isr_H100_v5 has 8: 1 missing');
    expect(r.remediation).toMatch(/az batch node delete/);
    expect((await runCheck(hardwareNvme, withNvme(0), on(ND))).message).toMatch(/: 8 missing$/);
  });

  it('passes with more (remote disks on NVMe) and on a size without NVMe', async () => {
    expect((await runCheck(hardwareNvme, withNvme(10), on(ND))).message).toMatch(/has 8 \(the others are remote disks on NVMe\)$/);
    expect((await runCheck(hardwareNvme, withNvme(0), on('Standard_ND96isr_MI300X_v5'))).status).toBe('fail');
  });

  it('warns on a size missing from the table; a size whose page gives no NVMe count has nothing to compare', async () => {
    const missing = await runCheck(hardwareNvme, withNvme(2), on('Standard_ND999_v9'));
    expect(missing.status).toBe('warn');
    expect(missing.category).toBe('config');
    const unknown = await runCheck(hardwareNvme, withNvme(0), on('Standard_ND96asr_v4'));
    expect(unknown.message).toBe('Standard_ND96asr_v4 (ND A100 v4): its Azure page gives no NVMe disk count: nothing to compare');
  });

  it('is an error when /dev cannot be read (a file, not a directory: broken)', async () => {
    const root = withNvme(8);
    rmSync(path.join(root, 'dev'), { recursive: true });
    writeFileSync(path.join(root, 'dev'), 'not a directory');
    const r = await runCheck(hardwareNvme, root, on(ND));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not list \/dev: /);
  });
});
