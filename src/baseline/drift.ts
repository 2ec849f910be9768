// What changed between a baseline's facts and the facts read now: pure. A change of a fact is a
// fail or a warning by the baseline file's `severity` section, else by DEFAULT_FAIL below.
import type { Baseline, DriftSeverity, Fact } from './schema';

/**
 * Facts whose silent change breaks GPU jobs in ways a node cannot show otherwise: a kernel the
 * driver's and MOFED's modules were not built for, another driver than the image was tested with,
 * another CUDA toolkit, a Fabric Manager not of the driver's version. The others warn.
 */
export const DEFAULT_FAIL: readonly string[] = ['kernel', 'nvidia.driver', 'cuda', 'nvidia.fabricmanager'];

export interface Drift {
  fact: string;
  /** fail or warn for a change; `unknown` when the fact cannot be read now but was known. */
  kind: DriftSeverity | 'unknown';
  was: string;
  now: string;
}

/** A fact as one phrase: its value, `absent`, or `unknown (why)`. */
export function factText(f: Fact): string {
  return f.state === 'known' ? f.value : f.state === 'absent' ? 'absent' : `unknown (${f.reason})`;
}

export const severityOf = (baseline: Baseline, fact: string): DriftSeverity => baseline.severity?.[fact] ?? (DEFAULT_FAIL.includes(fact) ? 'fail' : 'warn');

export interface DriftResult {
  drifts: Drift[];
  /** Facts equal in both. */
  same: string[];
  /** Facts the baseline could not read: nothing to compare with. */
  unknownInBaseline: string[];
  /** Facts read now that the baseline does not have (an older capture): not compared. */
  notInBaseline: string[];
}

export function compareFacts(baseline: Baseline, now: Record<string, Fact>): DriftResult {
  const out: DriftResult = { drifts: [], same: [], unknownInBaseline: [], notInBaseline: [] };
  for (const [fact, was] of Object.entries(baseline.facts)) {
    const cur: Fact = now[fact] ?? { state: 'unknown', reason: 'this version of batch-preflight does not read it' };
    if (was.state === 'unknown') {
      out.unknownInBaseline.push(fact);
    } else if (cur.state === 'unknown') {
      out.drifts.push({ fact, kind: 'unknown', was: factText(was), now: factText(cur) });
    } else if (factText(was) === factText(cur)) {
      out.same.push(fact);
    } else {
      out.drifts.push({ fact, kind: severityOf(baseline, fact), was: factText(was), now: factText(cur) });
    }
  }
  out.notInBaseline = Object.keys(now).filter((f) => !(f in baseline.facts));
  return out;
}
