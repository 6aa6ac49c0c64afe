import assert from 'node:assert/strict';
import { DockerEngine } from '../../src/engine/docker-engine.js';
import { resolveEngineAddress } from '../../src/engine/docker-host.js';
import { projectFilter } from '../../src/model/labels.js';
import { TEST_IMAGE, cleanupProject, eventually, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

// db turns healthy only after a few seconds, so `up -d` is still waiting on it (dependents created,
// not started) when the signal arrives.
const compose = `services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "sleep 4; touch /tmp/ok; sleep 300"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 1s, retries: 30}
${[1, 2, 3].map((i) => `  app${i}:
    image: ${TEST_IMAGE}
    command: ["sleep", "300"]
    depends_on: {db: {condition: service_healthy}}
`).join('')}`;

describe('an interrupted up -d', function () {
  this.timeout(90_000);
  const engine = new DockerEngine(resolveEngineAddress(process.env));
  let dir: string;
  before(() => { dir = projectDir({ 'compose.yaml': compose }); });
  after(() => removeDir(dir));

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`exits ${code} on ${signal} while waiting on a dependency, and the next up -d converges`, async () => {
      const project = uniqueProjectName(`intr-${signal.toLowerCase()}`);
      try {
        const up = startTscompose(['-p', project, '--progress', 'plain', 'up', '-d'], { cwd: dir });
        await eventually(() => /db-1\s+Started/.test(up.output().stderr), 30_000, 'db started, its dependents waiting');
        up.child.kill(signal);
        assert.equal(await up.exited, code, up.output().stderr);

        const again = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
        assert.equal(again.code, 0, again.stderr);
        const containers = await engine.containers.list({ all: true, labels: [projectFilter(project)] });
        assert.deepEqual(containers.map((c) => c.state).sort(), ['running', 'running', 'running', 'running'],
          containers.map((c) => `${c.name} ${c.state}`).join('\n'));
        assert.equal(new Set(containers.map((c) => c.name)).size, 4);
        assert.ok(containers.every((c) => /^tsct-.*-(db|app\d)-1$/.test(c.name)), containers.map((c) => c.name).join(' '));
      } finally {
        await cleanupProject(project);
      }
    });
  }
});
