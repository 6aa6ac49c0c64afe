import type { IncomingMessage } from 'node:http';
import { EngineError, EngineUnavailableError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import { openTransport, type Transport } from './transport.js';

/** An array value repeats the parameter (`t=a&t=b`). */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** A body sent as is (a tar for the archive API) with this content type. */
  readonly rawBody?: { readonly data: Buffer; readonly contentType: string };
  readonly signal?: AbortSignal;
  /** Status codes that are not errors for this call (e.g. 304 for "already started"). */
  readonly accept?: readonly number[];
  /** A raw request body (a build context tar), streamed instead of `body`. */
  readonly upload?: NodeJS.ReadableStream;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A small JSON client for the Engine API over node:http. The hot calls (list, inspect, create,
 * start, stop, remove) go through here: loading dockerode costs more than a whole `ps`.
 */
export class EngineHttpClient {
  private transport: Promise<Transport> | undefined;

  constructor(readonly address: EngineAddress) {}

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await readText(response);
    const isJson = (response.headers['content-type'] ?? '').includes('json');
    return (text === '' || !isJson ? undefined : JSON.parse(text)) as T;
  }

  /** A call with a binary body (the archive API); the answer is read and dropped. */
  async raw(method: string, path: string, data: Buffer, contentType: string, query?: Query): Promise<void> {
    const response = await this.send(method, path, { rawBody: { data, contentType }, ...(query === undefined ? {} : { query }) });
    await readText(response);
  }

  /** The whole response body as bytes (logs, which are framed binary). */
  async buffer(method: string, path: string, options: RequestOptions = {}): Promise<Buffer> {
    const response = await this.send(method, path, options);
    return readBuffer(response);
  }

  /** For streaming endpoints (events, logs): the caller reads the body. */
  async stream(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    return this.send(method, path, options);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    this.transport ??= openTransport(this.address);
    const transport = await this.transport;
    const body = options.rawBody?.data ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const contentType = options.rawBody?.contentType ?? 'application/json';
    const fullPath = path + queryString(options.query);
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          method,
          path: fullPath,
          signal: options.signal,
          headers: {
            ...(body === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) }),
            ...options.headers,
          },
        },
        false,
      );
      req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          if (status < 400 || options.accept?.includes(status)) {
            resolve(res);
            return;
          }
          readText(res).then(
            (text) => reject(engineFailure(this.address, method, path, status, text)),
            (error: unknown) => reject(engineFailure(this.address, method, path, status, String(error))),
          );
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') reject(error);
        else {
          reject(transport.connectionFailure(error) ??
            new EngineError(`engine request ${method} ${path} to ${this.address.display} failed: ${error.message}`, { cause: error }));
        }
      });
      if (options.upload !== undefined) {
        options.upload.on('error', (error: Error) => req.destroy(error));
        options.upload.pipe(req);
        return;
      }
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function readBuffer(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  return (await readBuffer(res)).toString('utf8');
}

export function engineFailure(address: EngineAddress, method: string, path: string, status: number, text: string): EngineError {
  if (status === 400 && /HTTP request to an HTTPS server/i.test(text)) {
    return new EngineUnavailableError(`the engine at ${address.display} wants TLS, and the request was plain HTTP`, {
      hint: 'set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem (port 2376)',
    });
  }
  let message = text.trim();
  try {
    const parsed = JSON.parse(text) as { message?: string };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  return new EngineError(message === '' ? `engine answered ${status} to ${method} ${path}` : message, { statusCode: status });
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof EngineError && error.statusCode === status;
}
