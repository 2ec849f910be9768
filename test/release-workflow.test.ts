// .github/workflows/release.yml cannot run here; this holds it to what .ci/run runs on every change
// (the same release script, build tools and smoke test) and to publishing only from a version tag.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/cli';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
}
const wf = parseYaml(readFileSync(path.join(REPO, '.github/workflows/release.yml'), 'utf8')) as {
  on: { push: { tags: string[] }; pull_request: unknown };
  jobs: { release: { steps: Step[] } };
};
const steps = wf.jobs.release.steps;
const ci = readFileSync(path.join(REPO, '.ci/run'), 'utf8');
const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);

describe('the release workflow', () => {
  it('runs on version tags and on every change', () => {
    expect(wf.on.push.tags).toEqual(['v*']);
    expect(wf.on).toHaveProperty('pull_request');
  });

  it('installs the build tools that .ci/run installs for the release', () => {
    const apt = steps.find((s) => s.run?.includes('apt-get install'))!.run!;
    const wanted = /# npm run release:.*\n\s*(.*)\n/.exec(ci)![1]!.trim().split(/\s+/);
    for (const pkg of wanted) expect(apt.split(/\s+/)).toContain(pkg);
  });

  it('builds with npm run release and smoke-tests before anything is published', () => {
    const build = index((s) => s.run === 'npm run release');
    const smoke = index((s) => s.run?.includes('test/live/release.test.ts') ?? false);
    const publish = steps.map((s, i) => [s, i] as const).filter(([s]) => /gh release create|docker push/.test(s.run ?? ''));
    expect(build).toBeGreaterThan(-1);
    expect(smoke).toBeGreaterThan(build);
    expect(ci).toMatch(/\nnpm run release\nnpm run test:live\n/);
    expect(publish).toHaveLength(2);
    for (const [s, i] of publish) {
      expect(i).toBeGreaterThan(smoke);
      expect(s.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    }
    expect(steps.find((s) => s.run?.includes('gh release create'))!.run).toContain('dist/release/*');
  });

  it('refuses a tag that is not the package version', () => {
    const check = steps.find((s) => s.name === 'The tag is the package\'s version')!;
    expect(check.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(index((s) => s === check)).toBeLessThan(index((s) => s.run === 'npm run release'));
  });
});
