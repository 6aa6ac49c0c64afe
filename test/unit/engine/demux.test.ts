import assert from 'node:assert/strict';
import { Demultiplexer } from '../../../src/engine/demux.js';

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('Demultiplexer', () => {
  it('splits frames into stdout and stderr, joining neighbours of one stream', () => {
    const got: [string, string][] = [];
    const demux = new Demultiplexer((s, d) => got.push([s, d.toString()]));
    demux.push(Buffer.concat([frame(1, 'a\n'), frame(1, 'b\n'), frame(2, 'oops\n'), frame(1, 'c\n')]));
    assert.deepEqual(got, [['stdout', 'a\nb\n'], ['stderr', 'oops\n'], ['stdout', 'c\n']]);
  });

  it('copes with headers and payloads cut anywhere', () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'world\n'), frame(1, '')]);
    for (let cut = 1; cut < all.length; cut++) {
      let out = '';
      let err = '';
      const demux = new Demultiplexer((s, d) => (s === 'stdout' ? (out += d.toString()) : (err += d.toString())));
      demux.push(all.subarray(0, cut));
      demux.push(all.subarray(cut));
      assert.equal(out, 'hello ', `cut at ${cut}`);
      assert.equal(err, 'world\n', `cut at ${cut}`);
    }
  });
});
