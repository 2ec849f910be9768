// dockerd's flags as spf13/pflag parses them: booleans take no separate value (moby cmd/dockerd and
// daemon/command *VarP/BoolVar calls: the bool flags and one-letter names in src/data/dockerd-options.ts).
import { describe, expect, it } from 'vitest';
import { dockerdFlags } from '../../src/parsers/dockerd-flags';

describe('dockerdFlags: every flag given, by long name', () => {
  it.each([
    [['dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], ['host', 'containerd']],
    [['dockerd', '--debug', '-H', 'fd://'], ['debug', 'host']],
    [['dockerd', '--iptables=false', '--bridge', 'none', '--storage-driver=vfs'], ['iptables', 'bridge', 'storage-driver']],
    [['dockerd', '-D', '-l', 'warn', '-G', 'docker'], ['debug', 'log-level', 'group']],
    [['dockerd', '-DH', 'unix:///var/run/docker.sock'], ['debug', 'host']],
    [['dockerd', '-D=false', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3'], ['debug', 'log-opt', 'log-opt']],
    [['dockerd', '--live-restore', '--userns-remap', 'default', '--', '--tls'], ['live-restore', 'userns-remap']],
    [['dockerd', 'stray', '-', '--add-runtime', 'nvidia=/usr/bin/nvidia-container-runtime'], ['add-runtime']],
  ])('%j', (argv, given) => {
    expect(dockerdFlags(argv).given).toEqual(given);
  });

  it('takes the word after a boolean as no value of it', () => {
    expect(dockerdFlags(['dockerd', '--debug', '--data-root', '/mnt/docker']).dataRoot).toBe('/mnt/docker');
    expect(dockerdFlags(['dockerd', '-DH', 'fd://']).hosts).toEqual(['fd://']);
  });
});
