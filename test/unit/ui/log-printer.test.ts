import assert from 'node:assert/strict';
import { createLogPrinter } from '../../../src/ui/log-printer.js';
import { LogMerger, timestampKey } from '../../../src/ui/log-merger.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const text = (d: string | Uint8Array): string => (typeof d === 'string' ? d : Buffer.from(d).toString());
  return { out, err, write: (d: string | Uint8Array) => out.push(text(d)), writeErr: (d: string | Uint8Array) => err.push(text(d)) };
}

describe('log printer', () => {
  it('pads prefixes to the longest name, keeps partial lines until they end, stderr apart', () => {
    const c = capture();
    const printer = createLogPrinter({ prefix: true, color: false }, c.write, c.writeErr, []);
    printer.register(['web-1', 'worker-1']);
    const web = printer.writer('web-1');
    web.push('stdout', Buffer.from('one\ntw'));
    web.push('stdout', Buffer.from('o\n'));
    web.push('stderr', Buffer.from('bad\n'));
    web.push('stdout', Buffer.from('tail'));
    web.flush();
    assert.equal(c.out.join(''), 'web-1     | one\nweb-1     | two\nweb-1     | tail\n');
    assert.equal(c.err.join(''), 'web-1     | bad\n');
  });

  it('passes bytes straight through without a prefix', () => {
    const c = capture();
    const printer = createLogPrinter({ prefix: false, color: false }, c.write, c.writeErr, []);
    printer.writer('a-1').push('stdout', Buffer.from('x\ny\n'));
    assert.equal(c.out.join(''), 'x\ny\n');
  });

  it('rotates colours in sorted name order', () => {
    const c = capture();
    const palette = [(t: string) => `<1>${t}`, (t: string) => `<2>${t}`];
    const printer = createLogPrinter({ prefix: true, color: true }, c.write, c.writeErr, palette);
    printer.register(['b-1', 'a-1']);
    printer.line('b-1', 'stdout', 'x');
    printer.line('a-1', 'stdout', 'y');
    assert.deepEqual(c.out, ['<2>b-1  | x\n', '<1>a-1  | y\n']);
  });
});

describe('log merger', () => {
  it('orders timestamps with trimmed fractions correctly', () => {
    assert.ok(timestampKey('2024-01-01T00:00:05.1Z') < timestampKey('2024-01-01T00:00:05.12Z'));
    assert.ok(timestampKey('2024-01-01T00:00:05Z') < timestampKey('2024-01-01T00:00:05.000000001Z'));
  });

  it('interleaves containers by the engine\'s time and hides the stamps unless asked', () => {
    const c = capture();
    const printer = createLogPrinter({ prefix: true, color: false }, c.write, c.writeErr, []);
    const merger = new LogMerger(printer, false);
    const a = merger.writer('a-1');
    const b = merger.writer('b-1');
    a.push('stdout', Buffer.from('2024-01-01T00:00:01Z first\n2024-01-01T00:00:03Z third\n'));
    b.push('stdout', Buffer.from('2024-01-01T00:00:02.5Z second\n'));
    merger.flushAll();
    assert.equal(c.out.join(''), 'a-1  | first\nb-1  | second\na-1  | third\n');
  });
});

describe('log printer and TTY containers', () => {
  it('drops the \\r of \\r\\n line ends after a prefix', () => {
    const c = capture();
    const printer = createLogPrinter({ prefix: true, color: false }, c.write, c.writeErr, []);
    printer.register(['tty-1']);
    printer.writer('tty-1').push('stdout', Buffer.from('one\r\ntwo\r\n'));
    printer.line('tty-1', 'stdout', 'three\r');
    assert.equal(c.out.join(''), 'tty-1  | one\ntty-1  | two\ntty-1  | three\n');
  });
});
