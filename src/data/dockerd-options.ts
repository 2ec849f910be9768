// What dockerd accepts in daemon.json, release line by release line, read from moby's sources at every
// release tag from v19.03.0 to docker-v29.7.0 (github.com/moby/moby: cmd/dockerd/*.go and
// daemon/config/*.go up to v28, daemon/command/*.go and daemon/config/*.go from v29; Linux files only).
// daemon/config/config.go findConfigurationConflicts accepts a key when it is a flag's name
// (flags.Lookup), the name of a named option (opts.NamedOption.Name(), e.g. "hosts" for -H), or in
// skipValidateOptions; configValuesSet first replaces every object value by its members unless the
// key is in flatOptions. A Span is the first and the last release line that has the name (no last:
// still in the newest line read); a name new in a patch release counts for its whole line, so that
// no key is called unknown to a release that knows it.

/** [first release line, last release line]; without a last, the name is in the newest line read. */
export type Span = readonly [string, string?];

/** The release lines read, oldest first (year.month up to 20.10, major.minor from 23.0). */
export const DOCKERD_LINES: readonly string[] = ['19.03', '20.10', '23.0', '24.0', '25.0', '26.0', '26.1', '27.0', '27.1', '27.2', '27.3', '27.4', '27.5', '28.0', '28.1', '28.2', '28.3', '28.4', '28.5', '29.0', '29.1', '29.2', '29.3', '29.4', '29.5', '29.6', '29.7'];

/** Flag names and named-option names: the daemon.json keys dockerd knows. */
export const DAEMON_JSON_KEYS: Readonly<Record<string, Span>> = {
  'add-runtime': ['19.03'],
  'allow-direct-routing': ['28.2'],
  'allow-nondistributable-artifacts': ['19.03', '28.5'],
  'api-cors-header': ['19.03', '28.5'],
  'authorization-plugin': ['19.03'],
  'authorization-plugins': ['19.03'],
  'bip': ['19.03'],
  'bip6': ['28.0'],
  'bridge': ['19.03'],
  'bridge-accept-fwmark': ['29.0'],
  'cdi-spec-dir': ['25.0'],
  'cdi-spec-dirs': ['25.0'],
  'cgroup-parent': ['19.03'],
  'cluster-advertise': ['19.03', '23.0'],
  'cluster-store': ['19.03', '23.0'],
  'cluster-store-opt': ['19.03', '23.0'],
  'cluster-store-opts': ['19.03', '23.0'],
  'config-file': ['19.03'],
  'containerd': ['19.03'],
  'containerd-namespace': ['19.03'],
  'containerd-plugins-namespace': ['19.03'],
  'cpu-rt-period': ['19.03'],
  'cpu-rt-runtime': ['19.03'],
  'cri-containerd': ['19.03'],
  'data-root': ['19.03'],
  'debug': ['19.03'],
  'default-address-pool': ['19.03'],
  'default-address-pools': ['19.03'],
  'default-cgroupns-mode': ['20.10'],
  'default-gateway': ['19.03'],
  'default-gateway-v6': ['19.03'],
  'default-ipc-mode': ['19.03'],
  'default-network-opt': ['24.0'],
  'default-network-opts': ['24.0'],
  'default-runtime': ['19.03'],
  'default-shm-size': ['19.03'],
  'default-stop-timeout': ['29.7'],
  'default-ulimit': ['19.03'],
  'default-ulimits': ['19.03'],
  'dns': ['19.03'],
  'dns-opt': ['19.03'],
  'dns-opts': ['19.03'],
  'dns-search': ['19.03'],
  'exec-opt': ['19.03'],
  'exec-opts': ['19.03'],
  'exec-root': ['19.03'],
  'experimental': ['19.03'],
  'feature': ['27.3'],
  'features': ['27.3'],
  'firewall-backend': ['29.0'],
  'fixed-cidr': ['19.03'],
  'fixed-cidr-v6': ['19.03'],
  'graph': ['19.03', '23.0'],
  'group': ['19.03'],
  'host': ['19.03'],
  'host-gateway-ip': ['20.10'],
  'host-gateway-ips': ['28.0'],
  'hosts': ['19.03'],
  'http-proxy': ['23.0'],
  'https-proxy': ['23.0'],
  'icc': ['19.03'],
  'identity': ['19.03', '20.10'],
  'init': ['19.03'],
  'init-path': ['19.03'],
  'insecure-registries': ['19.03'],
  'insecure-registry': ['19.03'],
  'ip': ['19.03'],
  'ip-forward': ['19.03'],
  'ip-forward-no-drop': ['28.0'],
  'ip-masq': ['19.03'],
  'ip6tables': ['20.10'],
  'iptables': ['19.03'],
  'ipv6': ['19.03'],
  'label': ['19.03'],
  'labels': ['19.03'],
  'live-restore': ['19.03'],
  'log-driver': ['19.03'],
  'log-format': ['25.0'],
  'log-level': ['19.03'],
  'log-opt': ['19.03'],
  'log-opts': ['19.03'],
  'max-concurrent-downloads': ['19.03'],
  'max-concurrent-uploads': ['19.03'],
  'max-download-attempts': ['20.10'],
  'metrics-addr': ['19.03'],
  'mtu': ['19.03'],
  'network-control-plane-mtu': ['19.03'],
  'network-diagnostic-port': ['19.03'],
  'no-new-privileges': ['19.03'],
  'no-proxy': ['23.0'],
  'node-generic-resource': ['19.03'],
  'node-generic-resources': ['19.03'],
  'nri-opts': ['29.2'],
  'oom-score-adjust': ['19.03', '25.0'],
  'pidfile': ['19.03'],
  'raw-logs': ['19.03'],
  'registry-mirror': ['19.03'],
  'registry-mirrors': ['19.03'],
  'restart': ['19.03'],
  'rootless': ['19.03'],
  'runtimes': ['19.03'],
  'seccomp-profile': ['19.03'],
  'selinux-enabled': ['19.03'],
  'shutdown-timeout': ['19.03'],
  'storage-driver': ['19.03'],
  'storage-opt': ['19.03'],
  'storage-opts': ['19.03'],
  'swarm-default-advertise-addr': ['19.03'],
  'tls': ['19.03'],
  'tlscacert': ['19.03'],
  'tlscert': ['19.03'],
  'tlskey': ['19.03'],
  'tlsverify': ['19.03'],
  'userland-proxy': ['19.03'],
  'userland-proxy-path': ['19.03'],
  'userns-remap': ['19.03'],
  'validate': ['23.0'],
  'version': ['19.03'],
};

