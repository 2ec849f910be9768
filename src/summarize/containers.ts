// The container URLs among summarize's arguments: each parsed with its credential (a SAS in the
// URL, --sas-file, else the managed identity) and read whole; a container that cannot be listed is
// an error for the whole summary (exit 2, as an unreadable input), since none of its nodes would be
// counted.
import { UsageError } from '../errors';
import { containerTarget } from '../upload/container';
import type { NodeDigest } from './digest';

export interface ContainerCredentials {
  env: NodeJS.ProcessEnv;
  sasFile?: string;
  clientId?: string;
}

export const isContainerUrl = (arg: string) => /^https?:\/\//i.test(arg);

export async function readContainers(urls: readonly string[], c: ContainerCredentials, onDigest: (d: NodeDigest) => void): Promise<void> {
  // Targets first: a bad URL or SAS file is a usage error before any request. The SAS file serves
  // the URLs that carry no token of their own.
  const targets = urls.map((url) => containerTarget({ flag: 'summarize', url, sasFileFlag: '--sas-file', clientIdFlag: '--client-id', ...(c.sasFile && !url.includes('?') ? { sasFile: c.sasFile } : {}), ...(c.clientId ? { clientId: c.clientId } : {}) }));
  if (targets.length === 0) return;
  // The HTTP client is loaded only when a container is summarised.
  const { readContainer } = await import('./from-blob');
  for (const target of targets) {
    try {
      await readContainer(target, c.env, onDigest);
    } catch (err) {
      throw new UsageError(`summarize: ${(err as Error).message}`);
    }
  }
}
