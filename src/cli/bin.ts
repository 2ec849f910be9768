// Entry point of the bundle and of the single executable.
import { hideBin } from 'yargs/helpers';
import { main } from './main';

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`batch-preflight: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(3);
  },
);
