/** `docker stats` arithmetic over one sample (the engine sends the previous CPU reading beside it). */
export interface StatsFigures {
  readonly cpuPercent: number;
  readonly memoryUsed: number;
  readonly memoryLimit: number;
  readonly memoryPercent: number;
}

export function statsFigures(s: {
  cpuTotal: number; preCpuTotal: number; systemCpu: number; preSystemCpu: number; onlineCpus: number;
  memoryUsage: number; memoryLimit: number; memoryCache: number;
}): StatsFigures {
  const cpuDelta = s.cpuTotal - s.preCpuTotal;
  const systemDelta = s.systemCpu - s.preSystemCpu;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * s.onlineCpus * 100 : 0;
  const memoryUsed = Math.max(0, s.memoryUsage - s.memoryCache);
  return {
    cpuPercent,
    memoryUsed,
    memoryLimit: s.memoryLimit,
    memoryPercent: s.memoryLimit > 0 ? (memoryUsed / s.memoryLimit) * 100 : 0,
  };
}

/** Sizes as `docker stats` prints them: binary units for memory, decimal for I/O. */
export function formatBytes(bytes: number, binary: boolean): string {
  const base = binary ? 1024 : 1000;
  const units = binary ? ['B', 'KiB', 'MiB', 'GiB', 'TiB'] : ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 3 : 2).replace(/\.?0+$/, '')}${units[unit]}`;
}
