// A Blob storage token from the node's managed identity, asked of the instance metadata service as
// Azure documents it (learn.microsoft.com/entra/identity/managed-identities-azure-resources/
// how-to-use-vm-token, "Get a token using HTTP"): GET /metadata/identity/oauth2/token with
// api-version=2018-02-01, resource=https://storage.azure.com/ (the Storage resource id, per
// learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory), the header
// `Metadata: true`, and client_id for one user-assigned identity among several (Batch pools carry
// user-assigned identities). Same endpoint as the VM size read (BATCH_PREFLIGHT_IMDS_URL in tests).
import { imdsUrl } from '../host/imds';
import { request, TransportError } from './http';

export const STORAGE_RESOURCE = 'https://storage.azure.com/';
const MAX_TOKEN_BYTES = 64 * 1024;

export function tokenUrl(env: NodeJS.ProcessEnv, clientId?: string): string {
  const url = new URL('/metadata/identity/oauth2/token', new URL(imdsUrl(env)).origin);
  url.searchParams.set('api-version', '2018-02-01');
  url.searchParams.set('resource', STORAGE_RESOURCE);
  if (clientId) url.searchParams.set('client_id', clientId);
  return url.toString();
}

/** The access token; a one-line reason (never the token) when there is none. */
export async function managedIdentityToken(env: NodeJS.ProcessEnv, signal: AbortSignal, clientId?: string): Promise<string> {
  let answer;
  try {
    answer = await request({ method: 'GET', url: tokenUrl(env, clientId), headers: { Metadata: 'true' }, signal, maxBytes: MAX_TOKEN_BYTES });
  } catch (err) {
    throw new TransportError(`no managed identity token: the instance metadata service did not answer (${(err as Error).message})`);
  }
  if (answer.status !== 200) throw new TransportError(`no managed identity token: the instance metadata service answered HTTP ${answer.status}${answer.status === 400 ? ' (no identity on this VM, or --upload-client-id names none of its identities)' : ''}`);
  let token: unknown;
  try {
    token = (JSON.parse(answer.body.toString('utf8')) as { access_token?: unknown }).access_token;
  } catch {
    throw new TransportError('no managed identity token: the answer is not JSON');
  }
  if (typeof token !== 'string' || token === '') throw new TransportError('no managed identity token: the answer has no access_token');
  return token;
}
