// 300 services (issue 17): tscompose beside docker-compose v1 and the engine floor (the same creates,
// starts, lists, logs and removals as raw Engine API calls from one Node process), one run, one engine.
// Usage: node bench/scale.mjs [-n SERVICES] [--sizes 50,150] [--lines L] [--reps R] [--no-v1] [--cold-limit S] [--out DIR] [--second-engine]
//   (root, after `npm run build`; Debian's docker-compose for the v1 column; /usr/bin/time for peak memory)
// Projects are named tsct-scale-*; everything they made is removed at the end, also on failure.
// --second-engine runs it all on a dockerd of its own (test/helpers/second-engine.ts: own data root,
// network namespace, vfs storage; root only), removed at the end: dockerd 20.10 can leave a network
// that no call can remove after many containers on it stop at once (moby/moby#42119), and on the
// main engine such a network stays until dockerd restarts.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/bin/main.js');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const N = Number(arg('-n', 300));
const SIZES = arg('--sizes', '50,150').split(',').filter(Boolean).map(Number);
const LINES = Number(arg('--lines', 200));
const REPS = Number(arg('--reps', 3));
// A cold `up -d` that takes longer than this is stopped and reported as hung (the floor takes ~100 s).
const COLD_LIMIT_S = Number(arg('--cold-limit', 900));
const IMAGE = process.env.TSCOMPOSE_TEST_IMAGE ?? 'tscompose/busybox:1';
const second = process.argv.includes('--second-engine')
  ? await (await import(join(root, 'dist/test/helpers/second-engine.js'))).startSecondEngine({ image: IMAGE })
  : undefined;
if (second !== undefined) process.env.DOCKER_HOST = `unix://${second.socket}`;
const SOCKET = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const hasV1 = !process.argv.includes('--no-v1') && spawnSync('docker-compose', ['version', '--short']).status === 0;
const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
const tag = `${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'tsct-scale-'));
const made = new Set(); // project names to remove at the end

// ---- the workload: N independent services that print LINES lines, then wait for SIGTERM
function composeFile(count) {
  let text = 'services:\n';
  for (let i = 0; i < count; i++) {
    text += `  s${String(i).padStart(4, '0')}:\n    image: ${IMAGE}\n` +
      `    command: ["sh", "-c", "trap 'exit 0' TERM; seq 1 ${LINES}; sleep 3600 & wait"]\n`;
  }
  const file = join(dir, `compose-${count}.yaml`);
  writeFileSync(file, text);
  return file;
}

// ---- raw Engine API (the floor)
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ socketPath: SOCKET, method, path: `/v1.41${path}`, agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks);
        if (res.statusCode >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve({ status: res.statusCode, body: text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const json = async (method, path, body) => {
  const { body: b } = await api(method, path, body);
  return b.length ? JSON.parse(b.toString()) : undefined;
};
const filter = (project) => encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
const listContainers = (project) => json('GET', `/containers/json?all=1&filters=${filter(project)}`);
const listNetworks = (project) => json('GET', `/networks?filters=${filter(project)}`);

async function floorUp(project, count) {
  const network = `${project}_default`;
  await json('POST', '/networks/create', { Name: network, CheckDuplicate: true, Labels: { 'com.docker.compose.project': project } });
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    const service = `s${String(i).padStart(4, '0')}`;
    const name = `${project}-${service}-1`;
    const created = await json('POST', `/containers/create?name=${name}`, {
      Image: IMAGE, Cmd: ['sh', '-c', `trap 'exit 0' TERM; seq 1 ${LINES}; sleep 3600 & wait`],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1' },
      HostConfig: { NetworkMode: network },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service, name] } } },
    });
    await api('POST', `/containers/${created.Id}/start`);
  }));
}

async function floorDown(project) {
  const containers = await listContainers(project);
  await Promise.all(containers.map(async (c) => {
    await api('POST', `/containers/${c.Id}/stop?t=10`).catch(() => {});
    await api('DELETE', `/containers/${c.Id}?v=1&force=1`);
  }));
  for (const n of await listNetworks(project)) await api('DELETE', `/networks/${n.Id}`);
}

/**
 * The engine's endpoint-count race (moby/moby#42119) leaves a network only a dockerd restart clears,
 * and an engine in that state hung docker-compose v1's next `up` (twice, at 47 and 51 of 300). On
 * a second engine of the bench's own, restart it between tools so each starts on a clean engine.
 */
async function clearRaceNetworks(project) {
  if (second === undefined || (await listNetworks(project)).length === 0) return;
  const t0 = now();
  await second.restart('SIGTERM');
  for (const n of await listNetworks(project)) await api('DELETE', `/networks/${n.Id}`);
  console.error(`(engine restarted in ${(now() - t0).toFixed(1)} s to clear the network ${project}'s down left)`);
}

