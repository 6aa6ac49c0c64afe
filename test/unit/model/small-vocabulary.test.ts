import assert from 'node:assert/strict';
import { splitKeyValue } from '../../../src/model/key-value.js';
import { belongsToProject, containerNumberOf, isOneoff } from '../../../src/model/labels.js';
import { byName, compareNames } from '../../../src/model/name-order.js';

describe('small shared vocabulary', () => {
  it('splitKeyValue splits at the first = and tells a bare key from an empty value', () => {
    assert.deepEqual(splitKeyValue('A=b=c'), { key: 'A', value: 'b=c' });
    assert.deepEqual(splitKeyValue('A='), { key: 'A', value: '' });
    assert.deepEqual(splitKeyValue('A'), { key: 'A', value: undefined });
  });

  it('reads the project, one-off and number labels as Compose writes them', () => {
    const labels = { 'com.docker.compose.project': 'app', 'com.docker.compose.oneoff': 'False', 'com.docker.compose.container-number': '3' };
    assert.equal(belongsToProject(labels, 'app'), true);
    assert.equal(belongsToProject(labels, 'app2'), false);
    assert.equal(isOneoff(labels), false);
    assert.equal(isOneoff({ 'com.docker.compose.oneoff': 'True' }), true);
    assert.equal(containerNumberOf(labels), 3);
    assert.equal(containerNumberOf({}), 0);
    assert.equal(containerNumberOf({ 'com.docker.compose.container-number': 'x' }), 0);
  });

  it('orders names as people read them', () => {
    assert.ok(compareNames('web-2', 'web-10') < 0);
    assert.deepEqual([{ name: 'a-10' }, { name: 'a-9' }].sort(byName).map((n) => n.name), ['a-9', 'a-10']);
  });
});
