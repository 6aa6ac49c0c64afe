#!/usr/bin/env node
// `tscompose watch` end to end: the time from a file write on the host to the new content being
// readable inside the container (median and p95 over 100 edits, `sync` rule), then the CPU and
// memory the watch process uses while idle over a large tree.
//
//   node bench/watch-latency.mjs [--edits 100] [--files 50000] [--idle 30] [--tree DIR]
//
// After `npm run build`; needs the engine and the tscompose/busybox:1 image. The container side is
// read through the archive API's stat (a HEAD request), whose size changes with every edit: cheaper
// and finer than an exec per poll. --tree keeps the generated tree for later runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/bin/main.js');
const { DockerEngine } = await import(join(root, 'dist/src/engine/docker-engine.js'));
const { resolveEngineAddress } = await import(join(root, 'dist/src/engine/docker-host.js'));
const engine = new DockerEngine(resolveEngineAddress(process.env));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const edits = Number(option('edits', '100'));
const files = Number(option('files', '50000'));
const idleSeconds = Number(option('idle', '30'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function startWatch(dir, project) {
  const child = spawn(process.execPath, [cli, '-p', project, 'watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const started = performance.now();
  while (!stderr.includes('Watch enabled')) {
    if (child.exitCode !== null) throw new Error(`watch exited:\n${stderr}`);
    await sleep(50);
  }
  return { child, readyMs: performance.now() - started, stderr: () => stderr };
}

async function stop(watch, project, dir) {
  watch.child.kill('SIGINT');
  await new Promise((resolve) => watch.child.once('close', resolve));
  spawn(process.execPath, [cli, '-p', project, 'down', '-t', '0'], { cwd: dir, stdio: 'ignore' });
  await sleep(3000);
}

async function latency() {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-watch-bench-'));
  const project = `tscbench-watch-${process.pid}`;
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'compose.yaml'), `services:
  app:
    image: tscompose/busybox:1
    command: ["sleep", "3600"]
    init: true
    develop:
      watch:
        - { path: ./src, action: sync, target: /app }
`);
  const watch = await startWatch(dir, project);
  try {
    const [container] = await engine.containers.list({ all: false, labels: [`com.docker.compose.project=${project}`] });
    const samples = [];
    for (let i = 0; i < edits; i++) {
      const content = 'x'.repeat(i + 1);
      const start = performance.now();
      writeFileSync(join(dir, 'src', 'edit.txt'), content);
      for (;;) {
        const stat = await engine.containers.statPath(container.id, '/app/edit.txt');
        if (stat?.size === content.length) break;
        await sleep(2);
      }
      samples.push(performance.now() - start);
      await sleep(100);
    }
    // The engine's own floor in the same run: one putArchive of one small file, as a sync sends it.
    const { buildTar } = await import(join(root, 'dist/src/engine/tar.js'));
    const floor = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      await engine.containers.putArchive(container.id, '/', buildTar([{ path: 'app/floor.txt', content: Buffer.from('x') }]), { keepOwner: true });
      floor.push(performance.now() - start);
    }
    floor.sort((a, b) => a - b);
    const sorted = samples.sort((a, b) => a - b);
    const syncs = watch.stderr().split('\n').filter((l) => l.startsWith('Syncing')).length;
    return { edits, syncs, medianMs: Math.round(percentile(sorted, 50)), p95Ms: Math.round(percentile(sorted, 95)), maxMs: Math.round(sorted.at(-1)),
      putArchiveMedianMs: Math.round(percentile(floor, 50)), putArchiveP95Ms: Math.round(percentile(floor, 95)) };
  } finally {
    await stop(watch, project, dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function idle() {
  const kept = option('tree');
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'tscompose-watch-tree-'));
  const project = `tscbench-watchidle-${process.pid}`;
  if (!existsSync(join(dir, `.complete-${files}`))) {
    for (let d = 0; d < files / 100; d++) {
      const sub = join(dir, 'src', `pkg${d % 25}`, `d${d}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(sub, `f${f}.js`), 'x');
    }
    writeFileSync(join(dir, `.complete-${files}`), '');
  }
  writeFileSync(join(dir, 'compose.yaml'), `services:
  app:
    image: tscompose/busybox:1
    command: ["sleep", "3600"]
    init: true
    develop:
      watch:
        - { path: ./src, action: sync, target: /app }
`);
  const watch = await startWatch(dir, project);
  try {
    await sleep(3000);
    const ticks = () => {
      const fields = readFileSync(`/proc/${watch.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    const t0 = ticks();
    await sleep(idleSeconds * 1000);
    const cpu = ((ticks() - t0) / 100 / idleSeconds) * 100;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${watch.child.pid}/status`, 'utf8'))[1]) / 1024;
    return { files, readyMs: Math.round(watch.readyMs), idleSeconds, idleCpuPercentOfOneCore: Number(cpu.toFixed(2)), rssMb: Math.round(rss) };
  } finally {
    await stop(watch, project, dir);
    if (kept === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# tscompose watch, node ${process.version}`);
console.log(JSON.stringify({ latency: await latency() }));
console.log(JSON.stringify({ idle: await idle() }));
