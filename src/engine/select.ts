// Decides, before anything runs, which checks apply and why the others are skipped.
import type { Check, Feature, Mode, SkipKind, Target } from '../types';

export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
  features: ReadonlySet<Feature>;
  mode: Mode;
  /** Absent: every target's checks apply (e.g. a runner test). */
  target?: Target;
  /** Where the VM size came from, or absent when it is not known. */
  vmSizeSource?: string;
  /** Whether `--baseline FILE` was given. */
  baseline?: boolean;
}

/** The skip reason of the checks `--only` left out (the human report leaves them out too). */
const NOT_SELECTED = 'not selected by --only';

export const TARGET_NAMES: Readonly<Record<Target, string>> = { shipyard: 'Batch Shipyard pools', batch: 'plain Azure Batch pools' };

/** Why a check does not apply to this run: its kind, and the reason in words. */
export interface StaticSkip {
  kind: SkipKind;
  reason: string;
}

/** Why a check is skipped before it runs, or null when it applies. */
export function staticSkip(check: Check, sel: Selection): StaticSkip | null {
  const skip = (kind: SkipKind, reason: string): StaticSkip => ({ kind, reason });
  if (sel.only && sel.only.length > 0 && !sel.only.includes(check.id)) return skip('not-selected', NOT_SELECTED);
  if (sel.skip?.includes(check.id)) return skip('skip-flag', 'skipped by --skip');
  if (check.features.length > 0 && !check.features.some((f) => sel.features.has(f))) {
    const names = check.features.join(' or ');
    return skip(
      'not-required',
      `applies only when ${names} ${check.features.length > 1 ? 'are' : 'is'} required, and this host does not require ${check.features.length > 1 ? 'them' : 'it'}`,
    );
  }
  if (check.modes && !check.modes.includes(sel.mode)) return skip('mode', `runs only in ${check.modes.join(' or ')} mode (this run is in ${sel.mode} mode)`);
  if (check.targets && sel.target && !check.targets.includes(sel.target)) {
    return skip('target', `applies only to ${check.targets.map((t) => `${TARGET_NAMES[t]} (--target ${t})`).join(' and ')}; this run's target is ${sel.target}`);
  }
  if (check.needsVmSize && sel.vmSizeSource === undefined) {
    return skip('vm-size-unknown', 'the VM size is not known: give --vm-size, --batch-pool or --pool, or --imds in start-task mode');
  }
  if (check.needsBaseline && !sel.baseline) return skip('no-baseline', 'applies only with --baseline FILE (a golden image\'s facts from `batch-preflight baseline capture`)');
  // An image-build VM need not be of the pool's size; a node running its start task is.
  if (check.needsVmSize && sel.mode === 'image') {
    return skip('image-mode', `image mode: this machine builds the image and need not be of the pool's size (from ${sel.vmSizeSource}); the comparison runs in start-task mode`);
  }
  if (check.needsPoolHardware && sel.mode === 'image') {
    return skip('image-mode', "image mode: this machine builds the image and need not have the pool's GPUs or InfiniBand devices; they are checked in start-task mode");
  }
  if (check.live && sel.mode === 'offline') return skip('needs-host', 'offline root: this check needs the running host');
  if (check.live && sel.mode === 'container') return skip('needs-host', "container mode: this check needs the host's kernel or services");
  return null;
}

/** Unknown ids in --only/--skip are a usage error: returns them. */
export function unknownIds(ids: readonly string[] | undefined, known: readonly Check[]): string[] {
  const all = new Set(known.map((c) => c.id));
  return (ids ?? []).filter((id) => !all.has(id));
}
