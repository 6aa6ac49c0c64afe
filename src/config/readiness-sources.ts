import { UsageError } from '../errors.js';
import type { ReadinessCheck, ServiceReadiness } from '../model/readiness.js';

/**
 * The files' readiness checks plus those given on the command line or to the API: the extra
 * checks are added to a service's own (its ready_timeout stays). Fails on a service the project
 * does not have, so a typo is not a check that silently never runs.
 */
export function combineReadiness(
  fromFiles: readonly ServiceReadiness[],
  extra: readonly { readonly service: string; readonly check: ReadinessCheck }[],
  knownServices: readonly string[],
): ServiceReadiness[] {
  const byService = new Map<string, ServiceReadiness>(fromFiles.map((r) => [r.service, r]));
  for (const { service, check } of extra) {
    if (!knownServices.includes(service)) {
      throw new UsageError(`readiness check for an unknown service: ${service}`, `known services: ${[...knownServices].sort().join(', ')}`);
    }
    const current = byService.get(service);
    byService.set(service, { ...current, service, checks: [...(current?.checks ?? []), check] });
  }
  return [...byService.values()].sort((a, b) => a.service.localeCompare(b.service));
}
