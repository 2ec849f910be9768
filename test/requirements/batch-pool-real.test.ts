// Real pool definitions, one shape each (fixtures/batch/real/README.md says where each comes from):
// the REST API's own examples, ARM bodies and templates (whole, nested, Batch CLI extensions),
// the .NET and PowerShell object models with their names and numeric enums, UTF-16 and BOM files.
// For each: the requirements found, the VM size (or why it is unknown), the node communication
// mode, the start task's elevation and waitForSuccess, and nothing secret in what comes back.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { batchPoolRequirements, type BatchPoolFindings } from '../../src/requirements/batch-pool';
import { JsonDoc } from '../../src/requirements/json-doc';
import { UsageError } from '../../src/errors';

const DIR = 'fixtures/batch/real';
const load = (name: string) => batchPoolRequirements(JsonDoc.load('--batch-pool', path.join(DIR, name), 'a Batch pool definition'));
const parse = (text: string) => batchPoolRequirements(JsonDoc.parse('--batch-pool', 'p.json', text));
const features = (f: BatchPoolFindings) => f.requirements.map((r) => r.feature);
const refusal = (name: string) => {
  try {
    load(name);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`${name} was accepted`);
};

describe('real pool definitions', () => {
  // [file, vmSize, features, communication mode, warnings matching]
  it.each([
    // Azure REST API specs, data plane 2024-07-01.20.0: PoolAdd_VirtualMachineConfigurationWithContainers (nodeAgentSKUId spelled with SKU).
    ['rest-pool-add-containers.json', 'standard_a1', ['docker'], undefined],
    // PoolAdd_VirtualMachineConfigurationWithExtensions: inter-node communication, simplified.
    ['rest-pool-add-extensions.json', 'standard_a1', [], 'simplified'],
    // Resource manager 2024-07-01: PoolCreate_MinimalVirtualMachineConfiguration's body and its response.
    ['arm-body-minimal.json', 'STANDARD_D4', [], undefined],
    ['arm-get-response.json', 'STANDARD_D4', [], undefined],
    // PoolCreate_VirtualMachineConfiguration_Extensions: targetNodeCommunicationMode Default.
    ['arm-body-extensions.json', 'STANDARD_D4', [], undefined],
    // An ARM template with the pool as a child resource of the Batch account ("type": "pools").
    ['arm-template-nested-pool.json', 'Standard_NC24ads_A100_v4', ['gpu', 'docker'], undefined],
    // Azure Batch CLI extensions' docker sample: a literal size, no node agent.
    ['cli-ext-docker-caffe.json', 'STANDARD_D1_V2', [], undefined],
    // Get-AzBatchPool | ConvertTo-Json -Depth 10 in Windows PowerShell 5.1 (UTF-16 LE with a BOM).
    ['powershell51-depth10-utf16.json', 'standard_hb120rs_v3', ['infiniband', 'nfs', 'ssh'], 'simplified'],
    // A .NET CloudPool serialized with Json.NET, written with a UTF-8 BOM.
    ['dotnet-cloudpool-utf8bom.json', 'Standard_ND96isr_H200_v5', ['gpu', 'infiniband', 'docker'], 'simplified'],
  ] as const)('%s: size %s, requirements %j, mode %s, no start task warning', (name, size, want, mode) => {
    const f = load(name);
    expect(f.vmSize).toBe(size);
    expect(features(f)).toEqual(want);
    expect(f.nodeCommunication?.mode).toBe(mode);
    expect(f.warnings).toEqual([]);
    expect(JSON.stringify(f)).not.toMatch(/SECRET-CANARY/);
  });

  it('the PowerShell object model: VirtualMachineSize, InterComputeNodeCommunicationEnabled, numeric ElevationLevel and TargetNodeCommunicationMode', () => {
    const f = load('powershell51-depth10-utf16.json');
    const file = `${DIR}/powershell51-depth10-utf16.json`;
    expect(f.requirements[0]!.source).toMatch(new RegExp(`^${file}:\\$\\.VirtualMachineSize \\(standard_hb120rs_v3: `));
    expect(f.nodeCommunication).toEqual({ mode: 'simplified', source: `${file}:$.TargetNodeCommunicationMode` });
    expect(f.notes).toContain(`${file}:$.InterComputeNodeCommunicationEnabled: inter-node communication is on (multi-instance/MPI tasks): nodes must reach each other, which the host firewall checks cover for SSH only`);
    expect(f.settings.expectedDistro).toEqual({ family: 'el', version: '8', nodeAgent: 'batch.node.el 8' });
  });

  it('the .NET start task runs as a named pool user whose ElevationLevel is 1 (Admin); WaitForSuccess null is the default, true', () => {
    const f = load('dotnet-cloudpool-utf8bom.json');
    expect(f.warnings).toEqual([]);
    expect(f.notes).toContain(`${DIR}/dotnet-cloudpool-utf8bom.json:$.StartTask: no waitForSuccess: Batch's default, true, holds tasks until the start task succeeds`);
    expect(f.registries.map((r) => r.name)).toEqual(['nvcr.io', 'myacr.azurecr.io']);
  });

  it('the quickstart template (batch-pool-no-public-ip): the pool resource is found; [parameters(\'vmSize\')] is unresolved, never a size', () => {
    const f = load('quickstart-no-public-ip.json');
    const file = `${DIR}/quickstart-no-public-ip.json`;
    expect(f.vmSize).toBeUndefined();
    expect(f.requirements).toEqual([]);
    expect(f.nodeCommunication).toEqual({ mode: 'simplified', source: `${file}:$.resources[2].properties.targetNodeCommunicationMode` });
    expect(f.warnings).toEqual([
      `${file}:$.resources[2].properties.vmSize: the VM size is an unexpanded ARM template expression ([parameters('vmSize')]), so it is unknown: the size adds no requirements (gpu, infiniband) and the size checks have nothing to compare; give --vm-size (the template's default is Standard_D1_v2), or the deployed pool (az batch pool show)`,
    ]);
  });

  it('a Batch CLI extensions pool template: the size and the image reference are expressions, each reported with its key', () => {
    const f = load('cli-ext-ffmpeg-template.json');
    const file = `${DIR}/cli-ext-ffmpeg-template.json`;
    expect(f.vmSize).toBeUndefined();
    expect(f.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${file}:\\$\\.pool\\.properties\\.vmSize: the VM size is an unexpanded ARM template expression \\(\\[parameters\\('vmSize'\\)\\]\\), so it is unknown: .*the template's default is STANDARD_D1`)),
      `${file}:$.pool.properties.virtualMachineConfiguration.imageReference: an unexpanded ARM template expression ([variables('osType')]): its value is unknown, so what it decides is not checked; give the deployed pool (az batch pool show) to check it`,
    ]);
    expect(f.settings.expectedDistro?.nodeAgent).toBe('batch.node.ubuntu 16.04');
  });

  it.each([
    ['rest-pool-get-windows.json', /: line 14: \$\.virtualMachineConfiguration\.imageReference\.publisher: a Windows image; batch-preflight checks Linux nodes$/],
    ['arm-body-windows.json', /: line 6: \$\.properties\.deploymentConfiguration\.virtualMachineConfiguration\.imageReference\.publisher: a Windows image/],
    ['cli-ext-mpi-cloudservice.json', /: line 8: \$\.pool\.properties\.cloudServiceConfiguration: a Cloud Services pool runs Windows/],
    ['powershell51-depth2-utf16.json', /: line 7: \$\.MountConfiguration\[0\]\.NfsMountConfiguration: a \.NET type name where an object should be: ConvertTo-Json cut the object at its -Depth \(2 unless given\); export it again with ConvertTo-Json -Depth 10$/],
  ])('%s is refused in one line', (name, want) => {
    const message = refusal(name);
    expect(message).toMatch(want);
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/Microsoft\.Azure\.Commands/);
  });
});

