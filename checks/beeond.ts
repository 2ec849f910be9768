import type { Check } from '../src/types';
import { error, fail, pass, warn } from '../src/check-helpers';
import { firstGlobal, sshdConfig, SSHD_CONFIG } from '../src/probes/sshd-config';

/** The beeond package puts the script in /opt/beegfs/sbin and links it into /usr/bin. */
const OPT_BEEOND = '/opt/beegfs/sbin/beeond';
/** PermitRootLogin values that stop beeond from logging in to the other nodes as root with a key. */
const BLOCKING = ['no', 'forced-commands-only'];
/** The PermitRootLogin values sshd accepts (in any case); on any other, or none, `sshd -t` fails and sshd does not start. */
const ACCEPTED = ['yes', 'prohibit-password', 'without-password', ...BLOCKING];

const INSTALL =
  'Add the BeeGFS package repository for your distribution (www.beegfs.io/release) and install beeond: apt-get install -y beeond (Ubuntu/Debian) or dnf install -y beeond (RHEL family).';

export const beeond: Check = {
  id: 'beeond',
  title: 'BeeGFS BeeOND for per-job autoscratch',
  area: 'storage',
  features: ['auto-scratch'],
  dependsOn: [],
  live: false,
  description:
    'per_job_auto_scratch builds a BeeGFS On Demand (beeond) file system over the nodes of a job. Batch Shipyard does not check for beeond on ' +
    `custom images; the job fails at run time without it. beeond starts its services on the other nodes over SSH as root. Checks that beeond is ` +
    `installed (fixed PATH or ${OPT_BEEOND}) and that sshd does not forbid root login: PermitRootLogin in ${SSHD_CONFIG} and the files it ` +
    'Includes, first value outside Match blocks wins, as in sshd; a value sshd rejects, or none, warns too (sshd then does not start).',
  consequence:
    'Node prep does not check beeond on custom images. fail: per-job autoscratch starts beeond at job time, so jobs that ask for it fail without it. warn: sshd settings that keep root from logging in between nodes (node prep rewrites PermitRootLogin itself and reloads sshd, so this is advice).',
  fix: `${INSTALL} Allow root login by key between nodes: PermitRootLogin prohibit-password.`,
  byTarget: {
    batch: {
      description:
        'A BeeGFS On Demand (beeond) file system over the nodes of a job (plain Batch pools have no setting for it: this applies when --require auto-scratch ' +
        `asks for it). beeond starts its services on the other nodes over SSH as root. Checks that beeond is installed (fixed PATH or ${OPT_BEEOND}) and that ` +
        `sshd does not forbid root login: PermitRootLogin in ${SSHD_CONFIG} and the files it Includes, first value outside Match blocks wins, as in sshd.`,
      consequence: 'fail: beeond cannot start, so jobs that build a scratch file system with it fail. warn: sshd settings that keep root from logging in between nodes.',
    },
  },
  async run({ host, settings }) {
    const inPath = await host.which('beeond');
    const binary = inPath ?? ((await host.fs.isExecutable(OPT_BEEOND)) ? OPT_BEEOND : null);
    if (!binary) return fail('beeond is not installed, so per-job autoscratch cannot start', INSTALL, { searched: ['beeond in the fixed PATH', OPT_BEEOND] });
    const evidence: Record<string, unknown> = { binary };
    const cfg = await sshdConfig(host);
    if (!cfg.ok) return error(`beeond is installed at ${binary}, but the sshd configuration could not be read: ${cfg.reason}`, evidence);
    if (!cfg.present) {
      return warn(`beeond is installed at ${binary}, but there is no ${SSHD_CONFIG}: autoscratch needs root SSH between nodes`, 'Install openssh-server and allow root login by key (PermitRootLogin prohibit-password).', evidence);
    }
    evidence.sshdFiles = cfg.files;
    const setting = firstGlobal(cfg.directives, 'PermitRootLogin');
    evidence.permitRootLogin = setting ? { value: setting.args[0] ?? null, file: setting.file, line: setting.line } : 'not set (default prohibit-password)';
    if (setting) {
      const value = setting.args[0]?.toLowerCase() ?? '';
      if (!ACCEPTED.includes(value)) {
        return warn(
          `beeond is installed at ${binary}, but ${setting.file} line ${setting.line} sets PermitRootLogin ${setting.args[0] === undefined ? 'without a value' : `to ${JSON.stringify(setting.args[0])}`}, which sshd rejects: it does not start with this configuration, so beeond cannot log in to the other nodes as root`,
          `Set PermitRootLogin prohibit-password in ${setting.file} line ${setting.line}, check with sshd -t, and reload sshd.`,
          evidence,
        );
      }
      if (BLOCKING.includes(value)) {
        return warn(
          `beeond is installed at ${binary}, but ${setting.file} line ${setting.line} sets PermitRootLogin ${setting.args[0]}: ${settings.target === 'batch' ? 'beeond' : "Batch Shipyard's autoscratch"} logs in to the other nodes as root over SSH`,
          `Set PermitRootLogin prohibit-password in ${setting.file} line ${setting.line} (the first value sshd reads wins) and reload sshd.`,
          evidence,
        );
      }
    }
    return pass(`beeond is installed at ${binary}, and sshd allows root login by key (PermitRootLogin ${setting ? `${setting.args[0]}, ${setting.file} line ${setting.line}` : 'not set: prohibit-password'})`, evidence);
  },
};
