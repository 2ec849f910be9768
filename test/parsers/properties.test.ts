// Property tests for the parsers and config readers that had only example tests: on thousands of
// generated inputs each throws nothing but its own typed error (ParseError, or UsageError for
// what the user gave on the command line) and returns promptly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { ParseError } from '../../src/parsers/parse-error';
import { UsageError } from '../../src/errors';
import { distroFamily, parseOsRelease } from '../../src/parsers/os-release';
import { parseKeyValueFile } from '../../src/parsers/ini-keys';
import { dockerdFlags } from '../../src/parsers/dockerd-flags';
import { parseIbPortState } from '../../src/parsers/ib-port-state';
import { parseFirewalldService, parseFirewalldZone } from '../../src/parsers/firewalld-xml';
import { expandExecVariables, splitExecLine } from '../../src/parsers/systemd-unit';
import { parseIptablesSave } from '../../src/parsers/iptables-save';
import { ufwRuleSet } from '../../src/firewall/ufw';
import { evaluateRuleSet } from '../../src/firewall/evaluate';
import { ConfigDoc } from '../../src/requirements/config-doc';
import { poolRequirements } from '../../src/requirements/shipyard';
import { nodeAgentExpectations, nodeAgentProblem } from '../../src/requirements/node-agent';
import { vmSizeFeatures } from '../../src/requirements/vm-size';
import { parseFeatureList } from '../../src/requirements/requirements';
import { parseIbPortRate } from '../../src/parsers/ib-port-rate';
import { parseIbPhysState } from '../../src/parsers/ib-port-state';
import { parseLinkSpeed, parseLinkWidth } from '../../src/parsers/pcie-link';
import { parseDisabledPlugins } from '../../src/parsers/containerd-config';
import { batchPoolRequirements } from '../../src/requirements/batch-pool';
import { JsonDoc } from '../../src/requirements/json-doc';

/** Runs `f`; anything thrown must be an instance of `allowed`. */
function only(allowed: abstract new (...a: never[]) => Error, f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof allowed)) throw err;
  }
}

/** Text made of the fragments a parser cares about, mixed with arbitrary (also non-ASCII) text. */
const textOf = (fragments: string[], maxParts = 20) =>
  fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: maxParts }).map((p) => p.join(''));

// Inputs a few hundred KB long catch quadratic or backtracking blow-ups that short ones hide.
const LONG = 200_000;
function quick(f: () => unknown, ms = 500): void {
  const t0 = performance.now();
  f();
  expect(performance.now() - t0).toBeLessThan(ms);
}

describe('os-release', () => {
  it('never throws; every key is a shell name and no value spans lines', () => {
    holds(
      fc.property(textOf(['ID=', 'VERSION_ID=', '"', "'", '\\', '\n', '#', '=', ' ', 'ubuntu', 'ID_LIKE="rhel fedora"']), (t) => {
        const r = parseOsRelease(t);
        for (const [k, v] of Object.entries(r)) {
          expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
          expect(v).not.toContain('\n');
        }
        expect(['debian', 'rhel', 'suse', 'azurelinux', 'unknown']).toContain(distroFamily(r));
      }),
      { numRuns: 3000 },
    );
    quick(() => parseOsRelease(`ID="${'\\"'.repeat(LONG)}`));
  });
});

