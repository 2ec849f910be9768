// The "did you mean" guess: a typo's nearest known name, never a far-fetched one.
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../src/cli/did-you-mean';
import { usageMessage } from '../../src/cli/usage-message';

describe('did you mean', () => {
  const ids = ['sshd', 'docker.socket', 'docker.engine', 'nvidia.driver', 'selinux.mode'];
  it('names the nearest known name within a few edits, a swapped pair counting as one', () => {
    expect(closest('sshdd', ids)).toBe('sshd');
    expect(closest('dockr.socket', ids)).toBe('docker.socket');
    expect(closest('nvidai.driver', ids)).toBe('nvidia.driver');
    expect(closest('DOCKER.ENGINE', ids)).toBe('docker.engine');
    expect(didYouMean('timout', ['timeout', 'deadline'], '--')).toBe(' (did you mean --timeout?)');
  });

  it('stays silent when nothing is near enough to be a typo', () => {
    expect(closest('gpu', ids)).toBeUndefined();
    expect(closest('abc', ['xyz'])).toBeUndefined();
    expect(didYouMean('firewall', ids)).toBe('');
  });

  it("turns yargs' messages into one line", () => {
    expect(usageMessage('Invalid values:\n  Argument: format, Given: "xml", Choices: "human", "json"', [], [])).toBe('Invalid values: Argument: format, Given: "xml", Choices: "human", "json"');
    expect(usageMessage('Unknown arguments: tiemout, verbos', ['timeout', 'verbose'], [])).toBe('unknown arguments: tiemout (did you mean --timeout?), verbos (did you mean --verbose?)');
    expect(usageMessage('Not enough arguments following: report', [], [])).toBe('--report needs a value');
  });
});
