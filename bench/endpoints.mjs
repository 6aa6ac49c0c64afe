#!/usr/bin/env node
// One run: `ps` and a no-op `up -d` over the local socket, over TLS and over ssh, beside `docker ps`
// over the same endpoint. The TLS and ssh endpoints are a second dockerd of the test helpers
// (its own network namespace, certificates and sshd). Needs root and `npm run build` first.
// Usage: node bench/endpoints.mjs [-n REPS]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startSecondEngine } = await import(join(root, 'dist/test/helpers/second-engine.js'));
const { startSshServer } = await import(join(root, 'dist/test/helpers/ssh-server.js'));
const main = join(root, 'dist/bin/main.js');
const reps = Number(process.argv[process.argv.indexOf('-n') + 1] || 5) || 5;

const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-endpoints-'));
writeFileSync(join(dir, 'compose.yaml'), `services:\n${[1, 2, 3, 4, 5].map((i) => `  s${i}:\n    image: tscompose/busybox:1\n    command: ["sleep", "3600"]\n`).join('')}`);
const project = 'tsct-bench-endpoints';
const second = await startSecondEngine();
const ssh = await startSshServer(second.dir, second.socket);
const base = { ...process.env, DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '', DOCKER_TLS: '', DOCKER_CERT_PATH: '', NO_COLOR: '1' };
const endpoints = {
  'local socket': { ...base, DOCKER_HOST: 'unix:///var/run/docker.sock' },
  TLS: { ...base, DOCKER_HOST: second.tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: second.certDir },
  ssh: { ...base, DOCKER_HOST: `ssh://root@${ssh.host}`, PATH: `${ssh.binDir}:${process.env.PATH}` },
};

// Asynchronous on purpose: the TLS port's forwarder runs in this process and must keep pumping.
function time(command, args, env) {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0
      ? resolve(Number(process.hrtime.bigint() - start) / 1e9)
      : reject(new Error(`${command} ${args.join(' ')}: ${stderr}`))));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
try {
  for (const [name, env] of Object.entries(endpoints)) {
    await time(process.execPath, [main, '-p', project, 'up', '-d'], env);
    const samples = { ps: [], 'up -d (no-op)': [], 'docker ps': [] };
    for (let i = 0; i < reps; i++) {
      samples.ps.push(await time(process.execPath, [main, '-p', project, 'ps'], env));
      samples['up -d (no-op)'].push(await time(process.execPath, [main, '-p', project, 'up', '-d'], env));
      samples['docker ps'].push(await time('docker', ['ps', '--filter', `label=com.docker.compose.project=${project}`], env));
    }
    await time(process.execPath, [main, '-p', project, 'down'], env);
    rows.push([name, ...Object.values(samples).map((s) => median(s).toFixed(3))]);
  }
} finally {
  await ssh.stop();
  await second.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`medians of ${reps}, seconds, 5 services\n`);
console.log('| endpoint | tscompose ps | tscompose up -d (no-op) | docker ps |\n|---|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