/** flatOptions: keys whose object value is kept whole, not replaced by its members. */
export const FLAT_KEYS: Readonly<Record<string, Span>> = {
  'builder': ['19.03'],
  'cluster-store-opts': ['19.03'],
  'default-network-opts': ['24.0'],
  'default-ulimits': ['19.03'],
  'features': ['19.03'],
  'log-opts': ['19.03'],
  'nri-opts': ['29.2'],
  'runtimes': ['19.03'],
};

/** skipValidateOptions: keys accepted without a flag of that name. */
export const SKIP_VALIDATE_KEYS: Readonly<Record<string, Span>> = {
  'allow-nondistributable-artifacts': ['28.1'],
  'builder': ['19.03'],
  'deprecated-key-path': ['19.03'],
  'features': ['19.03'],
  'min-api-version': ['29.0'],
};

/** Flags whose daemon.json key is a named option of another name (flags.Var(opts.NewNamed...("key", ...), "flag")). */
export const NAMED_OPTION_OF_FLAG: Readonly<Record<string, string>> = {
  'add-runtime': 'runtimes',
  'authorization-plugin': 'authorization-plugins',
  'cdi-spec-dir': 'cdi-spec-dirs',
  'cluster-store-opt': 'cluster-store-opts',
  'default-address-pool': 'default-address-pools',
  'default-network-opt': 'default-network-opts',
  'default-ulimit': 'default-ulimits',
  'dns-opt': 'dns-opts',
  'exec-opt': 'exec-opts',
  feature: 'features',
  host: 'hosts',
  'host-gateway-ip': 'host-gateway-ips',
  'insecure-registry': 'insecure-registries',
  label: 'labels',
  'log-opt': 'log-opts',
  'node-generic-resource': 'node-generic-resources',
  'registry-mirror': 'registry-mirrors',
  'storage-opt': 'storage-opts',
};

/**
 * daemon.json keys given both ways that dockerd merges instead of refusing (skipDuplicates), and
 * keys that moved to a named option, whose old name conflicts with the flag too (migratedNamedConfig).
 */
export const MERGED_KEYS: readonly string[] = ['runtimes'];
export const FORMER_KEYS_OF_FLAG: Readonly<Record<string, string>> = { 'host-gateway-ip': 'host-gateway-ip' };

/** Boolean flags: `--flag` takes no value (`--flag=false` may give one). */
export const BOOL_FLAGS: ReadonlySet<string> = new Set([
  'allow-direct-routing', 'cri-containerd', 'debug', 'experimental', 'icc', 'init', 'ip-forward', 'ip-forward-no-drop', 'ip-masq', 'ip6tables',
  'iptables', 'ipv6', 'live-restore', 'no-new-privileges', 'raw-logs', 'restart', 'rootless', 'selinux-enabled', 'tls', 'tlsverify',
  'userland-proxy', 'validate', 'version',
]);

/** One-letter flags and their long names. */
export const SHORT_FLAGS: Readonly<Record<string, string>> = { D: 'debug', G: 'group', H: 'host', b: 'bridge', g: 'graph', l: 'log-level', p: 'pidfile', r: 'restart', s: 'storage-driver', v: 'version' };
