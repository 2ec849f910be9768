import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { effectiveList, expandExecVariables, parseUnitFile, splitExecLine } from '../../src/parsers/systemd-unit';
import { dockerdFlags } from '../../src/parsers/dockerd-flags';

describe('parseUnitFile', () => {
  it('reads sections, keys, comments and continuation lines', () => {
    const entries = parseUnitFile('Orphan=1\n[Service]\n# ExecStart=/commented\n; also a comment\nExecStart=/usr/bin/dockerd \\\n  -H fd:// \\\n# a comment inside\n  --debug\nType=notify\n[Install]\nWantedBy=multi-user.target\n');
    expect(entries).toEqual([
      { section: 'Service', key: 'ExecStart', value: '/usr/bin/dockerd    -H fd://    --debug', line: 5 },
      { section: 'Service', key: 'Type', value: 'notify', line: 9 },
      { section: 'Install', key: 'WantedBy', value: 'multi-user.target', line: 11 },
    ]);
  });

  it('never throws on garbage', () => {
    holds(
      fc.property(fc.string({ maxLength: 200 }), (t) => {
        for (const e of parseUnitFile(t)) expect(e.key).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('effectiveList', () => {
  it('appends, and an empty assignment clears what came before', () => {
    const unit = { file: '/lib/systemd/system/docker.service', entries: parseUnitFile('[Service]\nExecStart=/usr/bin/dockerd -H fd://\n') };
    const dropIn = { file: '/etc/systemd/system/docker.service.d/o.conf', entries: parseUnitFile('[Service]\nExecStart=\nExecStart=/usr/bin/dockerd\n') };
    const extra = { file: '/etc/systemd/system/docker.service.d/p.conf', entries: parseUnitFile('[Unit]\nExecStart=/not/service/section\n') };
    expect(effectiveList([unit], 'Service', 'ExecStart').map((v) => v.value)).toEqual(['/usr/bin/dockerd -H fd://']);
    expect(effectiveList([unit, dropIn, extra], 'Service', 'ExecStart')).toEqual([{ value: '/usr/bin/dockerd', file: dropIn.file, line: 3 }]);
  });
});

describe('splitExecLine and dockerdFlags', () => {
  it('splits like systemd and drops the prefixes', () => {
    expect(splitExecLine(`-/usr/bin/dockerd -H "unix:///run/my docker.sock" --data-root='/mnt/resource/docker' a\\ b`)).toEqual([
      '/usr/bin/dockerd',
      '-H',
      'unix:///run/my docker.sock',
      '--data-root=/mnt/resource/docker',
      'a b',
    ]);
  });

  it.each([
    [['dockerd', '-H', 'fd://'], { hosts: ['fd://'] }],
    [['dockerd', '-Hfd://', '--host=tcp://0.0.0.0:2375', '--host', 'unix:///x'], { hosts: ['fd://', 'tcp://0.0.0.0:2375', 'unix:///x'] }],
    [['dockerd', '-H=fd://'], { hosts: ['fd://'] }],
    [['dockerd', '-g', '/mnt/old', '--data-root', '/mnt/resource/docker'], { hosts: [], dataRoot: '/mnt/resource/docker' }],
    [['dockerd', '--graph=/mnt/g', '--config-file=/etc/docker/other.json'], { hosts: [], dataRoot: '/mnt/g', configFile: '/etc/docker/other.json' }],
    [['dockerd', '--containerd=/run/containerd/containerd.sock', '--hostname-not-a-flag'], { hosts: [] }],
    [['dockerd', '-H'], { hosts: [] }],
  ])('%j', (argv, flags) => {
    expect(dockerdFlags(argv)).toMatchObject(flags);
  });

  it('never throws', () => {
    holds(
      fc.property(fc.string({ maxLength: 120 }), (line) => {
        const f = dockerdFlags(splitExecLine(line));
        expect(Array.isArray(f.hosts)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('expandExecVariables', () => {
  it('splits a whole-word $VAR and keeps ${VAR} as one piece, as systemd does', () => {
    const env = new Map([
      ['DOCKER_OPTS', '-H tcp://0.0.0.0:2375  --debug'],
      ['ROOT', '/mnt/resource/docker'],
      ['EMPTY', ''],
    ]);
    expect(expandExecVariables(['/usr/bin/dockerd', '$DOCKER_OPTS', '--data-root=${ROOT}', '$EMPTY', '$UNSET', 'x${UNSET}y'], env)).toEqual([
      '/usr/bin/dockerd',
      '-H',
      'tcp://0.0.0.0:2375',
      '--debug',
      '--data-root=/mnt/resource/docker',
      'xy',
    ]);
  });
});
