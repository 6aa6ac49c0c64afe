/** The label keys Docker Compose writes, spelt exactly as it does (docker/compose pkg/api/labels.go). */
export const Label = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  slug: 'com.docker.compose.slug',
  configHash: 'com.docker.compose.config-hash',
  image: 'com.docker.compose.image',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  imageBuilder: 'com.docker.compose.image.builder',
  hook: 'com.docker.compose.hook',
  /** Ours: marks resources made by tscompose, beside Compose's own labels. */
  engine: 'com.docker.compose.engine',
} as const;
export type LabelKey = (typeof Label)[keyof typeof Label];

/**
 * The Compose version we write into `com.docker.compose.version`. Docker Compose reads it only for
 * display, so we write a Compose-like version that tells the two apart in `docker inspect`.
 */
export const COMPOSE_VERSION_LABEL = '2.40.0';

export const ENGINE_LABEL_VALUE = 'tscompose';

export function projectFilter(project: string): string {
  return `${Label.project}=${project}`;
}

export function serviceFilter(service: string): string {
  return `${Label.service}=${service}`;
}

type Labels = Readonly<Record<string, string>>;

/** Whether the labels say the resource is this project's: the check before anything is touched. */
export function belongsToProject(labels: Labels, project: string): boolean {
  return labels[Label.project] === project;
}

/** A one-off container (`run`, `test --service`), not one of a service's replicas. */
export function isOneoff(labels: Labels): boolean {
  return labels[Label.oneoff] === 'True';
}

/** The replica number of a service container; 0 when it has none (a one-off, or a foreign label). */
export function containerNumberOf(labels: Labels): number {
  return Number(labels[Label.containerNumber] ?? 0) || 0;
}
