// The plain Batch pool reader: each shape (REST body, `az batch pool show`, ARM resource) and each
// casing (camelCase, PascalCase, snake_case) gives the same requirements with their JSON paths;
// bad input is one UsageError naming the file, line and JSON path.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { batchPoolRequirements, imageRegistry } from '../../src/requirements/batch-pool';
import { JsonDoc } from '../../src/requirements/json-doc';
import { UsageError } from '../../src/errors';

const load = (name: string) => batchPoolRequirements(JsonDoc.load('--batch-pool', path.join('fixtures/batch', name), 'a Batch pool definition'));
const sources = (f: ReturnType<typeof load>) => Object.fromEntries(f.requirements.map((r) => [r.feature, r.source]));

describe('batch pool shapes', () => {
  it('REST body: every derivation with its file and JSON path', () => {
    const f = load('pool-rest.json');
    const file = 'fixtures/batch/pool-rest.json';
    expect(sources(f)).toEqual({
      gpu: expect.stringMatching(new RegExp(`^${file}:\\$\\.vmSize \\(Standard_ND96isr_H100_v5: `)),
      infiniband: expect.stringMatching(new RegExp(`^${file}:\\$\\.vmSize \\(Standard_ND96isr_H100_v5: `)),
      docker: `${file}:$.virtualMachineConfiguration.containerConfiguration.type (dockerCompatible: a Docker-compatible engine)`,
      blobfuse: `${file}:$.mountConfiguration[0].azureBlobFileSystemConfiguration (Azure Blob container (blobfuse))`,
      nfs: `${file}:$.mountConfiguration[1].nfsMountConfiguration (NFS share)`,
      azurefile: `${file}:$.mountConfiguration[2].azureFileShareConfiguration (Azure Files share (SMB))`,
    });
    expect(f.vmSize).toBe('Standard_ND96isr_H100_v5');
    expect(f.needsDocker).toBe(true);
    expect(f.settings).toEqual({ expectedDistro: { family: 'ubuntu', version: '22.04', nodeAgent: 'batch.node.ubuntu 22.04' }, expectedResourceMount: '/mnt' });
    expect(f.nodeCommunication).toEqual({ mode: 'simplified', source: `${file}:$.targetNodeCommunicationMode` });
    expect(f.registries).toEqual([
      { name: 'myregistry.azurecr.io', source: `${file}:$.virtualMachineConfiguration.containerConfiguration.containerImageNames[0]` },
      { name: 'docker.io', source: `${file}:$.virtualMachineConfiguration.containerConfiguration.containerImageNames[1]` },
    ]);
    expect(f.warnings).toEqual([]);
    expect(JSON.stringify(f)).not.toContain('SECRET-CANARY');
  });

  it('az batch pool show output: nulls and read-only keys ignored, current mode used when the target is default, start task warnings', () => {
    const f = load('pool-show.json');
    const file = 'fixtures/batch/pool-show.json';
    expect(sources(f)).toEqual({
      infiniband: expect.stringMatching(/^fixtures\/batch\/pool-show\.json:\$\.vmSize \(standard_hb120rs_v3: /),
      cifs: `${file}:$.mountConfiguration[0].cifsMountConfiguration (CIFS/SMB share)`,
      ssh: `${file}:$.userAccounts[0].linuxUserConfiguration.sshPrivateKey (a user account with an SSH key: tasks log in between nodes)`,
    });
    expect(f.needsDocker).toBe(false);
    expect(f.settings.expectedDistro).toEqual({ family: 'el', version: '8', nodeAgent: 'batch.node.el 8' });
    expect(f.settings.expectedResourceMount).toBe('/mnt/resource');
    expect(f.nodeCommunication).toEqual({ mode: 'simplified', source: `${file}:$.currentNodeCommunicationMode` });
    expect(f.notes).not.toContainEqual(expect.stringMatching(/is default/));
    expect(f.notes).toContain(`${file}: the pool has no containerConfiguration, so it runs no containers: docker is not required (use --require docker to check it anyway)`);
    expect(f.warnings).toEqual([
      expect.stringMatching(/^fixtures\/batch\/pool-show\.json:\$\.startTask\.userIdentity\.autoUser\.elevationLevel: the start task does not run with elevationLevel admin/),
      expect.stringMatching(/^fixtures\/batch\/pool-show\.json:\$\.startTask\.waitForSuccess: waitForSuccess is false, so a node whose start task fails still gets tasks/),
    ]);
    expect(JSON.stringify(f)).not.toContain('SECRET-CANARY');
  });

  it('ARM resource: the pool under properties, the VM configuration under deploymentConfiguration, criCompatible needs containerd', () => {
    const f = load('pool-arm.json');
    const file = 'fixtures/batch/pool-arm.json';
    expect(sources(f)).toEqual({
      gpu: expect.stringMatching(/^fixtures\/batch\/pool-arm\.json:\$\.properties\.vmSize \(Standard_NC24ads_A100_v4: /),
      containerd: `${file}:$.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.type (CriCompatible: a CRI runtime (containerd))`,
      nfs: `${file}:$.properties.mountConfiguration[0].nfsMountConfiguration (NFS share)`,
    });
    expect(f.nodeCommunication).toEqual({ mode: 'classic', source: `${file}:$.properties.targetNodeCommunicationMode` });
    expect(f.registries).toEqual([{ name: 'nvcr.io', source: `${file}:$.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerImageNames[0]` }]);
    expect(f.notes).toContainEqual(expect.stringMatching(/\$\.properties\.interNodeCommunication: inter-node communication is on/));
    expect(f.needsDocker).toBe(false);
    expect(f.notes).toContain(`${file}: the pool runs its containers through a CRI runtime (criCompatible): docker is not required (use --require docker to check it anyway)`);
    expect(f.warnings).toEqual([]);
  });

  it('PascalCase (.NET, PowerShell) keys, reported as the file spells them', () => {
    const f = load('pool-pascal.json');
    expect(sources(f)).toEqual({
      gpu: expect.stringMatching(/^fixtures\/batch\/pool-pascal\.json:\$\.VmSize \(Standard_NC64as_T4_v3: /),
      docker: 'fixtures/batch/pool-pascal.json:$.VirtualMachineConfiguration.ContainerConfiguration.Type (DockerCompatible: a Docker-compatible engine)',
      azurefile: 'fixtures/batch/pool-pascal.json:$.MountConfiguration[0].AzureFileShareConfiguration (Azure Files share (SMB))',
    });
    expect(f.warnings).toEqual([]);
    expect(f.settings.expectedDistro?.nodeAgent).toBe('batch.node.ubuntu 22.04');
  });

  it('a default mode with nothing in use yet is left to the default (simplified), and says so', () => {
    const f = batchPoolRequirements(JsonDoc.parse('--batch-pool', 'p.json', '{"vmSize": "Standard_D2s_v5", "targetNodeCommunicationMode": "Default"}'));
    expect(f.nodeCommunication).toBeUndefined();
    expect(f.notes).toContain('p.json:$.targetNodeCommunicationMode is default: the Batch service chooses the mode, simplified since classic was retired; give --node-communication classic to check a pool still on classic');
  });

  it('snake_case (Python SDK) keys', () => {
    const f = load('pool-snake.json');
    expect(f.requirements).toEqual([]);
    expect(f.vmSize).toBe('Standard_D4s_v5');
    expect(f.nodeCommunication).toEqual({ mode: 'simplified', source: 'fixtures/batch/pool-snake.json:$.target_node_communication_mode' });
    expect(f.settings.expectedDistro?.version).toBe('22.04');
    expect(f.warnings).toEqual([]);
  });
});

describe('bad pool files: one line with the file, line and JSON path', () => {
  it.each([
    ['missing-comma.json', /^--batch-pool fixtures\/batch\/bad\/missing-comma\.json: line 3, column 3: not valid YAML or JSON/],
    ['vm-size-number.json', /^--batch-pool fixtures\/batch\/bad\/vm-size-number\.json: line 3: \$\.vmSize: expected a string, found a number$/],
    ['mount-not-list.json', /^--batch-pool fixtures\/batch\/bad\/mount-not-list\.json: line 3: \$\.mountConfiguration: expected a list of objects, found a mapping$/],
    ['image-list-number.json', /^--batch-pool fixtures\/batch\/bad\/image-list-number\.json: line 5: \$\.virtualMachineConfiguration\.containerConfiguration\.containerImageNames\[1\]: expected a string, found a number$/],
    ['windows-agent.json', /^--batch-pool fixtures\/batch\/bad\/windows-agent\.json: line 4: \$\.virtualMachineConfiguration\.nodeAgentSkuId: is a Windows node agent; batch-preflight checks Linux nodes$/],
    ['windows-image.json', /^--batch-pool fixtures\/batch\/bad\/windows-image\.json: line 4: \$\.virtualMachineConfiguration\.imageReference\.publisher: a Windows image; batch-preflight checks Linux nodes$/],
    ['cloud-service.json', /^--batch-pool fixtures\/batch\/bad\/cloud-service\.json: line 3: \$\.cloudServiceConfiguration: a Cloud Services pool runs Windows/],
    ['container-type.json', /^--batch-pool fixtures\/batch\/bad\/container-type\.json: line 5: \$\.virtualMachineConfiguration\.containerConfiguration\.type: expected dockerCompatible or criCompatible$/],
    ['two-casings.json', /^--batch-pool fixtures\/batch\/bad\/two-casings\.json: line 3: \$\.vm_size: the same key as \$\.vmSize under another name or casing$/],
    ['top-list.json', /^--batch-pool fixtures\/batch\/bad\/top-list\.json: line 1: \$: expected an object \(a Batch pool/],
    ['empty.json', /^--batch-pool fixtures\/batch\/bad\/empty\.json: empty; expected a Batch pool/],
    ['arm-template-no-pool.json', /^--batch-pool fixtures\/batch\/bad\/arm-template-no-pool\.json: not a Batch pool: no vmSize at \$\.vmSize; for an ARM template, give the pool resource \(or its properties\) alone$/],
    ['arm-template-two-pools.json', /^--batch-pool fixtures\/batch\/bad\/arm-template-two-pools\.json: an ARM template with 2 Batch pool resources \(\$\.resources\[0\], \$\.resources\[1\]\.resources\[0\]\); give one pool resource \(or its properties\) alone$/],
    ['vm-size-and-virtual-machine-size.json', /^--batch-pool fixtures\/batch\/bad\/vm-size-and-virtual-machine-size\.json: line 3: \$\.VirtualMachineSize: the same key as \$\.vmSize under another name or casing$/],
    ['elevation-number.json', /^--batch-pool fixtures\/batch\/bad\/elevation-number\.json: line 5: \$\.startTask\.userIdentity\.autoUser\.elevationLevel: expected one of nonAdmin, admin \(or its \.NET enum number, 0 to 1\), found a number$/],
    ['missing.json', /^--batch-pool fixtures\/batch\/bad\/missing\.json: does not exist$/],
  ])('%s', (name, want) => {
    let err: unknown;
    try {
      load(`bad/${name}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(want);
    expect((err as Error).message).not.toContain('\n');
  });

  it('never quotes a value from the file in a complaint', () => {
    let err: unknown;
    try {
      batchPoolRequirements(JsonDoc.parse('--batch-pool', 'p.json', '{"vmSize": "x", "virtualMachineConfiguration": {"containerConfiguration": {"type": "SECRET-CANARY"}}}'));
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).not.toContain('SECRET-CANARY');
  });
});

describe('imageRegistry', () => {
  it.each([
    ['ubuntu', 'docker.io'],
    ['library/ubuntu:22.04', 'docker.io'],
    ['myacr.azurecr.io/a/b:1', 'myacr.azurecr.io'],
    ['localhost:5000/x', 'localhost:5000'],
    ['localhost/x', 'localhost'],
    ['nvcr.io/nvidia/pytorch:24.05-py3', 'nvcr.io'],
  ])('%s pulls from %s', (image, registry) => expect(imageRegistry(image)).toBe(registry));
});
