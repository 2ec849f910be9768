// Where reports go in Blob storage: a container URL and how requests to it are authorised (a SAS
// token, or the node's managed identity). The SAS token is a secret: it lives only in this object
// and is never part of a text meant for a human (`shown` is the URL without its query).
import net from 'node:net';
import { UsageError } from '../errors';
import { readTrustedFile } from '../input/trusted-file';

/** Where a SAS token may come from besides the URL's query: a file never shows in `ps`. */
export const UPLOAD_SAS_ENV = 'BATCH_PREFLIGHT_UPLOAD_SAS';
const MAX_SAS_BYTES = 8 * 1024;

export type BlobAuth = { kind: 'sas'; sas: string } | { kind: 'identity'; clientId?: string };

export interface ContainerTarget {
  /** https://account.blob.core.windows.net/container, no query, no trailing slash. */
  base: string;
  /** What messages, logs and reports may show: the same as base. */
  shown: string;
  auth: BlobAuth;
}

/** A literal loopback address, as the URL parser writes it; names are not resolved. */
const isLoopback = (host: string) => (net.isIPv4(host) && host.startsWith('127.')) || host === '[::1]';

/** The SAS token as a query string without '?'; a UsageError that never quotes it. */
function checkedSas(sas: string, from: string): string {
  const q = sas.trim().replace(/^\?/, '');
  // Every SAS is signed: without sig= this is not one (and quoting it could leak a secret).
  if (!new URLSearchParams(q).has('sig')) throw new UsageError(`${from}: not a SAS token (it has no sig= parameter)`);
  return q;
}

export interface ContainerOptions {
  flag: string;
  url: string;
  sasFile?: string;
  /** The flags as this command spells them, for messages. */
  sasFileFlag: string;
  clientIdFlag: string;
  /** A SAS token from the environment (UPLOAD_SAS_ENV), if set. */
  sasEnv?: string;
  clientId?: string;
}

/**
 * Parses a container URL and finds its credential: the URL's query, a SAS file (trusted-file rule:
 * only root or the agent's user can change it), the environment, else the managed identity. More
 * than one SAS is a mistake, not a precedence puzzle.
 */
export function containerTarget(o: ContainerOptions): ContainerTarget {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new UsageError(`${o.flag}: not a URL (expected https://ACCOUNT.blob.core.windows.net/CONTAINER)`);
  }
  const shown = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  // Plain http would send the token in the clear; only the emulator on loopback is allowed it.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) throw new UsageError(`${o.flag} ${shown}: must be https (http only on a loopback address)`);
  if (url.username || url.password || url.hash) throw new UsageError(`${o.flag} ${shown}: a container URL has no user, password or #fragment`);
  const segments = url.pathname.split('/').filter(Boolean);
  // Azurite and other path-style endpoints put the account first: /devstoreaccount1/container.
  const pathStyle = isLoopback(url.hostname) || url.hostname === 'localhost';
  if (segments.length !== (pathStyle ? 2 : 1)) throw new UsageError(`${o.flag} ${shown}: expected a container URL (https://ACCOUNT.blob.core.windows.net/CONTAINER)`);
  const sources: { from: string; sas: string }[] = [];
  if (url.search) sources.push({ from: `${o.flag} ${shown}?...`, sas: url.search });
  if (o.sasFile) sources.push({ from: `${o.sasFileFlag} ${o.sasFile}`, sas: readTrustedFile(o.sasFileFlag, o.sasFile, 'SAS token', MAX_SAS_BYTES).text });
  if (o.sasEnv) sources.push({ from: UPLOAD_SAS_ENV, sas: o.sasEnv });
  if (sources.length > 1) throw new UsageError(`${o.flag}: a SAS token from ${sources.map((s) => s.from).join(' and from ')}: give one`);
  if (sources.length === 1 && o.clientId) throw new UsageError(`${o.flag}: ${o.clientIdFlag} names a managed identity, but a SAS token was given too`);
  const auth: BlobAuth = sources.length === 1 ? { kind: 'sas', sas: checkedSas(sources[0]!.sas, sources[0]!.from) } : { kind: 'identity', ...(o.clientId ? { clientId: o.clientId } : {}) };
  return { base: shown, shown, auth };
}

/** The URL of a blob or of a container operation, with the SAS token when there is one. */
export function requestUrl(t: ContainerTarget, blob: string | null, query: Record<string, string> = {}): string {
  const q = new URLSearchParams(query).toString();
  const sas = t.auth.kind === 'sas' ? t.auth.sas : '';
  const path = blob === null ? '' : '/' + blob.split('/').map(encodeURIComponent).join('/');
  const search = [q, sas].filter(Boolean).join('&');
  return `${t.base}${path}${search ? `?${search}` : ''}`;
}

/** Any text about a request, with the SAS token (and its signature on its own) cut out. */
export function redact(t: ContainerTarget, text: string): string {
  if (t.auth.kind !== 'sas') return text;
  let out = text.split(t.auth.sas).join('<SAS>');
  const sig = new URLSearchParams(t.auth.sas).get('sig');
  if (sig) for (const form of [sig, encodeURIComponent(sig)]) out = out.split(form).join('<sig>');
  return out;
}
