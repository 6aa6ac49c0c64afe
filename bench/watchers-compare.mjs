#!/usr/bin/env node
// Compares file watchers on this machine: time from a write to its event (median, p95 over 100
// edits), CPU while idle, and memory, each watcher in its own process watching a large tree.
//
//   node bench/watchers-compare.mjs [--files 50000] [--modules DIR] [--idle 20] [--tree DIR]
//
// --tree keeps the generated tree in DIR for later runs (writing 50,000 files is slow on a busy disk).
// --modules is a folder whose node_modules hold the libraries to compare (chokidar 4,
// @parcel/watcher); the ones it lacks are skipped. Node's own fs.watch (recursive) always runs.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

async function load(modules, name) {
  const require = createRequire(join(modules, 'package.json'));
  return import(pathToFileURL(require.resolve(name)).href);
}

/** In the child: start one watcher, report ready, then time writes on request. */
async function child(kind, root, modules) {
  let onEvent = () => {};
  let close;
  if (kind === 'chokidar') {
    const chokidar = await load(modules, 'chokidar');
    const watcher = (chokidar.watch ?? chokidar.default.watch)(root, { ignoreInitial: true });
    watcher.on('all', (_e, path) => onEvent(path));
    await new Promise((resolve) => watcher.on('ready', resolve));
    close = () => watcher.close();
  } else if (kind === 'parcel') {
    const parcel = await load(modules, '@parcel/watcher');
    const sub = await (parcel.subscribe ?? parcel.default.subscribe)(root, (_err, events) => {
      for (const e of events) onEvent(e.path);
    });
    close = () => sub.unsubscribe();
  } else {
    const { watch } = await import('node:fs');
    const watcher = watch(root, { recursive: true }, (_e, name) => onEvent(join(root, String(name))));
    // Node's recursive watch on Linux walks the tree asynchronously after returning.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    close = () => watcher.close();
  }
  process.send({ type: 'ready' });
  process.on('message', async (message) => {
    if (message.type !== 'latency') return;
    const samples = [];
    for (let i = 0; i < message.edits; i++) {
      const file = join(root, 'pkg3', 'd3', `f${i % 100}.js`);
      const seen = new Promise((resolve) => (onEvent = (path) => path === file && resolve()));
      const start = performance.now();
      writeFileSync(file, `edit ${i}`);
      await seen;
      samples.push(performance.now() - start);
      onEvent = () => {};
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await close();
    process.send({ type: 'latency', samples });
  });
}

const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(kind, root, modules, idleSeconds) {
  const started = performance.now();
  const proc = fork(new URL(import.meta.url), ['--child', kind, '--root', root, '--modules', modules], { stdio: 'inherit' });
  const next = (type) => new Promise((resolve, reject) => {
    proc.once('message', (m) => (m.type === type ? resolve(m) : reject(new Error(JSON.stringify(m)))));
    proc.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
  await next('ready');
  const readyMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const t0 = cpuTicks(proc.pid);
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const idleCpu = ((cpuTicks(proc.pid) - t0) / 100 / idleSeconds) * 100;
  const rss = rssKb(proc.pid) / 1024;
  proc.send({ type: 'latency', edits: 100 });
  const { samples } = await next('latency');
  proc.kill();
  const sorted = samples.sort((a, b) => a - b);
  return { kind, readyMs: Math.round(readyMs), idleCpuPercent: Number(idleCpu.toFixed(2)), rssMb: Math.round(rss),
    medianMs: Number(percentile(sorted, 50).toFixed(2)), p95Ms: Number(percentile(sorted, 95).toFixed(2)) };
}

if (option('child') !== undefined) {
  await child(option('child'), option('root'), option('modules'));
} else {
  const files = Number(option('files', '50000'));
  const modules = option('modules', process.cwd());
  const idle = Number(option('idle', '20'));
  const kept = option('tree');
  const root = kept ?? mkdtempSync(join(tmpdir(), 'watchers-'));
  try {
    if (!existsSync(join(root, `.complete-${files}`))) {
      for (let d = 0; d < files / 100; d++) {
        const dir = join(root, `pkg${d % 25}`, `d${d}`);
        mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.js`), 'x');
      }
      writeFileSync(join(root, `.complete-${files}`), '');
    }
    const kinds = ['node-fs-watch'];
    for (const [kind, name] of [['chokidar', 'chokidar'], ['parcel', '@parcel/watcher']]) {
      try {
        createRequire(join(modules, 'package.json')).resolve(name);
        kinds.push(kind);
      } catch { console.error(`skipping ${kind}: ${name} not found under ${modules}`); }
    }
    console.log(`# ${files} files, idle ${idle}s, node ${process.version}`);
    for (const kind of kinds) console.log(JSON.stringify(await measure(kind, root, modules, idle)));
  } finally {
    if (kept === undefined) rmSync(root, { recursive: true, force: true });
  }
}
