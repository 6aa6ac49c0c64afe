import assert from 'node:assert/strict';
import { statusDecoder } from '../../../src/engine/buildkit-status-proto.js';
import { BuildSteps } from '../../../src/engine/buildkit-status.js';

describe('BuildKit status messages (dockerode\'s .proto)', () => {
  it('decodes a trace line as this engine sent it: the export vertex of a build, with its times', async () => {
    const aux = 'CngKR3NoYTI1NjplOGM2MTNlMDdiMGI3ZmYzMzg5M2I2OTRmNzc1OWExMGQ0MmUxODBmMmI0ZGMzNDlmYjU3ZGM2YjcxZGNhYjAwGhJleHBvcnRpbmcgdG8gaW1hZ2UqCwiYu73YBhDMufoKMgwImbu92AYQrNqIvQESpQEKMG5hbWluZyB0byBkb2NrZXIuaW8vbGlicmFyeS90c2N0LWJrMi1ub3Nlc3Npb246MRJHc2hhMjU2OmU4YzYxM2UwN2IwYjdmZjMzODkzYjY5NGY3NzU5YTEwZDQyZTE4MGYyYjRkYzM0OWZiNTdkYzZiNzFkY2FiMDAyDAiZu73YBhCWqoa9AToMCJm7vdgGEKHQlrcBQgwImbu92AYQ/4SGvQE=';
    const decode = await statusDecoder();
    const decoded = decode(Buffer.from(aux, 'base64'));
    assert.equal(decoded.vertexes?.length, 1);
    const vertex = decoded.vertexes?.[0];
    assert.equal(vertex?.digest, 'sha256:e8c613e07b0b7ff33893b694f7759a10d42e180f2b4dc349fb57dc6b71dcab00');
    assert.equal(vertex?.name, 'exporting to image');
    assert.equal(typeof vertex?.started?.seconds, 'number', 'longs as numbers');
    assert.ok(Number(vertex?.completed?.seconds) >= Number(vertex?.started?.seconds));
    const updates = new BuildSteps().apply(decoded);
    assert.ok(updates.some((u) => /exporting to image/.test(JSON.stringify(u))), JSON.stringify(updates));
  });
});
