import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StatusMessage } from './buildkit-status.js';

interface StatusType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: NumberConstructor }): unknown;
}

export type StatusDecoder = (bytes: Uint8Array) => StatusMessage;

let decoder: Promise<StatusDecoder> | undefined;

/**
 * BuildKit's status messages, decoded with the .proto dockerode ships for them and dockerode's own
 * protobufjs. Only those two are loaded, not dockerode itself (its import is most of a cached
 * build's time); the load waits a turn, so a caller that starts it before sending the build
 * request has the request on its way while it runs.
 */
export function statusDecoder(): Promise<StatusDecoder> {
  decoder ??= (async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const dockerodeMain = createRequire(import.meta.url).resolve('dockerode');
    const protobuf = createRequire(dockerodeMain)('protobufjs') as { loadSync(file: string): { lookupType(name: string): StatusType } };
    const type = protobuf.loadSync(join(dirname(dockerodeMain), 'proto', 'buildkit_status.proto')).lookupType('moby.buildkit.v1.StatusResponse');
    return (bytes) => type.toObject(type.decode(bytes), { longs: Number }) as StatusMessage;
  })();
  return decoder;
}
