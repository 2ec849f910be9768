// yargs' own usage errors, made into the one line the agent prints: the whole "Invalid values"
// text (yargs puts its details on following lines), and a "did you mean" for a mistyped flag or
// command.
import { didYouMean } from './did-you-mean';

export function usageMessage(yargsMessage: string, flags: readonly string[], commands: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(yargsMessage);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    return `unknown argument${names.length > 1 ? 's' : ''}: ${names
      .map((n) => {
        // yargs names an unknown flag without its dashes, an unknown command as given.
        const asFlag = didYouMean(n, flags, '--');
        return n + (asFlag || didYouMean(n, commands));
      })
      .join(', ')}`;
  }
  if (/^Not enough non-option arguments|^Missing required argument/.test(yargsMessage)) return 'a required argument is missing (its usage is above)';
  const missing = /^Not enough arguments following: (.+)$/.exec(yargsMessage);
  if (missing) return `--${missing[1]} needs a value`;
  return yargsMessage
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}
