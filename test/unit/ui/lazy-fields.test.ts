import assert from 'node:assert/strict';
import { lazyFields } from '../../../src/ui/lazy-fields.js';
import { renderList } from '../../../src/ui/list-format.js';

describe('lazyFields: a row whose fields are computed on first read', () => {
  it('computes only what a template names, once, and still lists every field for json', () => {
    const calls: string[] = [];
    const row = lazyFields({
      Name: () => { calls.push('Name'); return 'web-1'; },
      CreatedAt: () => { calls.push('CreatedAt'); return '2026-12-02 03:00:00 +0000 UTC'; },
    });
    assert.equal(renderList('{{.Name}} {{.Name}}', [row], { table: 'table {{.Name}}', headers: {} }), 'web-1 web-1');
    assert.deepEqual(calls, ['Name']);
    assert.ok(Object.hasOwn(row, 'CreatedAt'));
    assert.deepEqual(JSON.parse(JSON.stringify(row)), { Name: 'web-1', CreatedAt: '2026-12-02 03:00:00 +0000 UTC' });
    assert.deepEqual(calls, ['Name', 'CreatedAt']);
  });
});
