import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { decodeStatus } from '../../../src/engine/buildkit-status-decode.js';

interface ProtoType {
  fromObject(value: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

/** The reference: protobufjs with the .proto dockerode ships (what the build used before the hand decoder). */
function statusType(): ProtoType {
  const require = createRequire(import.meta.url);
  const dockerodeMain = require.resolve('dockerode');
  const protobuf = createRequire(dockerodeMain)('protobufjs') as { loadSync(file: string): { lookupType(name: string): ProtoType } };
  return protobuf.loadSync(join(dockerodeMain.replace(/docker\.js$/, 'proto'), 'buildkit_status.proto')).lookupType('moby.buildkit.v1.StatusResponse');
}

describe('BuildKit status decoding (protobuf wire format by hand)', () => {
  it('decodes what protobufjs encodes: vertexes, logs, timestamps; skips statuses and warnings', () => {
    const type = statusType();
    const message = {
      vertexes: [
        { digest: 'sha256:a', inputs: ['sha256:z'], name: '[1/2] FROM base', cached: true, started: { seconds: 1764633600, nanos: 5 }, completed: { seconds: 1764633601, nanos: 999999999 }, progressGroup: { id: 'g', name: 'n' } },
        { digest: 'sha256:b', name: '[2/2] RUN false', error: 'exit code: 1' },
      ],
      statuses: [{ ID: 'x', vertex: 'sha256:a', current: 300, total: 1000000000000 }],
      logs: [{ vertex: 'sha256:b', timestamp: { seconds: 1764633602, nanos: 250000000 }, stream: 2, msg: Buffer.from('héllo\n') }],
      warnings: [{ vertex: 'sha256:b', level: 1, short: Buffer.from('w'), detail: [Buffer.from('d')], url: 'u' }],
    };
    const bytes = type.encode(type.fromObject(message)).finish();
    const decoded = decodeStatus(bytes);
    assert.deepEqual(decoded.vertexes, [
      { digest: 'sha256:a', name: '[1/2] FROM base', cached: true, started: { seconds: 1764633600, nanos: 5 }, completed: { seconds: 1764633601, nanos: 999999999 } },
      { digest: 'sha256:b', name: '[2/2] RUN false', error: 'exit code: 1' },
    ]);
    assert.equal(decoded.logs?.length, 1);
    const log = decoded.logs?.[0];
    assert.equal(log?.vertex, 'sha256:b');
    assert.deepEqual(log?.timestamp, { seconds: 1764633602, nanos: 250000000 });
    assert.equal(Buffer.from(log?.msg ?? new Uint8Array()).toString('utf8'), 'héllo\n');
  });

  it('decodes a trace line as this engine sent it (export vertex of a build)', () => {
    const aux = 'CngKR3NoYTI1NjplOGM2MTNlMDdiMGI3ZmYzMzg5M2I2OTRmNzc1OWExMGQ0MmUxODBmMmI0ZGMzNDlmYjU3ZGM2YjcxZGNhYjAwGhJleHBvcnRpbmcgdG8gaW1hZ2UqCwiYu73YBhDMufoKMgwImbu92AYQrNqIvQESpQEKMG5hbWluZyB0byBkb2NrZXIuaW8vbGlicmFyeS90c2N0LWJrMi1ub3Nlc3Npb246MRJHc2hhMjU2OmU4YzYxM2UwN2IwYjdmZjMzODkzYjY5NGY3NzU5YTEwZDQyZTE4MGYyYjRkYzM0OWZiNTdkYzZiNzFkY2FiMDAyDAiZu73YBhCWqoa9AToMCJm7vdgGEKHQlrcBQgwImbu92AYQ/4SGvQE=';
    const decoded = decodeStatus(Buffer.from(aux, 'base64'));
    assert.equal(decoded.vertexes?.length, 1);
    const vertex = decoded.vertexes?.[0];
    assert.equal(vertex?.digest, 'sha256:e8c613e07b0b7ff33893b694f7759a10d42e180f2b4dc349fb57dc6b71dcab00');
    assert.equal(vertex?.name, 'exporting to image');
    assert.equal(typeof vertex?.started?.seconds, 'number');
    assert.ok(Number(vertex?.completed?.seconds) >= Number(vertex?.started?.seconds));
    assert.deepEqual(decoded.logs, []);
  });

  it('refuses a truncated message rather than reading past it', () => {
    assert.throws(() => decodeStatus(Uint8Array.from([0x0a, 0x05, 0x0a])), /truncated/);
  });
});
