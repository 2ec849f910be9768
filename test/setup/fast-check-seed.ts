// Property tests are reproducible: every fc.assert runs from one seed, FC_SEED or a fixed default,
// so a failure in CI fails again on a laptop. `FC_SEED=random` explores new cases; the seed of a
// failing run is in fast-check's message ("seed: N") and printed below, to pass back as FC_SEED.
import fc from 'fast-check';
import { beforeEach } from 'vitest';

const DEFAULT_SEED = 20261201;

function seedFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return (Math.random() * 2 ** 31) | 0;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(value)}`);
  return n;
}

const seed = seedFromEnv(process.env.FC_SEED);
fc.configureGlobal({ seed });

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`fast-check seed of this run: FC_SEED=${seed}`));
});
