import assert from 'node:assert/strict';
import { engineTimestamp } from '../../../src/model/engine-time.js';

describe('engineTimestamp (events --since/--until)', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  it('passes Unix seconds through', () => assert.equal(engineTimestamp('1714557600.5', now), '1714557600.5'));
  it('reads RFC 3339 dates, fractions kept', () => {
    assert.equal(engineTimestamp('2024-05-01T10:00:00Z', now), '1714557600');
    assert.equal(engineTimestamp('2024-05-01T10:00:00.25Z', now), '1714557600.250000000');
    assert.equal(engineTimestamp('2024-05-01T12:00:00+02:00', now), '1714557600');
  });
  it('counts durations back from now', () => {
    assert.equal(engineTimestamp('10m', now), '1714557000.000000000');
    assert.equal(engineTimestamp('1h30m', now), '1714552200.000000000');
  });
  it('rejects anything else', () => {
    assert.equal(engineTimestamp('yesterday', now), undefined);
    assert.equal(engineTimestamp('2024-13-45T99:00:00Z', now), undefined);
  });
});
