// Azurite (the Azure Storage emulator, npm `azurite`) on a free loopback port, one per test file:
// the Blob service the upload and `summarize` talk to in tests. In memory, no telemetry, and it
// must come up: a test that needs it fails (never skips) when it does not.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

const REPO = path.resolve(__dirname, '../..');
const AZURITE_BLOB = path.join(REPO, 'node_modules/azurite/dist/src/blob/main.js');

/** Azurite's well-known development account (Azurite's README, "Default Storage Account", and node_modules/azurite/dist/src/common). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  endpoint: string;
  service: BlobServiceClient;
  /** Creates the container; its URL without a query. */
  container(name: string): Promise<string>;
  /** A container SAS query string (no '?') with these permissions (e.g. 'cw', 'rl'), expiring at `expiresOn`. */
  sas(container: string, permissions: string, expiresOn?: Date): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function waitUp(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Azurite exited (${child.exitCode}) before listening: ${output()}`);
    if (await listening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite did not listen on 127.0.0.1:${port} within 20 s: ${output()}`);
}

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const child = spawn(process.execPath, [AZURITE_BLOB, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  try {
    await waitUp(child, port, () => out);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  const service = new BlobServiceClient(endpoint, credential);
  return {
    endpoint,
    service,
    async container(name) {
      await service.getContainerClient(name).createIfNotExists();
      return `${endpoint}/${name}`;
    },
    sas(container, permissions, expiresOn = new Date(Date.now() + 3600_000)) {
      return generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn }, credential).toString();
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
