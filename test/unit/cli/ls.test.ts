import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../src/engine/engine.js';
import { listProjects } from '../../../src/cli/commands/ls.js';

const c = (project: string, state: ContainerSummary['state'], files = `/w/${project}/compose.yaml`): ContainerSummary => ({
  id: '', name: '', image: '', imageId: '', command: '', created: 0, state, status: '', ports: [], networks: [], networkIds: {}, mounts: [],
  labels: { 'com.docker.compose.project': project, 'com.docker.compose.project.config_files': files },
});

describe('ls', () => {
  it('groups containers by project label, counting states', () => {
    assert.deepEqual(listProjects([c('b', 'running'), c('a', 'exited'), c('b', 'exited'), c('b', 'running')]), [
      { name: 'a', status: 'exited(1)', configFiles: '/w/a/compose.yaml' },
      { name: 'b', status: 'exited(1), running(2)', configFiles: '/w/b/compose.yaml' },
    ]);
  });
});
