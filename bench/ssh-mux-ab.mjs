#!/usr/bin/env node
// A/B over ssh: `ps` and a no-op `up -d` of 5 services by two builds of tscompose (BEFORE and AFTER
// checkouts, each built with `npm run build`), alternating, against a second dockerd behind the
// test sshd; counts the ssh processes each command starts. Needs root.
// Usage: node bench/ssh-mux-ab.mjs /path/to/before /path/to/after
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const [before, after] = process.argv.slice(2);
const reps = 5;
const { startSecondEngine } = await import(join(after, 'dist/test/helpers/second-engine.js'));
const { startSshServer } = await import(join(after, 'dist/test/helpers/ssh-server.js'));
const dir = mkdtempSync(join(tmpdir(), 'tscompose-ep2-'));
writeFileSync(join(dir, 'compose.yaml'), `services:\n${[1, 2, 3, 4, 5].map((i) => `  s${i}:\n    image: tscompose/busybox:1\n    command: ["sleep", "3600"]\n`).join('')}`);
const second = await startSecondEngine();
const ssh = await startSshServer(second.dir, second.socket);
const log = join(dir, 'ssh.log');
const wrapDir = join(dir, 'wrap'); mkdirSync(wrapDir);
writeFileSync(join(wrapDir, 'ssh'), `#!/bin/sh\necho x >> ${log}\nexec ${ssh.binDir}/ssh "$@"\n`); chmodSync(join(wrapDir, 'ssh'), 0o755);
const env = { ...process.env, DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '', NO_COLOR: '1', DOCKER_HOST: `ssh://root@${ssh.host}`, PATH: `${wrapDir}:${process.env.PATH}` };
const count = () => existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
function time(command, args) {
  const start = process.hrtime.bigint(); const c0 = count();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = ''; child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => code === 0 ? resolve([Number(process.hrtime.bigint() - start) / 1e9, count() - c0]) : reject(new Error(stderr)));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = {};
const add = (k, v) => { (s[k] ??= []).push(v); };
try {
  await time(process.execPath, [join(after, 'dist/bin/main.js'), '-p', 'tsct-ep2', 'up', '-d']);
  for (let i = 0; i < reps; i++) {
    for (const [name, root] of [['before', before], ['after', after]]) {
      const main = join(root, 'dist/bin/main.js');
      const [tp, np] = await time(process.execPath, [main, '-p', 'tsct-ep2', 'ps']); add(`${name} ps`, tp); add(`${name} ps ssh`, np);
      const [tu, nu] = await time(process.execPath, [main, '-p', 'tsct-ep2', 'up', '-d']); add(`${name} up`, tu); add(`${name} up ssh`, nu);
    }
    const [td] = await time('docker', ['ps', '--filter', 'label=com.docker.compose.project=tsct-ep2']); add('docker ps', td);
    const [tb] = await time('ssh', ['-l', 'root', '-p', ssh.host.split(':')[1], '127.0.0.1', 'true']); add('bare ssh true', tb);
  }
  await time(process.execPath, [join(after, 'dist/bin/main.js'), '-p', 'tsct-ep2', 'down']);
} finally { await ssh.stop(); await second.stop(); rmSync(dir, { recursive: true, force: true }); }
for (const [k, v] of Object.entries(s)) console.log(k.padEnd(16), median(v).toFixed(3), JSON.stringify(v.map((x) => +x.toFixed(2))));
