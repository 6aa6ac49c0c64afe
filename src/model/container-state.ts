/**
 * What a container's state (as the engine reports it: created, running, paused, restarting,
 * removing, exited, dead) means for the planners. One home, so `start`, `stop`, `kill`, `up` and
 * `down` agree on which containers they act on.
 */

/** Its process runs, or the engine is about to run it again: starting it is a no-op, a kill reaches it. */
export function isRunning(state: string): boolean {
  return state === 'running' || state === 'restarting';
}

/** It has a process that only a stop ends: running, restarting, or paused (a paused one still holds its process). */
export function needsStop(state: string): boolean {
  return isRunning(state) || state === 'paused';
}
