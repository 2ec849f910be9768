import type { Check } from '../src/types';
import { error, fail, pass, warn } from '../src/check-helpers';
import { mounts } from '../src/probes/mounts';
import { mountAt } from '../src/parsers/mounts';
import { parseSingularityVersion } from '../src/parsers/version-banners';
import { runTool } from '../src/run-tool';
import { osRelease } from '../src/probes/os-release';
import { nodePrepCanInstall } from '../src/data/nodeprep-distro';

export const singularity: Check = {
  id: 'singularity',
  title: 'Singularity / Apptainer container runtime',
  area: 'containers',
  features: ['singularity'],
  dependsOn: [],
  live: false,
  description:
    'Batch Shipyard installs Singularity itself when the pool asks for it; its setuid helpers only work when / is not mounted nosuid. ' +
    "Node prep's install_singularity first installs squashfs-tools through its own distribution branch (apt on ubuntu/debian, yum on centos/rhel, " +
    'zypper on every other ID), so under --target shipyard it fails on IDs whose branch has no package manager to run (AlmaLinux, Rocky, Azure Linux). ' +
    'Reports an existing singularity or apptainer (and its version, when commands may run) and, on a live host, fails when / is mounted ' +
    'nosuid (read from /proc/self/mounts).',
  consequence:
    'Under --target batch nothing installs it: fail when neither singularity nor apptainer is installed. Under shipyard node prep installs Singularity itself. fail: node prep\'s package install cannot run on this distribution (zypper branch without zypper: set -e stops node prep, the node goes to starttaskfailed); / mounted nosuid, where Singularity\'s setuid helpers cannot work and Singularity tasks fail. warn: a broken singularity or apptainer already installed, which may shadow the one node prep installs.',
  fix: 'Mount / without nosuid (remove nosuid from the / line in /etc/fstab, then mount -o remount,suid /).',
  byTarget: {
    batch: {
      description:
        'Singularity (or Apptainer) tasks need the runtime in the image: nothing on a plain Batch pool installs it. Reports an existing singularity or ' +
        'apptainer (and its version, when commands may run) and, on a live host, fails when / is mounted nosuid (read from /proc/self/mounts), where its ' +
        'setuid helpers cannot work.',
      consequence:
        "fail: neither singularity nor apptainer is installed, or / is mounted nosuid: Singularity tasks fail. warn: an installed singularity or apptainer that does not run.",
      fix: 'Install Apptainer (or SingularityCE) in the image, and mount / without nosuid (remove nosuid from the / line in /etc/fstab, then mount -o remount,suid /).',
    },
  },
  async run({ host, settings }) {
    if (settings.target === 'shipyard') {
      // install_singularity: `install_packages squashfs-tools $cryptpkg` runs whether or not Singularity is already there.
      const os = await osRelease(host);
      // Without os-release node prep stops before this step (os.distro reports that).
      const branch = os.ok ? nodePrepCanInstall(os.fields.ID!) : null;
      if (os.ok && branch && !branch.ok) {
        return fail(
          `node prep installs squashfs-tools for Singularity with its package manager, but ${branch.why}; node prep stops there (set -e)`,
          'Build the image from a distribution node prep supports (Ubuntu, Debian, CentOS, RHEL, SLES), or leave singularity out of container_runtimes.install.',
          { id: os.fields.ID, nodePrepPackager: branch.packager },
          { category: 'config', retryable: false },
        );
      }
    }
    const found = await host.whichAny(['singularity', 'apptainer']);
    const evidence: Record<string, unknown> = { installed: found?.path ?? null };
    // Plain Batch installs no Singularity: there the image must carry it.
    if (!found && settings.target === 'batch') {
      return fail('neither singularity nor apptainer is installed, and Azure Batch installs neither', 'Install Apptainer (or SingularityCE) in the image, e.g. from the distribution or EPEL packages.', { installed: null });
    }
    let existing = found ? `${found.cmd} is already installed at ${found.path}` : 'no singularity or apptainer is installed (Batch Shipyard installs it)';
    let versionProblem: { status: 'warn' | 'error'; text: string } | null = null;
    if (found && host.canExec) {
      const r = await runTool(host, found.cmd, ['--version'], parseSingularityVersion);
      evidence.versionOutput = 'output' in r ? r.output : '';
      if (r.kind === 'ok') {
        evidence.version = r.value;
        existing = `${r.value.flavour} ${r.value.version} is already installed at ${found.path}`;
      } else if (r.kind === 'unknown') versionProblem = { status: 'error', text: `could not tell whether the installed ${found.cmd} works: ${r.summary}` };
      else versionProblem = { status: 'warn', text: `the installed ${found.cmd} is broken: ${r.summary}` };
    } else if (found) existing += ' (version not read: commands are not run against an offline root)';
    if (host.live) {
      const m = await mounts(host);
      if (!m.ok) return error(`${existing}; could not read the mount table: ${m.reason}`, evidence);
      const root = mountAt(m.mounts, '/');
      if (!root) return error(`${existing}; /proc/self/mounts lists no mount at /`, evidence);
      evidence.rootMount = { device: root.device, fsType: root.fsType, options: root.options };
      if (root.options.includes('nosuid')) {
        return fail(`/ is mounted nosuid (${root.fsType} ${root.options.join(',')}), so Singularity's setuid helpers cannot work; ${existing}`, 'Remove nosuid from the / line in /etc/fstab and run mount -o remount,suid /.', evidence);
      }
    }
    const rootNote = host.live ? '/ is not mounted nosuid' : 'whether / is mounted nosuid was not checked: not a live host';
    if (versionProblem?.status === 'error') return error(`${versionProblem.text}; ${rootNote}`, evidence);
    if (versionProblem) {
      const fix =
        settings.target === 'shipyard'
          ? `Remove the broken ${found!.cmd} (${found!.path}) so that Batch Shipyard's own installation is used, or reinstall it.`
          : `Reinstall ${found!.cmd} (${found!.path}) from its package.`;
      return warn(`${versionProblem.text}; ${rootNote}`, fix, evidence);
    }
    return pass(`${existing}; ${rootNote}`, evidence);
  },
};
