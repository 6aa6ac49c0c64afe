import { createInterface } from 'node:readline';
import type { EngineEvent, EngineSystem, EngineVersion } from './engine.js';
import type { EngineHttpClient } from './http-client.js';
import { labelsOf, num, str, type Json } from './json-fields.js';

/** /_ping, /version and /events. */
export class DockerSystem implements EngineSystem {
  constructor(private readonly http: EngineHttpClient) {}

  private pingedApiVersion: string | undefined;

  async ping(): Promise<void> {
    const response = await this.http.stream('GET', '/_ping');
    response.resume();
    await new Promise<void>((done, fail) => response.once('end', done).once('error', fail));
    const header = response.headers['api-version'];
    if (typeof header === 'string' && header !== '') this.pingedApiVersion = header;
  }

  /** The engine's API version: from the ping's `API-Version` header when there was one (one call fewer), else `/version`. */
  async apiVersion(): Promise<string> {
    return this.pingedApiVersion ?? (await this.version()).apiVersion;
  }

  async version(): Promise<EngineVersion> {
    const v = await this.http.json<Json>('GET', '/version');
    return { version: str(v['Version']), apiVersion: str(v['ApiVersion']), os: str(v['Os']), arch: str(v['Arch']) };
  }

  events(
    filters: Readonly<Record<string, readonly string[]>>,
    signal: AbortSignal,
    window: { readonly since?: string; readonly until?: string } = {},
  ): AsyncIterable<EngineEvent> {
    // The subscription reaches the engine some time after this call; asking for the events since
    // the call replays what happened in between (a container that dies at once), which would
    // otherwise be lost and leave a waiter waiting for ever.
    const now = Date.now();
    const since = window.since ?? `${Math.floor(now / 1000)}.${String((now % 1000) * 1e6).padStart(9, '0')}`;
    return this.streamEvents(filters, since, window.until, signal);
  }

  private async *streamEvents(
    filters: Readonly<Record<string, readonly string[]>>,
    since: string,
    until: string | undefined,
    signal: AbortSignal,
  ): AsyncIterable<EngineEvent> {
    let response;
    try {
      response = await this.http.stream('GET', '/events', { query: { filters: JSON.stringify(filters), since, ...(until === undefined ? {} : { until }) }, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    // Destroying the response alone does not end readline's iterator: close it too.
    const onAbort = () => {
      lines.close();
      response.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const e = JSON.parse(line) as Json;
        const actor = (e['Actor'] ?? {}) as Json;
        yield {
          type: str(e['Type']),
          action: str(e['Action']),
          id: str(actor['ID']),
          attributes: labelsOf(actor['Attributes']),
          timeNano: num(e['timeNano']),
        };
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      response.destroy();
    }
  }
}
