/** The labels and names `docker stack` writes (docker/cli cli/compose/convert), so each tool sees the other's stacks. */
export const StackLabel = {
  namespace: 'com.docker.stack.namespace',
  /** The image as written in the compose file, before digest pinning. */
  image: 'com.docker.stack.image',
  /** Ours: the hash of the spec we sent, so an unchanged service is never updated. */
  specHash: 'io.tscompose.stack.spec-hash',
  /** Ours: on configs and secrets, the compose key they were made from (their names carry a content hash). */
  key: 'io.tscompose.stack.key',
} as const;

/** `<stack>_<name>`: services, and networks, configs and secrets without a `name:`. */
export function scoped(stack: string, name: string): string {
  return `${stack}_${name}`;
}

export function stackFilter(stack: string): string {
  return `${StackLabel.namespace}=${stack}`;
}