/** Every container's log (stdout, not followed) read at the same moment; resolves with the line count. */
async function floorLogs(project) {
  const containers = await listContainers(project);
  const counts = await Promise.all(containers.map(async (c) => {
    const { body } = await api('GET', `/containers/${c.Id}/logs?stdout=1&stderr=1`);
    let lines = 0;
    for (let i = 0; i < body.length;) { // 8-byte frame headers (no TTY)
      const size = body.readUInt32BE(i + 4);
      const frame = body.subarray(i + 8, i + 8 + size);
      for (const byte of frame) if (byte === 10) lines++;
      i += 8 + size;
    }
    return lines;
  }));
  return counts.reduce((a, b) => a + b, 0);
}

// ---- timing
const now = () => Number(process.hrtime.bigint()) / 1e9;
async function timed(fn) { const start = now(); const value = await fn(); return { s: now() - start, value }; }

/**
 * A CLI run under /usr/bin/time: wall seconds and peak RSS (MB). Throws on a non-zero exit unless allowed.
 * Never spawnSync: with --second-engine this process reads dockerd's log pipe, and a loop blocked for
 * minutes lets it fill, which stops every dockerd call that logs (a `down` of 300 hung that way).
 */
function run(argv, options = {}) {
  return new Promise((resolve, reject) => {
    const out = join(dir, 'time.txt');
    const full = hasTime ? ['/usr/bin/time', '-o', out, '-f', '%M', ...argv] : argv;
    const start = now();
    // Its own process group, so a run that hangs (v1 did, at 47 of 300) is stopped whole at the limit.
    const child = spawn(full[0], full.slice(1), { cwd: options.cwd ?? dir, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    const limit = options.timeoutS === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, options.timeoutS * 1000);
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
    child.on('error', reject);
    child.on('close', (status) => {
      if (limit !== undefined) clearTimeout(limit);
      const s = now() - start;
      const rssMb = hasTime && !timedOut ? Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
      if (timedOut) resolve({ s, rssMb, status, stderr, timedOut });
      else if (status !== 0 && !options.allowFailure) reject(new Error(`${argv.join(' ')} exited ${status}: ${stderr}`));
      else resolve({ s, rssMb, status, stderr, timedOut });
    });
  });
}

/** `logs -f` of every service at once: seconds until all count*LINES lines arrived (then it is stopped). */
function followLogs(argv, expected) {
  return new Promise((resolve, reject) => {
    const out = join(dir, 'time-logs.txt');
    const full = hasTime ? ['/usr/bin/time', '-o', out, '-f', '%M', ...argv] : argv;
    const start = now();
    const child = spawn(full[0], full.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    let s;
    const timer = setTimeout(() => stop(), 180_000);
    const stop = () => {
      // Stop the CLI (the child of /usr/bin/time), so time still writes its report.
      const kids = hasTime ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean) : [String(child.pid)];
      for (const pid of kids) process.kill(Number(pid), 'SIGINT');
    };
    child.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines++;
      if (s === undefined && lines >= expected) { s = now() - start; stop(); }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const rssMb = hasTime ? Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
      resolve({ s: s ?? NaN, lines, rssMb });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const note = (label, tool, size, s, extra = '') => {
  rows.push({ label, tool, size, s, extra });
  console.error(`${label.padEnd(22)} ${tool.padEnd(10)} ${String(size).padStart(4)}  ${Number.isNaN(s) ? '  n/a' : s.toFixed(3)} s ${extra}`);
};

const ts = (project, file) => ['node', cli, '-p', project, '-f', file];
const v1 = (project, file) => ['docker-compose', '-p', project, '-f', file];
const mem = (r) => (Number.isNaN(r.rssMb) ? '' : `${r.rssMb.toFixed(0)} MB`);

async function cleanup() {
  for (const project of made) {
    await floorDown(project).catch((e) => console.error(`cleanup of ${project}: ${e.message}`));
  }
}

async function cliSuite(tool, argvOf, project, file, count, coldLabel = 'up -d (cold)') {
  made.add(project);
  const cold = await run([...argvOf(project, file), 'up', '-d', ...(tool === 'tscompose' ? ['--progress', 'quiet'] : [])], { timeoutS: COLD_LIMIT_S });
  if (cold.timedOut) {
    const created = (await listContainers(project)).length;
    note(coldLabel, tool, count, NaN, `stopped after ${COLD_LIMIT_S} s with ${created} of ${count} containers made (no progress: hung)`);
    return undefined;
  }
  note(coldLabel, tool, count, cold.s, mem(cold));
  const noop = []; const ps = []; let noopMem = 0; let psMem = 0;
  for (let r = 0; r < REPS; r++) {
    const a = await run([...argvOf(project, file), 'up', '-d', ...(tool === 'tscompose' ? ['--progress', 'quiet'] : [])]);
    noop.push(a.s); noopMem = Math.max(noopMem, a.rssMb);
    const b = await run([...argvOf(project, file), 'ps']);
    ps.push(b.s); psMem = Math.max(psMem, b.rssMb);
  }
  note('up -d (no-op)', tool, count, median(noop), `${noopMem.toFixed(0)} MB`);
  note('ps', tool, count, median(ps), `${psMem.toFixed(0)} MB`);
  return { cold, noop: median(noop), ps: median(ps) };
}

async function cliDown(tool, argvOf, project, file, count) {
  const down = await run([...argvOf(project, file), 'down', ...(tool === 'tscompose' ? ['--progress', 'quiet'] : [])], { allowFailure: true });
  const left = (await listNetworks(project)).length;
  note('down', tool, count, down.s, `${mem(down)} exit ${down.status}${left ? `, network left (${down.stderr.includes('42119') || down.stderr.includes('active endpoints') ? 'endpoint-count race' : 'see stderr'})` : ''}`);
  if (down.status !== 0) console.error(down.stderr.split('\n').slice(0, 3).join('\n'));
  return down;
}

try {
  const nodeRuns = [];
  for (let r = 0; r < 5; r++) nodeRuns.push((await run(['node', '-e', '0'])).s);
  const nodeStart = median(nodeRuns);
  note('node -e 0', 'node', 0, nodeStart);
  const fileN = composeFile(N);

  // Engine floor
  const floorProject = `tsct-scale-floor-${tag}`;
  made.add(floorProject);
  note('up -d (cold)', 'floor', N, (await timed(() => floorUp(floorProject, N))).s);
  const floorNoop = [];
  for (let r = 0; r < REPS; r++) floorNoop.push((await timed(() => Promise.all([listContainers(floorProject), listNetworks(floorProject)]))).s);
  note('up -d (no-op)', 'floor', N, median(floorNoop), 'list containers + networks');
  const floorPs = [];
  for (let r = 0; r < REPS; r++) floorPs.push((await timed(() => listContainers(floorProject))).s);
  note('ps', 'floor', N, median(floorPs), 'list containers');
  await new Promise((r) => setTimeout(r, 2000));
  const fl = await timed(() => floorLogs(floorProject));
  note('logs (all at once)', 'floor', N, fl.s, `${fl.value} lines`);
  const ids = (await listContainers(floorProject)).map((c) => c.Id);
  const dl = await timed(() => new Promise((resolve) => {
    const p = spawn('sh', ['-c', 'xargs -n 1 -P 16 docker logs >/dev/null 2>&1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    p.stdin.end(ids.join('\n'));
    p.on('close', resolve);
  }));
  note('docker logs x N', 'docker', N, dl.s, '16 at a time');
  const fd = await timed(() => floorDown(floorProject).then(() => '', (e) => e.message));
  note('down', 'floor', N, fd.s, fd.value.includes('active endpoints') ? 'network left (endpoint-count race)' : fd.value);
  await clearRaceNetworks(floorProject);

  // tscompose
  const tsProject = `tsct-scale-ts-${tag}`;
  await cliSuite('tscompose', ts, tsProject, fileN, N);
  const tl = await followLogs([...ts(tsProject, fileN), 'logs', '-f', '--no-color'], N * LINES);
  note('logs -f (all)', 'tscompose', N, tl.s, `${tl.lines} lines, ${tl.rssMb.toFixed(0)} MB`);
  await cliDown('tscompose', ts, tsProject, fileN, N);
  await clearRaceNetworks(tsProject);

  // docker-compose v1
  if (hasV1) {
    const v1Project = `tsct-scale-v1-${tag}`;
    if (await cliSuite('v1', v1, v1Project, fileN, N) !== undefined) {
      const vl = await followLogs([...v1(v1Project, fileN), 'logs', '-f', '--no-color'], N * LINES);
      note('logs -f (all)', 'v1', N, vl.s, `${vl.lines} lines, ${vl.rssMb.toFixed(0)} MB`);
      await cliDown('v1', v1, v1Project, fileN, N);
      await clearRaceNetworks(v1Project);
    }
  }

  // ps and no-op up as the project grows (tscompose; the same project grows from one size to the next)
  if (SIZES.length > 0) {
    const growProject = `tsct-scale-grow-${tag}`;
    made.add(growProject);
    let previous = 0;
    for (const size of SIZES) {
      await cliSuite('tscompose', ts, growProject, composeFile(size), size, previous === 0 ? 'up -d (cold)' : `up -d (adds ${size - previous})`);
      previous = size;
    }
    await cliDown('tscompose', ts, growProject, composeFile(SIZES[SIZES.length - 1]), SIZES[SIZES.length - 1]);
  }
} finally {
  await cleanup();
  agent.destroy();
  if (second !== undefined) await second.stop();
  const outDir = arg('--out', undefined);
  const table = ['| step | tool | services | seconds | notes |', '|---|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.label} | ${r.tool} | ${r.size || ''} | ${Number.isNaN(r.s) ? 'n/a' : r.s.toFixed(3)} | ${r.extra} |`),
    '', `engine: ${second === undefined ? SOCKET : 'a second dockerd (vfs, own data root)'}, ` +
    `services: ${N}, lines per service: ${LINES}, reps (no-op, ps): ${REPS}, cpus: ${cpus().length}, ` +
    `load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`].join('\n');
  console.log(table);
  if (outDir !== undefined) { mkdirSync(outDir, { recursive: true }); writeFileSync(join(outDir, 'table.md'), `${table}\n`); }
  rmSync(dir, { recursive: true, force: true });
}
