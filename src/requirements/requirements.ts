// Which features this host must support, each with where that came from.
import { FEATURES, type Feature } from '../types';
import type { Requirement } from '../report/report';
import { UsageError } from '../errors';

export const DEFAULT_FEATURES: readonly Feature[] = ['docker', 'ssh'];

export function parseFeatureList(values: readonly string[], flag: string): Feature[] {
  const out: Feature[] = [];
  for (const v of values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    if (!(FEATURES as readonly string[]).includes(v)) throw new UsageError(`${flag}: unknown feature "${v}" (known: ${FEATURES.join(', ')})`);
    out.push(v as Feature);
  }
  return out;
}

/** Collects requirements; the first source named for a feature is the one reported. */
export class RequirementSet {
  private readonly items = new Map<Feature, string>();
  private readonly removed = new Map<Feature, string>();
  /** The first source that asked for a feature --without turned off, so the report can say what was overridden. */
  private readonly overridden = new Map<Feature, string>();

  add(feature: Feature, source: string): void {
    if (this.removed.has(feature)) {
      if (!this.overridden.has(feature)) this.overridden.set(feature, source);
      return;
    }
    if (!this.items.has(feature)) this.items.set(feature, source);
  }

  /** `--without` wins over every other source, and is reported. */
  remove(feature: Feature, source: string): void {
    const had = this.items.get(feature);
    if (had !== undefined && !this.overridden.has(feature)) this.overridden.set(feature, had);
    this.items.delete(feature);
    this.removed.set(feature, source);
  }

  has(feature: Feature): boolean {
    return this.items.has(feature);
  }

  /** Where a required feature came from; undefined when it is not required. */
  sourceOf(feature: Feature): string | undefined {
    return this.items.get(feature);
  }

  features(): Set<Feature> {
    return new Set(this.items.keys());
  }

  list(): Requirement[] {
    return FEATURES.filter((f) => this.items.has(f)).map((f) => ({ feature: f, source: this.items.get(f)! }));
  }

  excluded(): Requirement[] {
    return FEATURES.filter((f) => this.removed.has(f)).map((f) => {
      const over = this.overridden.get(f);
      return { feature: f, source: over ? `${this.removed.get(f)!} (overrides ${over})` : this.removed.get(f)! };
    });
  }
}
