// The pool's VM size as the hardware checks see it: the table's row, or a warning that says the
// size is not known to the table (never a silent pass).
import type { CheckResult, CheckSettings, Evidence } from './types';
import { warn } from './check-helpers';
import { sizeHardware, type SizeHardware } from './data/vm-size-hardware';

export type SizeLookup =
  | { ok: true; size: { name: string; source: string }; row: SizeHardware; evidence: Evidence }
  | { ok: false; result: CheckResult };

/** The checks that use this run only with a known size (needsVmSize): the engine skips them otherwise. */
export function lookUpVmSize(settings: CheckSettings, what: string): SizeLookup {
  const size = settings.vmSize!;
  const row = sizeHardware(size.name);
  // The evidence every hardware check starts from: which size, from where, and the table's source.
  if (row) return { ok: true, size, row, evidence: { vmSize: size.name, vmSizeSource: size.source, series: row.series, table: row.source } };
  return {
    ok: false,
    result: warn(
      `${size.name} (from ${size.source}) is not in batch-preflight's VM size table, so its ${what} cannot be compared with the hardware`,
      'Add the size, with the facts from its Azure documentation page, to src/data/vm-size-hardware.ts',
      { vmSize: size.name, vmSizeSource: size.source },
      { category: 'config' },
    ),
  };
}
