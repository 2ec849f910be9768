import { describe, expect, it } from 'vitest';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { stringify } from 'yaml';
import { ConfigDoc } from '../../src/requirements/config-doc';
import { configRequirements, jobsRequirements, poolRequirements, storageClusterTypes } from '../../src/requirements/shipyard';
import { UsageError } from '../../src/errors';
import { FIXTURES } from '../helpers/host';

const SHIPYARD = path.join(FIXTURES, 'shipyard');
const pool = (text: string) => poolRequirements(ConfigDoc.parse('--pool', 'pool.yaml', text));
const config = (text: string, fs?: string) => configRequirements(ConfigDoc.parse('--config', 'config.yaml', text), fs === undefined ? null : ConfigDoc.parse('--fs', 'fs.yaml', fs));
const features = (r: { requirements: { feature: string }[] }) => r.requirements.map((x) => x.feature).sort();

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('pool.yaml keys', () => {
  it.each([
    ['vm_size: Standard_NC24rs_v3', ['gpu', 'infiniband'], 'pool.yaml pool_specification.vm_size (Standard_NC24rs_v3: '],
    ['vm_size: Standard_NC6', ['gpu'], 'pool.yaml pool_specification.vm_size (Standard_NC6: '],
    ['vm_size: Standard_HB120rs_v3', ['infiniband'], 'pool.yaml pool_specification.vm_size (Standard_HB120rs_v3: '],
    ['vm_size: STANDARD_D4S_V3', [], ''],
    ['per_job_auto_scratch: true', ['auto-scratch', 'ssh-access'], 'pool.yaml pool_specification.per_job_auto_scratch (true)'],
    ['ssh:\n    username: shipyard\n    expiry_days: 7', ['ssh-access'], 'pool.yaml pool_specification.ssh.username (set: '],
    ["ssh:\n    username: ''", [], ''],
    ['ssh:\n    generate_docker_tunnel_script: true', [], ''],
    ['remote_access_control:\n    starting_port: 49000\n    allow: [1.2.3.4/32]\n    deny: ["*"]', ['ssh-access'], 'pool.yaml pool_specification.remote_access_control.allow ('],
    ['remote_access_control:\n    deny: ["*"]', [], ''],
    ['per_job_auto_scratch: false', [], ''],
    ['container_runtimes:\n    install:\n    - singularity', ['singularity'], 'pool.yaml pool_specification.container_runtimes.install (singularity)'],
    ['container_runtimes:\n    install: [kata_containers]', [], ''],
    ['container_runtimes:\n    install: null\n    default: docker', [], ''],
    ['some_future_key: {a: 1}', [], ''],
  ])('%s', (snippet, want, source) => {
    const r = pool(`pool_specification:\n  id: p\n  ${snippet}\n`);
    expect(features(r)).toEqual([...want].sort());
    if (source) expect(r.requirements[0]!.source.startsWith(source)).toBe(true);
  });

  it('node_agent sets the expected distribution and resource disk mount', () => {
    const r = pool('pool_specification:\n  vm_configuration:\n    custom_image:\n      node_agent: batch.node.el 9\n');
    expect(r.settings).toEqual({ expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' }, expectedResourceMount: '/mnt/resource' });
    const u = pool('pool_specification:\n  vm_configuration:\n    custom_image:\n      node_agent: batch.node.ubuntu 22.04\n');
    expect(u.settings.expectedResourceMount).toBe('/mnt');
  });

  it.each([
    ['custom_image:\n      node_agent: batch.node.ubuntu 22.04\n      native: true', 'pool.yaml pool_specification.vm_configuration.custom_image.native (true)'],
    ['platform_image:\n      publisher: Canonical\n      native: true', 'pool.yaml pool_specification.vm_configuration.platform_image.native (true)'],
    ['platform_image:\n      publisher: microsoft-azure-batch\n      offer: ubuntu-server-container', 'pool.yaml pool_specification.vm_configuration.platform_image.publisher (microsoft-azure-batch)'],
  ])('a native pool (%s) drops Singularity and the docker group', (image, why) => {
    const r = pool(`pool_specification:\n  vm_configuration:\n    ${image}\n  container_runtimes:\n    install: [singularity]\n`);
    expect(r.requirements).toEqual([]);
    expect(r.excludes).toEqual([
      { feature: 'docker-group', source: `${why}: a native pool adds no user to the docker group` },
      { feature: 'singularity', source: `${why}: node prep installs no Singularity on a native pool` },
    ]);
  });

  // shipyard_nodeprep.sh set_default_pool_user_privileges: with -r (fleet.py: ssh.allow_docker_access) it runs
  // `usermod -aG _azbatchsudogrp _azbatch`, never `usermod -aG docker _azbatch`.
  it('ssh.allow_docker_access: true drops the docker group (node prep uses _azbatchsudogrp); false or absent keeps it', () => {
    const r = pool('pool_specification:\n  ssh:\n    username: shipyard\n    allow_docker_access: true\n');
    expect(r.excludes).toEqual([
      { feature: 'docker-group', source: 'pool.yaml pool_specification.ssh.allow_docker_access (true): node prep adds _azbatch to _azbatchsudogrp instead of the docker group' },
    ]);
    expect(pool('pool_specification:\n  ssh:\n    allow_docker_access: false\n').excludes).toEqual([]);
    expect(pool('pool_specification:\n  ssh:\n    username: shipyard\n').excludes).toEqual([]);
    expect(usageError(() => pool('pool_specification:\n  ssh:\n    allow_docker_access: maybe\n'))).toMatch(/pool_specification\.ssh\.allow_docker_access/);
  });

  it.each(['MicrosoftWindowsServer', 'MicrosoftWindowsDesktop'])('a Windows platform image (%s) is a usage error', (publisher) => {
    expect(usageError(() => pool(`pool_specification:\n  vm_configuration:\n    platform_image:\n      publisher: ${publisher}\n      offer: WindowsServer\n`))).toBe(
      '--pool pool.yaml: line 4: pool_specification.vm_configuration.platform_image.publisher: is a Windows image; batch-preflight checks Linux nodes',
    );
  });

  it('a platform image sets no distribution expectation', () => {
    const r = pool('pool_specification:\n  vm_configuration:\n    platform_image:\n      publisher: Canonical\n');
    expect(r.settings).toEqual({});
  });

  it('an AMD GPU size requires no NVIDIA checks and says so', () => {
    const r = pool('pool_specification:\n  vm_size: Standard_NV4as_v4\n');
    expect(r.requirements).toEqual([]);
    expect(r.notes.join()).toMatch(/AMD GPUs/);
  });
});

describe('config.yaml shared data volumes', () => {
  const vol = (name: string, driver: string) => `global_resources:\n  volumes:\n    shared_data_volumes:\n      ${name}:\n        volume_driver: ${driver}\n        container_path: /x\n`;
  const FS = 'remote_fs:\n  storage_clusters:\n    nfsc:\n      file_server:\n        type: nfs\n    gfsc:\n      file_server:\n        type: glusterfs\n';

  it.each([
    ['v', 'azureblob', ['blobfuse']],
    ['v', 'azurefile', ['azurefile']],
    ['v', 'glusterfs_on_compute', ['gluster-on-compute']],
  ])('%s: %s', (name, driver, want) => {
    const r = config(vol(name, driver));
    expect(features(r)).toEqual(want);
    expect(r.requirements[0]!.source).toBe(`config.yaml global_resources.volumes.shared_data_volumes.${name}.volume_driver (${driver})`);
  });

  it.each([
    ['nfsc', 'nfs'],
    ['gfsc', 'glusterfs'],
  ])('storage_cluster %s -> %s through fs.yaml', (name, want) => {
    const r = config(vol(name, 'storage_cluster'), FS);
    expect(features(r)).toEqual([want]);
    expect(r.requirements[0]!.source).toContain(`fs.yaml remote_fs.storage_clusters.${name}.file_server.type (${want})`);
  });

  it('storage_cluster without fs.yaml: kind unknown, nothing required, a warning says so', () => {
    const r = config(vol('nfsc', 'storage_cluster'));
    expect(r.requirements).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/unknown without --fs/);
  });

  it('storage_cluster that fs.yaml does not define: kind unknown, a warning says so', () => {
    const r = config(vol('other', 'storage_cluster'), FS);
    expect(r.requirements).toEqual([]);
    expect(r.warnings[0]).toMatch(/defines no storage cluster "other"/);
  });

  it('custom_linux_mount without fs_vfstype, or of a type no check knows, is noted, not required', () => {
    const r = config(vol('v', 'custom_linux_mount'));
    expect(r.requirements).toEqual([]);
    expect(r.notes[0]).toMatch(/custom mounts without fs_vfstype are not checked/);
    const lustre = config(vol('v', 'custom_linux_mount') + '        fstab_entry: {fs_spec: "10.1.0.4@tcp0:/lustre", fs_vfstype: lustre}\n');
    expect(lustre.requirements).toEqual([]);
    expect(lustre.notes[0]).toMatch(/fs_vfstype lustre is not checked/);
  });

  it.each([
    ['nfs', 'nfs'],
    ['nfs4', 'nfs'],
    ['glusterfs', 'glusterfs'],
    ['cifs', 'cifs'],
  ])('custom_linux_mount with fs_vfstype %s requires %s', (type, feature) => {
    const r = config(vol('v', 'custom_linux_mount') + `        fstab_entry:\n          fs_spec: server:/export\n          fs_vfstype: ${type}\n`);
    expect(r.requirements).toEqual([{ feature, source: `config.yaml global_resources.volumes.shared_data_volumes.v.fstab_entry.fs_vfstype (${type})` }]);
  });

  it('a config without volumes requires nothing', () => {
    expect(config('batch_shipyard:\n  storage_account_settings: sa\n')).toEqual({ requirements: [], settings: {}, notes: [], warnings: [], excludes: [] });
    expect(config('global_resources:\n  volumes:\n    shared_data_volumes:\n')).toEqual({ requirements: [], settings: {}, notes: [], warnings: [], excludes: [] });
  });
});

describe('config.yaml batch_shipyard keys', () => {
  it('encryption.enabled true requires credential-encryption (openssl in node prep); false or absent does not', () => {
    const on = config('batch_shipyard:\n  encryption:\n    enabled: true\n    pfx:\n      passphrase: SECRET-CANARY\n');
    expect(on.requirements).toEqual([{ feature: 'credential-encryption', source: 'config.yaml batch_shipyard.encryption.enabled (true)' }]);
    expect(JSON.stringify(on)).not.toContain('SECRET-CANARY');
    expect(config('batch_shipyard:\n  encryption:\n    enabled: false\n').requirements).toEqual([]);
    expect(config('batch_shipyard:\n  storage_account_settings: sa\n').requirements).toEqual([]);
    expect(usageError(() => config('batch_shipyard:\n  encryption:\n    enabled: yes please\n'))).toMatch(/batch_shipyard\.encryption\.enabled.*true or false/);
  });
});

describe('the Batch Shipyard fixture files', () => {
  it('pool.yaml + config.yaml + fs.yaml give every feature they imply, each with its key', () => {
    const p = poolRequirements(ConfigDoc.load('--pool', path.join(SHIPYARD, 'pool.yaml')));
    const c = configRequirements(ConfigDoc.load('--config', path.join(SHIPYARD, 'config.yaml')), ConfigDoc.load('--fs', path.join(SHIPYARD, 'fs.yaml')));
    const bySource = Object.fromEntries([...p.requirements, ...c.requirements].map((r) => [r.feature, r.source.replaceAll(SHIPYARD + '/', '')]));
    expect(bySource).toEqual({
      gpu: expect.stringMatching(/^pool\.yaml pool_specification\.vm_size \(Standard_ND96isr_H100_v5: .*NVIDIA/),
      infiniband: expect.stringMatching(/^pool\.yaml pool_specification\.vm_size \(Standard_ND96isr_H100_v5: .*RDMA/),
      'auto-scratch': 'pool.yaml pool_specification.per_job_auto_scratch (true)',
      // Also from per_job_auto_scratch; the last source of a feature is the one kept here.
      'ssh-access': 'pool.yaml pool_specification.ssh.username (set: an SSH user is created on every node)',
      singularity: 'pool.yaml pool_specification.container_runtimes.install (singularity)',
      blobfuse: 'config.yaml global_resources.volumes.shared_data_volumes.datasets.volume_driver (azureblob)',
      azurefile: 'config.yaml global_resources.volumes.shared_data_volumes.results.volume_driver (azurefile)',
      'gluster-on-compute': 'config.yaml global_resources.volumes.shared_data_volumes.glustervol.volume_driver (glusterfs_on_compute)',
      nfs: 'config.yaml global_resources.volumes.shared_data_volumes.nfscluster.volume_driver (storage_cluster) + fs.yaml remote_fs.storage_clusters.nfscluster.file_server.type (nfs)',
    });
    expect(p.settings).toEqual({
      expectedDistro: { family: 'ubuntu', version: '22.04', nodeAgent: 'batch.node.ubuntu 22.04' },
      expectedResourceMount: '/mnt',
      vmSize: { name: 'Standard_ND96isr_H100_v5', source: expect.stringMatching(/pool\.yaml pool_specification\.vm_size$/) },
    });
    expect([...p.notes, ...c.notes, ...p.warnings, ...c.warnings]).toEqual([]);
  });

  it('the JSON pair (CentOS 7, NC24rs_v3, storage cluster without fs.yaml)', () => {
    const p = poolRequirements(ConfigDoc.load('--pool', path.join(SHIPYARD, 'pool-el.json')));
    const c = configRequirements(ConfigDoc.load('--config', path.join(SHIPYARD, 'config-el.json')), null);
    expect(features(p)).toEqual(['gpu', 'infiniband', 'ssh-access']);
    expect(p.settings.expectedDistro).toEqual({ family: 'el', version: '7', nodeAgent: 'batch.node.centos 7' });
    expect(c.requirements).toEqual([]);
    expect(c.warnings[0]).toMatch(/gfscluster.*unknown without --fs/);
  });

  it('fs.yaml storage clusters', () => {
    expect([...storageClusterTypes(ConfigDoc.load('--fs', path.join(SHIPYARD, 'fs.yaml')))]).toEqual([
      ['nfscluster', 'nfs'],
      ['gfscluster', 'glusterfs'],
    ]);
  });
});

describe('YAML merge keys resolve as PyYAML (Batch Shipyard) resolves them', () => {
  it('<<: [*a, *b] (the first mapping to give a key wins), <<: {inline}, and own keys over merged ones', () => {
    const p = poolRequirements(ConfigDoc.load('--pool', path.join(SHIPYARD, 'pool-merge.yaml')));
    expect(features(p)).toEqual(['auto-scratch', 'gpu', 'infiniband', 'singularity', 'ssh-access']);
    expect(p.settings.expectedDistro).toEqual({ family: 'el', version: '9', nodeAgent: 'batch.node.el 9' });
    expect(p.vmSize).toBe('Standard_NC24rs_v3');
  });

  it('a key of the mapping itself overrides the merged one', () => {
    const r = pool('base: &b {vm_size: Standard_NC6, per_job_auto_scratch: true}\npool_specification:\n  <<: *b\n  vm_size: Standard_D2s_v3\n');
    expect(features(r)).toEqual(['auto-scratch', 'ssh-access']);
  });

  it('a quoted "<<" is an ordinary key, as in PyYAML', () => {
    const r = pool('pool_specification:\n  "<<": {vm_size: Standard_NC6}\n');
    expect(features(r)).toEqual([]);
  });

  it('merges in config.yaml volumes too', () => {
    const c = config('x: &blob {volume_driver: azureblob}\nglobal_resources:\n  volumes:\n    shared_data_volumes:\n      data:\n        <<: *blob\n        container_name: c\n');
    expect(features(c)).toEqual(['blobfuse']);
  });
});

describe('jobs.yaml', () => {
  const jobs = (text: string) => jobsRequirements(ConfigDoc.parse('--jobs', 'jobs.yaml', text));

  it('a Singularity multi-instance MPI task requires mpi (the host runs mpirun); a Docker MPI task and a plain Singularity task do not', () => {
    const r = jobsRequirements(ConfigDoc.load('--jobs', path.join(SHIPYARD, 'jobs.yaml')));
    expect(r.requirements).toEqual([
      { feature: 'mpi', source: `${path.join(SHIPYARD, 'jobs.yaml')} job_specifications[1].tasks[1].multi_instance.mpi (a Singularity task: it runs the host's mpirun)` },
    ]);
  });

  it('multi_instance without mpi requires nothing', () => {
    expect(jobs('job_specifications:\n- id: j\n  tasks:\n  - singularity_image: x\n    multi_instance: {num_instances: 2}\n').requirements).toEqual([]);
  });

  it('a jobs file without job_specifications, or with tasks that are not mappings, is a usage error', () => {
    expect(usageError(() => jobs('pool_specification: {}\n'))).toBe('--jobs jobs.yaml: job_specifications: expected a list (the jobs file must have job_specifications), found nothing');
    expect(usageError(() => jobs('job_specifications:\n- id: j\n  tasks: [a]\n'))).toBe('--jobs jobs.yaml: line 3: job_specifications[0].tasks[0]: expected a mapping, found a string');
  });
});

describe('bad configuration files are usage errors naming the file, the line and what was expected', () => {
  const bad = (f: string) => path.join(SHIPYARD, 'bad', f);
  it.each([
    ['syntax.yaml', /^--pool .*syntax\.yaml: line 3, column \d+: not valid YAML or JSON: /],
    ['trailing-comma.json', /^--pool .*trailing-comma\.json: line 5, column 3: not valid YAML or JSON: /],
    ['vm-size-list.yaml', /: line 7: pool_specification\.vm_size: expected a string, found a list$/],
    ['no-pool-spec.yaml', /: pool_specification: expected a mapping \(the pool file must have pool_specification\), found nothing$/],
    ['top-list.yaml', /: line 1: \(top level\): expected a mapping with pool_specification, found a list$/],
    ['windows-agent.yaml', /: line 5: pool_specification\.vm_configuration\.custom_image\.node_agent: is a Windows node agent/],
    ['autoscratch-string.yaml', /: line 3: pool_specification\.per_job_auto_scratch: expected true or false, found a string$/],
  ])('--pool %s', (file, want) => {
    expect(usageError(() => poolRequirements(ConfigDoc.load('--pool', bad(file))))).toMatch(want);
  });

  it('an unknown volume driver', () => {
    expect(usageError(() => configRequirements(ConfigDoc.load('--config', bad('unknown-driver.yaml')), null))).toMatch(
      /^--config .*: line 5: global_resources\.volumes\.shared_data_volumes\.myvol\.volume_driver: expected azureblob, azurefile/,
    );
  });

  it('an unknown file server type', () => {
    expect(usageError(() => storageClusterTypes(ConfigDoc.parse('--fs', 'fs.yaml', 'remote_fs:\n  storage_clusters:\n    c:\n      file_server:\n        type: smb\n')))).toBe(
      '--fs fs.yaml: line 5: remote_fs.storage_clusters.c.file_server.type: expected nfs or glusterfs',
    );
  });

  it.each([
    ['/nonexistent/pool.yaml', /does not exist$/],
    [SHIPYARD, /is a directory, not a file$/],
  ])('unreadable %s', (file, want) => {
    expect(usageError(() => ConfigDoc.load('--pool', file))).toMatch(want);
  });

  it('an empty file', () => {
    expect(usageError(() => pool(''))).toBe('--pool pool.yaml: empty; expected pool_specification');
  });

  it('a volume that is not a mapping', () => {
    expect(usageError(() => config('global_resources:\n  volumes:\n    shared_data_volumes:\n      v: azureblob\n'))).toBe(
      '--config config.yaml: line 4: global_resources.volumes.shared_data_volumes.v: expected a mapping, found a string',
    );
  });

  it('an alias to an anchor that is not defined', () => {
    expect(usageError(() => pool('pool_specification:\n  vm_size: *nowhere\n'))).toMatch(/line 2: an alias names an anchor/);
  });

  it('a merge of something that is not a mapping (PyYAML refuses it too)', () => {
    expect(usageError(() => pool('base: &b [1, 2]\npool_specification:\n  <<: *b\n'))).toBe('--pool pool.yaml: line 1: <<: expected a mapping, or a list of mappings, to merge, found a number');
  });

  it('aliases to defined anchors are followed', () => {
    expect(features(pool('sizes:\n  gpu: &gpu Standard_NC6\npool_specification:\n  vm_size: *gpu\n'))).toEqual(['gpu']);
  });

  it('never quotes a value in a complaint', () => {
    const msg = usageError(() => pool('pool_specification:\n  vm_size:\n    secret: SECRET-CANARY\n'));
    expect(msg).not.toContain('SECRET-CANARY');
    const syntax = usageError(() => pool('pool_specification:\n  vm_size: SECRET-CANARY: [\n'));
    expect(syntax).not.toContain('SECRET-CANARY');
  });
});

describe('robustness', () => {
  const onlyUsageErrors = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
    }
  };

  it('any text gives findings or a UsageError, nothing else', () => {
    holds(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        onlyUsageErrors(() => pool(text));
        onlyUsageErrors(() => config(text, text));
      }),
      { numRuns: 1500 },
    );
  });

  it('any YAML structure under the known keys gives findings or a UsageError', () => {
    const value = fc.oneof(fc.anything({ maxDepth: 3 }), fc.constantFrom('Standard_NC6', 'batch.node.ubuntu 22.04', 'storage_cluster', 'azureblob', true, ['singularity']));
    const shapes = fc.record({
      pool_specification: fc.oneof(value, fc.record({ vm_size: value, per_job_auto_scratch: value, container_runtimes: fc.oneof(value, fc.record({ install: value })), vm_configuration: fc.oneof(value, fc.record({ custom_image: fc.oneof(value, fc.record({ node_agent: value })) })) }, { requiredKeys: [] })),
      global_resources: fc.oneof(value, fc.record({ volumes: fc.oneof(value, fc.record({ shared_data_volumes: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(value, fc.record({ volume_driver: value })))) })) })),
      remote_fs: fc.oneof(value, fc.record({ storage_clusters: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(value, fc.record({ file_server: fc.oneof(value, fc.record({ type: value })) })))) })),
    }, { requiredKeys: [] });
    holds(
      fc.property(shapes, (obj) => {
        let text: string;
        try {
          text = stringify(obj);
        } catch {
          return;
        }
        onlyUsageErrors(() => pool(text));
        onlyUsageErrors(() => config(text, text));
      }),
      { numRuns: 500 },
    );
  });
});