describe('KEY=VALUE files (waagent.conf, selinux/config, /etc/default/ufw)', () => {
  it('never throws; keys are non-empty and line numbers are real lines', () => {
    holds(
      fc.property(textOf(['ResourceDisk.MountPoint=', '/mnt', '=', ' #', '#', '"', '\n', '\r\n', ' ', 'SELINUX=enforcing']), (t) => {
        const lines = t.split('\n').length;
        for (const [k, v] of parseKeyValueFile(t)) {
          expect(k).not.toBe('');
          expect(v.line).toBeGreaterThanOrEqual(1);
          expect(v.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 3000 },
    );
    quick(() => parseKeyValueFile(`${'a= #'.repeat(LONG / 4)}\n`.repeat(4)));
  });
});

describe('dockerd flags from an ExecStart', () => {
  it('never throws on any argument vector; every value it returns came from the vector', () => {
    const arg = fc.oneof(fc.constantFrom('/usr/bin/dockerd', '-H', '-H=', '-Hfd://', '--host', '--host=', '--data-root', '--data-root=/x', '-g', '-g=/y', '--graph', '--config-file', '--config-file=', '--', '-', '='), fc.string({ maxLength: 10 }));
    holds(
      fc.property(fc.array(arg, { maxLength: 14 }), (argv) => {
        const f = dockerdFlags(argv);
        const joined = argv.join('\u0000');
        for (const v of [...f.hosts, f.dataRoot, f.configFile]) if (v !== undefined) expect(joined).toContain(v);
      }),
      { numRuns: 3000 },
    );
    holds(fc.property(fc.string({ maxLength: 120 }), (line) => void dockerdFlags(splitExecLine(line))), { numRuns: 2000 });
  });

  it('variable expansion never throws, whatever the words and the environment', () => {
    const word = fc.oneof(fc.constantFrom('$A', '${A}', '$', '${', '}', '$1', '${A}${B}', '$$A'), fc.string({ maxLength: 8 }));
    const env = fc.dictionary(fc.constantFrom('A', 'B', 'DOCKER_OPTS'), fc.string({ maxLength: 20 }));
    holds(fc.property(fc.array(word, { maxLength: 10 }), env, (argv, e) => void expandExecVariables(argv, new Map(Object.entries(e)))), { numRuns: 2000 });
  });
});

describe('InfiniBand port state', () => {
  it('throws only ParseError; what it accepts is a number and an upper-case name', () => {
    holds(
      fc.property(textOf(['4', ': ', 'ACTIVE', 'DOWN', '\n', ' ', ':', '99999999999999999999'], 6), (t) => {
        only(ParseError, () => {
          const s = parseIbPortState(t);
          expect(Number.isInteger(s.code) || s.code === Infinity).toBe(true);
          expect(s.name).toMatch(/^[A-Z_]+$/);
        });
      }),
      { numRuns: 3000 },
    );
    quick(() => only(ParseError, () => parseIbPortState(`${'1'.repeat(LONG)}:`)));
  });
});

describe('firewalld XML (fast-xml-parser)', () => {
  it('throws only ParseError, character references and prototype-polluting names included', () => {
    const frag = ['<zone>', '</zone>', '<service>', '</service>', '<port port="1" protocol="tcp"/>', '<rule>', '</rule>', '<b x="1"/>', "<c y='2'>", '</c>', '&amp;', '&#65;', '&#x41;', '&#x110000;', '&#99999999;', '&#xFFFFFFFFFFFF;', '&nope;', '<__proto__/>', '<constructor/>', '<!--', '-->', '<?xml?>', '<!DOCTYPE a>', '<!ENTITY x "y">', '"', "'", '<', '>', '=', '/', ' '];
    holds(
      fc.property(textOf(frag), (t) => {
        only(ParseError, () => parseFirewalldZone(t));
        only(ParseError, () => parseFirewalldService(t));
      }),
      { numRuns: 4000 },
    );
  });

  it('decodes character references in range and keeps the others as written', () => {
    expect(parseFirewalldZone('<zone><service name="&#x10FFFF;&#65;"/></zone>').services).toEqual(['\u{10FFFF}A']);
    expect(parseFirewalldZone('<zone><service name="&#x110000;"/></zone>').services).toEqual(['&#x110000;']);
    expect(() => parseFirewalldZone('<zone><__proto__ x="1"/></zone>')).toThrow(ParseError);
  });

  it('deep nesting and long documents neither overflow the stack nor hang', () => {
    quick(() => only(ParseError, () => parseFirewalldZone('<zone>' + '<a>'.repeat(20_000) + '</a>'.repeat(20_000) + '</zone>')), 2000);
    quick(() => only(ParseError, () => parseFirewalldZone(`<zone b="${'x'.repeat(LONG)}`)));
  });
});

describe('ufw saved configuration', () => {
  it('any /etc/default/ufw and user.rules: only ParseError, and what parses evaluates', () => {
    const rules = ['*filter', ':ufw-user-input - [0:0]', ':ufw-user-output - [0:0]', '-A ufw-user-input -p tcp --dport 22 -j ACCEPT', '-A ufw-user-input -p tcp --dport 29876:29877 -j ACCEPT', '-A ufw-user-input -s 10.0.0.0/8 -j ACCEPT', '-A ufw-user-output -j DROP', '-A ufw-user-input -j ufw-user-input', 'COMMIT', '### tuple ### allow tcp 22', ''];
    const defaults = textOf(['DEFAULT_INPUT_POLICY=', 'DEFAULT_OUTPUT_POLICY=', '"DROP"', '"ACCEPT"', 'REJECT', '\n'], 8);
    holds(
      fc.property(defaults, fc.array(fc.oneof(fc.constantFrom(...rules), fc.string({ maxLength: 20 })), { maxLength: 12 }), (d, lines) => {
        const kv = parseKeyValueFile(d);
        only(ParseError, () => {
          const rs = ufwRuleSet({ inputPolicy: kv.get('DEFAULT_INPUT_POLICY')?.value ?? 'DROP', outputPolicy: kv.get('DEFAULT_OUTPUT_POLICY')?.value ?? 'ACCEPT', userRules: parseIptablesSave(lines.join('\n')) }, 'ufw');
          for (const [dport, direction] of [[22, 'in'], [29876, 'in'], [443, 'out']] as const) evaluateRuleSet(rs, { proto: 'tcp', dport, direction });
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pool configuration values', () => {
  const agent = textOf(['batch.node.', 'ubuntu', 'el', 'windows', ' 22.04', '\n', '\u2028', '\t', 'x'], 6);

  it('a node agent id is either refused with a reason or understood, never a crash', () => {
    holds(
      fc.property(agent, (a) => {
        if (nodeAgentProblem(a) !== null) return;
        const e = nodeAgentExpectations(a);
        expect(['/mnt', '/mnt/resource']).toContain(e.resourceMount);
      }),
      { numRuns: 3000 },
    );
  });

  it('a node agent with a line break inside is refused as a UsageError (it crashed the reader before)', () => {
    const yaml = 'pool_specification:\n  vm_configuration:\n    custom_image:\n      node_agent: "batch.node.ubuntu 22.04\\nsecond line"\n';
    expect(() => poolRequirements(ConfigDoc.parse('--pool', 'pool.yaml', yaml))).toThrow(UsageError);
    expect(() => poolRequirements(ConfigDoc.parse('--pool', 'pool.yaml', yaml))).toThrow(/node_agent: expected a node agent SKU id on one line/);
  });

  it('node_agent as YAML text, any vm_size and feature lists: only UsageError', () => {
    holds(
      fc.property(agent, fc.string({ maxLength: 30 }), (a, size) => {
        vmSizeFeatures(size);
        const yaml = `pool_specification:\n  vm_size: ${JSON.stringify(size)}\n  vm_configuration:\n    custom_image:\n      node_agent: ${JSON.stringify(a)}\n`;
        only(UsageError, () => poolRequirements(ConfigDoc.parse('--pool', 'pool.yaml', yaml)));
      }),
      { numRuns: 1500 },
    );
    holds(fc.property(fc.array(fc.string({ maxLength: 15 }), { maxLength: 4 }), (v) => only(UsageError, () => parseFeatureList(v, '--require'))), { numRuns: 1500 });
  });
});

describe('hardware sysfs attributes', () => {
  it('IB rate and physical state, PCIe speed and width, containerd disabled_plugins: only ParseError, promptly', () => {
    holds(
      fc.property(textOf(['400', ' Gb/sec', ' (4X NDR)', '5: ', 'LinkUp', 'Phy Test', '16.0', ' GT/s', ' PCIe', 'Unknown', '16', '\n', ' '], 8), (t) => {
        only(ParseError, () => expect(parseIbPortRate(t).gbps).toBeGreaterThanOrEqual(0));
        only(ParseError, () => parseIbPhysState(t));
        only(ParseError, () => parseLinkSpeed(t));
        only(ParseError, () => parseLinkWidth(t));
      }),
      { numRuns: 3000 },
    );
    holds(
      fc.property(textOf(['disabled_plugins', ' = ', '[', ']', '"cri"', "'x'", ',', '#', '\n', '[plugins]', '"'], 20), (t) => {
        only(ParseError, () => parseDisabledPlugins(t).forEach((p) => expect(typeof p).toBe('string')));
      }),
      { numRuns: 3000 },
    );
    quick(() => only(ParseError, () => parseIbPortRate(`${'1'.repeat(LONG)} Gb/sec (`)));
    quick(() => only(ParseError, () => parseDisabledPlugins(`disabled_plugins = [${'"a",'.repeat(LONG / 4)}`)));
  });
});

describe('Batch pool definitions', () => {
  const key = fc.constantFrom('vmSize', 'VmSize', 'vm_size', 'virtualMachineConfiguration', 'containerConfiguration', 'type', 'containerImageNames', 'mountConfiguration', 'nfsMountConfiguration', 'properties', 'deploymentConfiguration', 'startTask', 'nodeAgentSkuId', 'targetNodeCommunicationMode', 'userAccounts');
  const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
  })).v;

  it('any JSON made of pool keys: requirements or one UsageError, never another error', () => {
    holds(
      fc.property(json, (v) => only(UsageError, () => batchPoolRequirements(JsonDoc.parse('--batch-pool', 'pool.json', JSON.stringify(v))))),
      { numRuns: 3000 },
    );
    holds(fc.property(textOf(['{', '}', '"vmSize"', ':', ',', '[', ']', '"x"', '\n'], 20), (t) => only(UsageError, () => batchPoolRequirements(JsonDoc.parse('--batch-pool', 'p.json', t)))), { numRuns: 2000 });
  });
});
