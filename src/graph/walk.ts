/**
 * Runs `visit` on every node once all the nodes it waits for are done, as many at once as the
 * graph allows (up to `concurrency`). The first failure stops new work; running visits finish,
 * then the first error is thrown. Nodes never started are reported as skipped.
 */
export interface WalkResult<Id extends string> {
  readonly done: readonly Id[];
  readonly skipped: readonly Id[];
}

export async function walkGraph<Id extends string>(
  waitsFor: ReadonlyMap<Id, readonly Id[]>,
  visit: (id: Id) => Promise<void>,
  options: { readonly concurrency?: number; readonly signal?: AbortSignal } = {},
): Promise<WalkResult<Id>> {
  const limit = options.concurrency ?? Infinity;
  const pending = new Map<Id, Set<Id>>();
  const dependents = new Map<Id, Id[]>();
  for (const [id, deps] of waitsFor) {
    const known = deps.filter((d) => waitsFor.has(d) && d !== id);
    pending.set(id, new Set(known));
    for (const d of known) dependents.set(d, [...(dependents.get(d) ?? []), id]);
  }
  const ready: Id[] = [...pending].filter(([, deps]) => deps.size === 0).map(([id]) => id);
  const done: Id[] = [];
  let running = 0;
  let failure: { error: unknown } | undefined;

  return new Promise((resolve, reject) => {
    const finish = (): void => {
      if (running > 0) return;
      const skipped = [...pending.keys()].filter((id) => !done.includes(id));
      if (failure !== undefined) reject(failure.error);
      else if (skipped.length > 0 && options.signal?.aborted !== true) {
        reject(new Error(`graph walk stalled with ${skipped.join(', ')} unreachable`));
      } else resolve({ done, skipped });
    };
    const pump = (): void => {
      while (failure === undefined && options.signal?.aborted !== true && running < limit && ready.length > 0) {
        const id = ready.shift() as Id;
        running++;
        visit(id).then(
          () => {
            running--;
            done.push(id);
            for (const next of dependents.get(id) ?? []) {
              const deps = pending.get(next);
              deps?.delete(id);
              if (deps?.size === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            running--;
            failure ??= { error };
            pump();
          },
        );
      }
      if (running === 0) finish();
    };
    pump();
  });
}
