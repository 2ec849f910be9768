// Entry point of the bundle and of the single executable. The CLI (yargs and every check) is
// loaded only when needed: `--version` alone answers without it, since yargs costs ~40 ms to load.
import { VERSION } from '../version';
import { messageOf } from '../errors';

async function start(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { main } = await import('./main');
  return main(argv);
}

start(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`batch-preflight: internal error: ${messageOf(err)}\n`);
    process.exit(3);
  },
);