describe('ARM template expressions', () => {
  it('an expression in any key read is unresolved: no requirement, no verdict, one warning naming the key', () => {
    const f = parse(
      JSON.stringify({
        vmSize: 'Standard_ND96isr_H100_v5',
        enableInterNodeCommunication: "[parameters('mpi')]",
        virtualMachineConfiguration: { containerConfiguration: { type: "[parameters('runtime')]" } },
        startTask: { userIdentity: { autoUser: { elevationLevel: "[parameters('level')]" } }, waitForSuccess: "[parameters('wait')]" },
      }),
    );
    expect(features(f)).toEqual(['gpu', 'infiniband']);
    expect(f.needsDocker).toBe(false);
    expect(f.notes).toContain("p.json: the pool's container runtime is unknown (an ARM expression): use --require docker or --require containerd to check one");
    expect(f.warnings.map((w) => w.split(':')[1])).toEqual([
      '$.virtualMachineConfiguration.containerConfiguration.type',
      '$.enableInterNodeCommunication',
      '$.startTask.userIdentity.autoUser.elevationLevel',
      '$.startTask.waitForSuccess',
    ]);
    expect(f.warnings.every((w) => / an unexpanded ARM template expression \(\[parameters\('[a-z]+'\)\]\): its value is unknown/.test(w))).toBe(true);
  });

  it('[[ is ARM\'s escape for a literal that starts with a bracket: not an expression, one bracket dropped', () => {
    const f = parse('{"vmSize": "Standard_D2s_v5", "virtualMachineConfiguration": {"containerConfiguration": {"type": "dockerCompatible", "containerImageNames": ["[[registry]/x"]}}}');
    expect(f.warnings).toEqual([]);
    expect(f.registries).toEqual([{ name: 'docker.io', source: 'p.json:$.virtualMachineConfiguration.containerConfiguration.containerImageNames[0]' }]);
  });

  it('a size that is an expression without a template default says only to give --vm-size', () => {
    const f = parse(`{"vmSize": "[concat('Standard_', parameters('family'))]"}`);
    expect(f.vmSize).toBeUndefined();
    expect(f.warnings[0]).toMatch(/give --vm-size, or the deployed pool \(az batch pool show\)$/);
  });
});

