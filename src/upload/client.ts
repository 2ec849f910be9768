// Requests to one container, authorised, retried and bounded. Retried: no answer, HTTP 5xx (503
// ServerBusy is how Storage throttles) and 429, with the readiness checks' backoff; never 4xx,
// which another try cannot change (an expired SAS, a missing permission). Everything stops when
// the signal does. Error texts carry the status and Storage's error code, never a body (an
// AuthenticationFailed body echoes the string-to-sign) and never the SAS token.
import http from 'node:http';
import https from 'node:https';
import { pause, retryDelayMs } from '../engine/backoff';
import { requestUrl, redact, type ContainerTarget } from './container';
import { request, TransportError, type HttpAnswer } from './http';
import { managedIdentityToken } from './identity';

/** A Storage service version that takes bearer tokens (2017-11-09 or later: learn.microsoft.com/rest/api/storageservices/versioning-for-the-azure-storage-services). */
export const STORAGE_VERSION = '2021-08-06';
/** One try may take this long before the next begins (a hung server is retried, not waited on). */
const TRY_MS = 5000;
/** Tries of one request at most, when time allows (summarize has no deadline of its own). */
export const MAX_TRIES = 6;

export class BlobError extends Error {
  override name = 'BlobError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const retryable = (status: number) => status >= 500 || status === 429;

export class BlobClient {
  private token: Promise<string> | undefined;
  private readonly agent: http.Agent;

  constructor(
    readonly target: ContainerTarget,
    private readonly env: NodeJS.ProcessEnv,
    private readonly signal: AbortSignal,
    concurrency = 4,
  ) {
    const Agent = target.base.startsWith('https:') ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  close(): void {
    this.agent.destroy();
  }

  private async auth(): Promise<Record<string, string>> {
    const a = this.target.auth;
    if (a.kind === 'sas') return {};
    // One token for the whole run: it lives for hours; a failure is not retried here.
    this.token ??= managedIdentityToken(this.env, AbortSignal.any([this.signal, AbortSignal.timeout(TRY_MS)]), a.clientId);
    return { authorization: `Bearer ${await this.token}` };
  }

  /** Sends the request until it succeeds, fails for good, or time runs out; the answer, 2xx. */
  async send(method: 'GET' | 'PUT', blob: string | null, opts: { query?: Record<string, string>; headers?: Record<string, string>; body?: Buffer; maxBytes: number }): Promise<HttpAnswer> {
    const what = `${method} ${this.target.shown}${blob === null ? '' : `/${blob}`}`;
    const fail = (why: string, status?: number) => new BlobError(redact(this.target, `${what}: ${why}`), status);
    let auth: Record<string, string>;
    try {
      auth = await this.auth();
    } catch (err) {
      throw fail((err as Error).message);
    }
    for (let attempt = 1; ; attempt++) {
      let why: string;
      try {
        const answer = await request({
          method,
          url: requestUrl(this.target, blob, opts.query),
          headers: { 'x-ms-version': STORAGE_VERSION, 'x-ms-date': new Date().toUTCString(), ...auth, ...opts.headers },
          body: opts.body,
          signal: AbortSignal.any([this.signal, AbortSignal.timeout(TRY_MS)]),
          maxBytes: opts.maxBytes,
          agent: this.agent,
        });
        if (answer.status >= 200 && answer.status < 300) return answer;
        const code = answer.headers['x-ms-error-code'];
        why = `HTTP ${answer.status}${typeof code === 'string' ? ` ${code}` : ''}`;
        if (!retryable(answer.status)) throw fail(why + hint(answer.status), answer.status);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        why = err.message;
      }
      const gaveUp = (because: string) => fail(`${why}; gave up after ${attempt} tr${attempt === 1 ? 'y' : 'ies'} (${because})`);
      if (attempt >= MAX_TRIES) throw gaveUp('the most it tries');
      if (this.signal.aborted) throw gaveUp('out of time');
      await pause(retryDelayMs(attempt), this.signal);
      if (this.signal.aborted) throw gaveUp('out of time');
    }
  }
}

/** What a refusal usually means, for the operator reading one line. */
function hint(status: number): string {
  // Storage words an expired SAS AuthenticationFailed, Azurite AuthorizationFailure: one hint for 403.
  if (status === 403) return ' (the SAS token has expired or lacks the permission, or the identity has no role on the container: uploading needs create and write, summarize read and list)';
  if (status === 404) return ' (no such container)';
  return '';
}
