// A parser's error is printed, and its input may be a file that a user linked (in an image root, or
// a writable tree) to a root-only file: the message says where the input went wrong, never what it
// holds. Each input here is malformed around a secret; no message may contain it.
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/parsers/parse-error';
import { parseCloudConfig } from '../../src/parsers/cloud-init';
import { parseDaemonJson } from '../../src/parsers/daemon-json';
import { parseDockerBinaryVersion, parseDockerVersion } from '../../src/parsers/docker-version';
import { parseDpkgStatus } from '../../src/parsers/dpkg-status';
import { parseFirewalldService, parseFirewalldZone } from '../../src/parsers/firewalld-xml';
import { parseIbPortRate } from '../../src/parsers/ib-port-rate';
import { parseIbPhysState, parseIbPortState } from '../../src/parsers/ib-port-state';
import { parseIbvDevinfo } from '../../src/parsers/ibv-devinfo';
import { parseIptablesSave } from '../../src/parsers/iptables-save';
import { parseMounts } from '../../src/parsers/mounts';
import { parseMpiVersion } from '../../src/parsers/mpi-version';
import { parseNftJson } from '../../src/parsers/nft-json';
import { parseNvidiaSmiGpus } from '../../src/parsers/nvidia-smi';
import { parseLinkSpeed, parseLinkWidth } from '../../src/parsers/pcie-link';
import { parseProcModules } from '../../src/parsers/proc-modules';
import { parseProcNetTcp } from '../../src/parsers/proc-net-tcp';
import { parseSshdConfig } from '../../src/parsers/sshd-config';
import { parsePythonVersion, parseSingularityVersion } from '../../src/parsers/version-banners';

const SECRET = 'root:S3CRETHASH';

const cases: [string, () => unknown][] = [
  ['sshd_config given /etc/shadow', () => parseSshdConfig(`${SECRET}:19000:0:99999:7:::\n`)],
  ['dpkg status', () => parseDpkgStatus(`Package: a\nnot a field ${SECRET}\n`)],
  ['mounts', () => parseMounts(`/dev/sda ${SECRET} ext4 rw 0 0\n`)],
  ['/proc/modules', () => parseProcModules(`${SECRET} x\n`)],
  ['/proc/net/tcp', () => parseProcNetTcp(`  sl  local_address rem_address   st\n   0: ${SECRET}:0016 00000000:0000 0A\n`)],
  ['iptables-save, before a table', () => parseIptablesSave(`${SECRET}\n`)],
  ['iptables-save, a bad table name', () => parseIptablesSave(`*${SECRET}\n`)],
  ['iptables-save, a bad chain', () => parseIptablesSave(`*filter\n:${SECRET} ACCEPT [0:0]\n`)],
  ['iptables-save, a bad line', () => parseIptablesSave(`*filter\n${SECRET}\n`)],
  ['iptables-save, an undeclared chain', () => parseIptablesSave(`*filter\n-A ${SECRET.replace(':', '')} -j ACCEPT\n`)],
  ['nft JSON', () => parseNftJson(`{"nftables": [${SECRET}]}`)],
  ['daemon.json', () => parseDaemonJson(`{"a": ${SECRET}}`)],
  ['cloud-init YAML', () => parseCloudConfig(`a: b\n  ${SECRET}: [\n`)],
  ['cloud-init YAML, an unknown alias', () => parseCloudConfig(`a: *${SECRET.replace(':', '')}\n`)],
  ['firewalld zone, not well-formed', () => parseFirewalldZone(`<zone><${SECRET.replace(':', '')}></zone>`)],
  ['firewalld service, another element', () => parseFirewalldService(`<${SECRET.replace(':', '')}/>`)],
  ['PCIe speed', () => parseLinkSpeed(SECRET)],
  ['PCIe width', () => parseLinkWidth(SECRET)],
  ['InfiniBand rate', () => parseIbPortRate(SECRET)],
  ['InfiniBand state', () => parseIbPortState(SECRET)],
  ['InfiniBand physical state', () => parseIbPhysState(SECRET)],
  ['ibv_devinfo', () => parseIbvDevinfo(`${SECRET}\n`)],
  ['ibv_devinfo port', () => parseIbvDevinfo(`hca_id:\tmlx5_0\n\tport:\t${SECRET}\n`)],
  ['nvidia-smi', () => parseNvidiaSmiGpus(`${SECRET}, 00000000:00:1E.0, Tesla T4, 535.1, Enabled\n`)],
  ['docker version', () => parseDockerVersion(SECRET)],
  ['docker --version', () => parseDockerBinaryVersion(SECRET)],
  ['MPI banner', () => parseMpiVersion(SECRET)],
  ['python banner', () => parsePythonVersion(SECRET)],
  ['singularity banner', () => parseSingularityVersion(SECRET)],
];

describe('parse errors say where, never what', () => {
  it.each(cases)('%s', (_, parse) => {
    let thrown: unknown;
    try {
      parse();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ParseError);
    expect((thrown as Error).message).not.toMatch(/S3CRET/);
  });

  it('gives the line and the column where it can', () => {
    expect(() => parseSshdConfig(`Port 22\n${SECRET}\n`)).toThrow(/^line 2: not a "Keyword value" line$/);
    expect(() => parseDaemonJson(`{\n  "a": ${SECRET}}`)).toThrow(/^line 2, column 8: expected a value$/);
    expect(() => parseNftJson(`{"nftables": 1}x${SECRET}`)).toThrow(/^line 1, column 16: not JSON$/);
    expect(() => parseCloudConfig(`a: b\n  ${SECRET}: [\n`)).toThrow(/^line \d+, column \d+: not valid YAML \([A-Z_]+\)$/);
  });
});
