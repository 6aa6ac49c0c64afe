import assert from 'node:assert/strict';
import { demuxFrames, demuxLines } from '../../../src/engine/demux.js';
import { buildTar } from '../../../src/engine/tar.js';

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
};

describe('engine framing', () => {
  it('splits multiplexed stdout and stderr frames', () => {
    const data = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]);
    assert.deepEqual(demuxFrames(data), { stdout: 'out 1\nout 2\n', stderr: 'err 1\n' });
    assert.deepEqual(demuxLines(data, false), ['out 1', 'err 1', 'out 2']);
  });

  it('a line split across frames stays one line; TTY output is raw', () => {
    assert.deepEqual(demuxLines(Buffer.concat([frame(1, 'hel'), frame(1, 'lo\nbye')]), false), ['hello', 'bye']);
    assert.deepEqual(demuxLines(Buffer.from('a\r\nb\r\n'), true), ['a', 'b']);
  });

  it('writes a ustar archive: header fields, checksum, padding and the end blocks', () => {
    const tar = buildTar([{ path: 'run/secrets/tok', content: Buffer.from('s3cret'), mode: 0o400, uid: 1, gid: 2 }]);
    assert.equal(tar.length, 512 + 512 + 1024);
    assert.equal(tar.subarray(0, 15).toString(), 'run/secrets/tok');
    assert.equal(tar.subarray(100, 107).toString(), '0000400');
    assert.equal(tar.subarray(124, 135).toString(), '00000000006');
    assert.equal(tar.subarray(257, 262).toString(), 'ustar');
    const stored = parseInt(tar.subarray(148, 154).toString(), 8);
    const copy = Buffer.from(tar.subarray(0, 512));
    copy.write('        ', 148, 8, 'ascii');
    assert.equal(stored, copy.reduce((a, b) => a + b, 0));
    assert.equal(tar.subarray(512, 518).toString(), 's3cret');
  });
});
