// Where the start-task report goes: the shared directory's batch-preflight/ while nobody else can
// rename entries there (not writable by others, or sticky and root's), else root's own directory.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStartTaskReportDir } from '../../src/report/start-task-dir';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bp-std-'));

describe('openStartTaskReportDir', () => {
  it.each([0o755, 0o1777])('a shared directory with mode %o keeps the report', (mode) => {
    const shared = tmp();
    chmodSync(shared, mode);
    const r = openStartTaskReportDir(shared, tmp());
    r.dir.close();
    expect(r).toMatchObject({ file: `${shared}/batch-preflight/report.json` });
    expect(r.sharedUnsafe).toBeUndefined();
  });

  it.each([0o777, 0o775])('a shared directory with mode %o, where anyone could rename the folder away, is passed over for root\'s directory', (mode) => {
    const shared = tmp();
    const rootParent = tmp();
    chmodSync(shared, mode);
    const r = openStartTaskReportDir(shared, rootParent);
    r.dir.close();
    expect(r.file).toBe(`${rootParent}/batch-preflight/report.json`);
    expect(r.sharedUnsafe).toBe(`${shared} is writable by group or others without the sticky bit (mode 0${mode.toString(8)})`);
    expect(existsSync(path.join(shared, 'batch-preflight'))).toBe(false);
  });
});
