import { describe, expect, it } from 'vitest';
import { toolsNodeprep } from '../../checks/tools-nodeprep';
import { runCheck, tempTree } from '../helpers/host';

describe('tools.nodeprep', () => {
  it('passes with every tool and a Python 2 `python` (run)', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toContain('Python 2.7.18');
  });

  it('passes offline from the name the python symlink chain ends at, saying it did not run it', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-ubuntu-good', { canExec: false, live: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/python2\.7.*not run/);
  });

  it('fails naming the missing tool with the family package, and also reports Python 3', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-el9-bad');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/missing lspci.*Python 3\.9\.18, not Python 2/);
    expect(r.remediation).toMatch(/^dnf install -y pciutils/);
  });

  it('warns when python is Python 3, saying why (offline: from the symlink)', async () => {
    const full = tempTree({ '/usr/bin/lspci': '#!/bin/sh\nexit 0\n' }, 'hosts/storage-el9-bad');
    const r = await runCheck(toolsNodeprep, full, { canExec: false, live: false });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/python3\.9, not Python 2; .*Python 2 syntax/);
    expect(r.remediation).toMatch(/EL 8: dnf install -y python2/);
  });

  it('fails with everything missing, listing Ubuntu packages', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-bare');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/missing lspci, lsblk, ip, curl, openssl.*no `python` command/);
    expect(r.remediation).toContain('apt-get install -y pciutils util-linux iproute2 curl openssl');
  });

  it('errors when `python --version` hangs (and is killed)', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-hang', { commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not tell.*did not finish in time/);
  });

  it('errors when `python --version` prints garbage', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-garbage');
    expect(r.status).toBe('error');
    expect(r.message).toContain('printed something unexpected');
  });

  it('warns when python crashes: it is installed but not a working Python 2', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-crash');
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/does not run: .*crashed \(python was killed by SIGSEGV\)/);
  });

  it('errors offline when python is a plain file whose version cannot be told', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-crash', { canExec: false, live: false });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/cannot be told without running it/);
  });
});
