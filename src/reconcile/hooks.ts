import type { ExecRequest, FileToCopy } from '../engine/engine.js';
import type { Project, Service, ServiceHook } from '../model/project.js';

export function hookRequest(hook: ServiceHook): ExecRequest {
  const env = hook.environment === undefined
    ? undefined
    : Object.keys(hook.environment).sort().map((k) => (hook.environment?.[k] == null ? k : `${k}=${hook.environment[k]}`));
  return {
    command: hook.command,
    ...(hook.user === undefined ? {} : { user: hook.user }),
    ...(hook.working_dir === undefined ? {} : { workingDir: hook.working_dir }),
    ...(env === undefined ? {} : { env }),
    ...(hook.privileged === undefined ? {} : { privileged: hook.privileged }),
  };
}

/**
 * Secrets and configs whose value comes from `environment` or `content`: they have no file to
 * bind-mount, so they are written into the container before it starts. Secrets land under
 * /run/secrets/, configs at /<name> unless a target says otherwise.
 */
export function filesToCopy(project: Project, service: Service): FileToCopy[] {
  const out: FileToCopy[] = [];
  for (const [kind, refs] of [['secret', service.secrets], ['config', service.configs]] as const) {
    for (const ref of refs ?? []) {
      const top = kind === 'secret' ? project.secrets[ref.source] : project.configs[ref.source];
      if (top === undefined || top.file !== undefined || top.external === true) continue;
      const content = top.content ?? (top.environment === undefined ? undefined : project.environment[top.environment]);
      if (content === undefined) continue;
      const root = kind === 'secret' ? '/run/secrets/' : '/';
      const target = ref.target === undefined ? `${root}${ref.source}` : ref.target.startsWith('/') ? ref.target : `${root}${ref.target}`;
      out.push({
        path: target,
        content,
        mode: ref.mode ?? 0o444,
        uid: Number(ref.uid ?? 0) || 0,
        gid: Number(ref.gid ?? 0) || 0,
      });
    }
  }
  return out;
}
