import type { Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { judgeCondition } from './container-judges.js';
import { followContainers } from './follow-containers.js';
import type { AwaitCondition } from './plan-types.js';

/** Waits until every container of a dependency meets its depends_on condition. */
export async function waitForCondition(
  engine: Engine,
  condition: AwaitCondition,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } = {},
): Promise<void> {
  if (condition.condition === 'service_started') return;
  const { outcome, verdicts } = await followContainers(engine, condition.containers, judgeCondition(condition.condition), options);
  switch (outcome) {
    case 'met':
      return;
    case 'aborted':
      throw new RuntimeError('interrupted while waiting for dependencies');
    case 'timeout':
      throw dependencyFailed(condition, `timed out waiting for ${condition.condition.replace('service_', '')}`);
    case 'failed': {
      const failed = condition.containers.map((name) => verdicts.get(name)).find((v) => v?.kind === 'failed');
      throw dependencyFailed(condition, failed?.kind === 'failed' ? failed.reason : 'failed');
    }
  }
}

function dependencyFailed(condition: AwaitCondition, reason: string): RuntimeError {
  return new RuntimeError(
    `dependency ${condition.service} failed to start: ${reason}`,
    condition.condition === 'service_healthy'
      ? `see its logs: tscompose logs ${condition.service}`
      : undefined,
  );
}
