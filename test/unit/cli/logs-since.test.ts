import assert from 'node:assert/strict';
import { unixSeconds } from '../../../src/cli/commands/logs.js';
import { formatBytes, statsFigures } from '../../../src/model/stats.js';

describe('logs since and stats figures', () => {
  it('turns an RFC 3339 time into Unix seconds, fraction kept', () => {
    assert.equal(unixSeconds('1970-01-01T00:00:10.123456789Z'), '10.123456789');
    assert.equal(unixSeconds('1970-01-01T00:01:00Z'), '60');
  });

  it('computes CPU and memory as docker stats does', () => {
    const f = statsFigures({
      cpuTotal: 300, preCpuTotal: 100, systemCpu: 2000, preSystemCpu: 1000, onlineCpus: 2,
      memoryUsage: 3 * 1024 * 1024, memoryLimit: 100 * 1024 * 1024, memoryCache: 1024 * 1024,
    });
    assert.equal(f.cpuPercent, 40);
    assert.equal(f.memoryUsed, 2 * 1024 * 1024);
    assert.equal(f.memoryPercent, 2);
    assert.equal(formatBytes(2 * 1024 * 1024, true), '2MiB');
    assert.equal(formatBytes(1500, false), '1.5kB');
  });
});
