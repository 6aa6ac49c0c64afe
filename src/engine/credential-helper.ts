import { spawn } from 'node:child_process';
import { RegistryError } from '../errors.js';

export interface HelperCredentials {
  readonly username: string;
  readonly secret: string;
}

interface HelperRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
}

function runHelper(program: string, action: 'get' | 'list', input: string): Promise<HelperRun> {
  return new Promise((resolve) => {
    const child = spawn(program, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr: error.message, missing: error.code === 'ENOENT' || error.code === 'EACCES' }));
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
    child.stdin.end(input);
  });
}

/** Where the helper was named in config.json, for messages. */
export interface HelperSource {
  readonly name: string;
  readonly configPath: string;
  readonly key: 'credsStore' | 'credHelpers';
}

function helperFailure(source: HelperSource, serverAddress: string, run: HelperRun): RegistryError {
  const program = `docker-credential-${source.name}`;
  if (run.missing) {
    return new RegistryError(`the credential helper ${program} (${source.key} in ${source.configPath}) was not found on PATH`, {
      hint: `install ${program}, or remove "${source.name}" from ${source.key} in ${source.configPath}`,
    });
  }
  const said = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-3).join(' ');
  return new RegistryError(`the credential helper ${program} failed for ${serverAddress} (exit ${run.code ?? 'none'}): ${said}`, {
    hint: `check ${program} (${source.key} in ${source.configPath}), e.g. run \`echo ${serverAddress} | ${program} get\``,
  });
}

/**
 * `docker-credential-<name> get`: the server address on stdin, `{"ServerURL","Username","Secret"}`
 * on stdout. "credentials not found" is no credentials, not an error; a missing or failing helper is.
 */
export async function helperGet(source: HelperSource, serverAddress: string): Promise<HelperCredentials | undefined> {
  const run = await runHelper(`docker-credential-${source.name}`, 'get', serverAddress);
  if (run.code !== 0) {
    if (/credentials not found/i.test(run.stdout + run.stderr)) return undefined;
    throw helperFailure(source, serverAddress, run);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(run.stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    throw helperFailure(source, serverAddress, { ...run, stderr: `not JSON: ${run.stdout.slice(0, 200)}` });
  }
  if (typeof parsed.Secret !== 'string' || parsed.Secret === '') return undefined;
  return { username: typeof parsed.Username === 'string' ? parsed.Username : '', secret: parsed.Secret };
}

/** `docker-credential-<name> list`: the server addresses it holds credentials for. */
export async function helperList(source: HelperSource): Promise<string[]> {
  const run = await runHelper(`docker-credential-${source.name}`, 'list', '');
  if (run.code !== 0) throw helperFailure(source, '(list)', run);
  try {
    return Object.keys(JSON.parse(run.stdout) as Record<string, string>);
  } catch {
    throw helperFailure(source, '(list)', { ...run, stderr: `not JSON: ${run.stdout.slice(0, 200)}` });
  }
}
