// Decides, before anything runs, which checks apply and why the others are skipped.
import type { Check, Feature, Mode } from '../types';

export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
  features: ReadonlySet<Feature>;
  mode: Mode;
}

/** The skip reason of the checks `--only` left out (the human report leaves them out too). */
export const NOT_SELECTED = 'not selected by --only';

/** The reason a check is skipped before it runs, or null when it applies. */
export function staticSkipReason(check: Check, sel: Selection): string | null {
  if (sel.only && sel.only.length > 0 && !sel.only.includes(check.id)) return NOT_SELECTED;
  if (sel.skip?.includes(check.id)) return 'skipped by --skip';
  if (check.features.length > 0 && !check.features.some((f) => sel.features.has(f))) {
    const names = check.features.join(' or ');
    return `applies only when ${names} ${check.features.length > 1 ? 'are' : 'is'} required, and this host does not require ${check.features.length > 1 ? 'them' : 'it'}`;
  }
  if (check.live && sel.mode === 'offline') return 'offline root: this check needs the running host';
  if (check.live && sel.mode === 'container') return "container mode: this check needs the host's kernel or services";
  return null;
}

/** Unknown ids in --only/--skip are a usage error: returns them. */
export function unknownIds(ids: readonly string[] | undefined, known: readonly Check[]): string[] {
  const all = new Set(known.map((c) => c.id));
  return (ids ?? []).filter((id) => !all.has(id));
}
