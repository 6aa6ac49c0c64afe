import assert from 'node:assert/strict';
import { containerName, isDefaultContainerName, shortContainerName } from '../../../src/model/naming.js';
import { defaultUpPlanOptions, planUp } from '../../../src/reconcile/plan.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { project, runningContainer, service, snapshot } from '../../helpers/project-fixture.js';

describe('--compatibility: Compose v1 container names', () => {
  const v1 = project('shop', { web: service({ depends: ['db'] }), db: service() }, { name_separator: '_' });

  it('new containers are named <project>_<service>_<n>', () => {
    assert.equal(formatPlan(planUp(v1, snapshot(v1, []), { ...defaultUpPlanOptions, scale: { web: 2 } })), [
      'container:shop_db_1   create  not found',
      'container:shop_db_1   start   created  after container:shop_db_1#create',
      'container:shop_web_1  create  not found',
      'container:shop_web_1  start   created  after container:shop_web_1#create, container:shop_db_1#start',
      'container:shop_web_2  create  not found',
      'container:shop_web_2  start   created  after container:shop_web_2#create, container:shop_db_1#start',
    ].join('\n'));
  });

  it('containers named with the other separator are found by their labels and kept, not renamed', () => {
    const v2 = project('shop', { web: service({ depends: ['db'] }), db: service() });
    const made = [runningContainer(v2, 'web', 1), runningContainer(v2, 'db', 1)];
    assert.equal(formatPlan(planUp(v1, snapshot(v1, made), defaultUpPlanOptions)), 'nothing to do');
    const back = [runningContainer(v1, 'web', 1), runningContainer(v1, 'db', 1)].map((c) => ({ ...c, name: containerName('shop', c.service, 1, '_') }));
    assert.equal(formatPlan(planUp(v2, snapshot(v2, back), defaultUpPlanOptions)), 'nothing to do');
  });

  it('a recreated container takes this run\'s separator', () => {
    const v2 = project('shop', { web: service({ environment: { A: '1' } }) });
    const changed = project('shop', { web: service({ environment: { A: '2' } }) }, { name_separator: '_' });
    const plan = formatPlan(planUp(changed, snapshot(changed, [runningContainer(v2, 'web', 1)]), defaultUpPlanOptions));
    assert.match(plan, /^container:shop_web_1 +create +changed: environment/m);
  });

  it('a service built without image: is tagged <project>_<service>, as Compose\'s GetImageNameOrDefault does', () => {
    const built = project('shop', { web: service({ image: undefined, build: { context: '.' } }) }, { name_separator: '_' });
    const plan = planUp(built, snapshot(built, []), defaultUpPlanOptions);
    const build = plan.nodes.find((n) => n.operation.type === 'build-image')?.operation;
    assert.equal(build?.type === 'build-image' ? build.image : undefined, 'shop_web');
    const create = plan.nodes.find((n) => n.operation.type === 'create-container')?.operation;
    assert.equal(create?.type === 'create-container' ? create.spec.body['Image'] : undefined, 'shop_web');
  });

  it('log prefixes drop the project with either separator', () => {
    assert.equal(shortContainerName('shop', 'shop_web_1'), 'web_1');
    assert.equal(shortContainerName('shop', '/shop-web-1'), 'web-1');
    assert.ok(isDefaultContainerName('shop_web_2', 'shop', 'web', 2));
    assert.ok(!isDefaultContainerName('abc_shop-web-2', 'shop', 'web', 2));
  });
});