describe("Batch's defaults for the start task", () => {
  const pool = (start: object, users: object[] = []) => parse(JSON.stringify({ vmSize: 'Standard_D2s_v5', userAccounts: users, startTask: { commandLine: '/bin/true', ...start } }));

  it('waitForSuccess: absent is true (a note, no warning); false warns', () => {
    const absent = pool({ userIdentity: { autoUser: { elevationLevel: 'admin' } } });
    expect(absent.warnings).toEqual([]);
    expect(absent.notes).toContain("p.json:$.startTask: no waitForSuccess: Batch's default, true, holds tasks until the start task succeeds");
    const no = pool({ userIdentity: { autoUser: { elevationLevel: 'admin' } }, waitForSuccess: false });
    expect(no.warnings).toEqual(['p.json:$.startTask.waitForSuccess: waitForSuccess is false, so a node whose start task fails still gets tasks; set startTask.waitForSuccess to true (or leave it out: true is the default)']);
  });

  it('a start task as a named pool user is admin when that account is (string or .NET number)', () => {
    expect(pool({ userIdentity: { userName: 'prep' } }, [{ name: 'prep', elevationLevel: 'admin' }]).warnings).toEqual([]);
    expect(pool({ UserIdentity: { UserName: 'prep' } }, [{ Name: 'prep', ElevationLevel: 1 }]).warnings).toEqual([]);
  });

  it('a named user that is not admin (nonAdmin is the default) or not defined warns', () => {
    expect(pool({ userIdentity: { userName: 'prep' } }, [{ name: 'other', elevationLevel: 'admin' }, { name: 'prep' }]).warnings).toEqual([
      'p.json:$.userAccounts[1]: the start task runs as the user account at $.userAccounts[1], which is not elevationLevel admin (nonAdmin is the default), so batch-preflight there is not root and cannot read everything it checks; set elevationLevel admin on that account',
    ]);
    expect(pool({ userIdentity: { userName: 'prep' } }, [{ name: 'prep', elevationLevel: 0 }]).warnings[0]).toMatch(/^p\.json:\$\.userAccounts\[0\]\.elevationLevel: the start task runs as the user account at \$\.userAccounts\[0\], which is not elevationLevel admin/);
    expect(pool({ userIdentity: { userName: 'ghost' } }).warnings).toEqual([
      "p.json:$.startTask.userIdentity.userName: the start task runs as a user account that the pool's userAccounts do not define, so whether it is admin is unknown; define it there with elevationLevel admin",
    ]);
  });

  it('the auto user: no userIdentity, or elevationLevel 0 (NonAdmin), warns; 1 (Admin) does not', () => {
    expect(pool({}).warnings[0]).toMatch(/^p\.json:\$\.startTask: the start task does not run with elevationLevel admin/);
    expect(pool({ userIdentity: { autoUser: { elevationLevel: 0 } } }).warnings[0]).toMatch(/^p\.json:\$\.startTask\.userIdentity\.autoUser\.elevationLevel: the start task does not run with elevationLevel admin/);
    expect(pool({ userIdentity: { autoUser: { elevationLevel: 1 } } }).warnings).toEqual([]);
  });

  it('a numeric node communication mode is the .NET enum: 0 Default, 1 Classic, 2 Simplified', () => {
    expect(parse('{"vmSize": "x", "TargetNodeCommunicationMode": 1}').nodeCommunication?.mode).toBe('classic');
    expect(parse('{"vmSize": "x", "TargetNodeCommunicationMode": 2}').nodeCommunication?.mode).toBe('simplified');
    expect(parse('{"vmSize": "x", "TargetNodeCommunicationMode": 0}').nodeCommunication).toBeUndefined();
  });
});

describe('many expressions', () => {
  it('50,000 expressions in a list are read in time and reported as ten and a count', () => {
    const images = Array.from({ length: 50_000 }, (_, i) => `[variables('i${i}')]`);
    const started = Date.now();
    const f = parse(JSON.stringify({ vmSize: 'Standard_D2s_v5', virtualMachineConfiguration: { containerConfiguration: { type: 'dockerCompatible', containerImageNames: images } } }));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(f.warnings).toHaveLength(11);
    expect(f.warnings[10]).toBe('p.json: 49990 more unexpanded ARM template expressions');
  });
});
