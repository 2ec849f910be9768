// Runs a CI step's script with bash as the CI runner would, without blocking this process (the
// loopback release server answers from it meanwhile).
import { spawn } from 'node:child_process';

export interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runBash(bashArgs: string[], script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [...bashArgs, '-c', script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
