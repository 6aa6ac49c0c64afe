import type { Engine, StdioSession } from '../engine/engine.js';
import { Label, projectFilter } from '../model/labels.js';
import { shortContainerName } from '../model/naming.js';
import type { LogPrinter } from '../ui/log-printer.js';

export interface ContainerExit {
  readonly service: string;
  readonly name: string;
  readonly code: number;
}

/**
 * Attached `up`'s view of the containers: streams the output of every container of the attached
 * services (attached before they start, and again after a restart or recreate), prints Compose's
 * status lines, and reports each final exit.
 */
export class AttachWatcher {
  private readonly attached = new Set<string>();
  /** Containers attached and not exited for good, by ID. */
  private readonly running = new Map<string, string>();
  private readonly sessions: Promise<void>[] = [];
  /** Connections still open, closed by close() (watch leaves its containers running). */
  private readonly open = new Set<StdioSession>();
  private readonly controller = new AbortController();
  private idleResolve: (() => void) | undefined;
  private allAttached = false;
  /** Resolves when every watched container has exited (and none is restarting). */
  readonly idle: Promise<void>;

  constructor(
    private readonly engine: Engine,
    private readonly project: string,
    private readonly services: ReadonlySet<string>,
    private readonly printer: LogPrinter,
    private readonly onExit: (exit: ContainerExit) => void,
  ) {
    this.idle = new Promise((resolve) => (this.idleResolve = resolve));
  }

  /** Subscribes to the project's container events; call before anything starts. */
  watch(): void {
    const events = this.engine.system.events(
      { type: ['container'], event: ['start', 'die'], label: [projectFilter(this.project)] },
      this.controller.signal,
    );
    void (async () => {
      for await (const event of events) {
        if (event.action === 'start') await this.onStart(event.id).catch(() => undefined);
        else await this.onDie(event.id, Number(event.attributes['exitCode'] ?? 0)).catch(() => undefined);
      }
    })().catch(() => undefined);
  }

  /** Attaches to a container (by name or ID) if its service is watched. Resolves once attached. */
  async attach(container: string): Promise<void> {
    const details = await this.engine.containers.inspect(container);
    const service = details.labels[Label.service] ?? '';
    if (!this.services.has(service) || details.labels[Label.oneoff] === 'True') return;
    if (this.attached.has(details.id)) return;
    this.attached.add(details.id);
    const name = shortContainerName(this.project, details.name);
    this.running.set(details.id, name);
    const writer = this.printer.writer(name);
    const session = await this.engine.containers.attach(details.id, {
      tty: details.tty,
      stdin: false,
      onOutput: (stream, data) => writer.push(stream, data),
    });
    session.endInput();
    this.open.add(session);
    this.sessions.push(session.done.then(() => {
      this.open.delete(session);
      writer.flush();
      this.attached.delete(details.id);
    }));
  }

  /** Everything `up` starts has been attached: from now on, no running container means done. */
  attachedAll(): void {
    this.allAttached = true;
    if (this.running.size === 0) this.idleResolve?.();
  }

  /** Stops watching; waits for the output already on its way, then hangs up on containers still running. */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.race([Promise.allSettled(this.sessions), new Promise((resolve) => setTimeout(resolve, 1000))]);
    for (const session of this.open) session.close();
  }

  private async onStart(id: string): Promise<void> {
    if (this.attached.has(id)) return;
    const details = await this.engine.containers.inspect(id);
    const service = details.labels[Label.service] ?? '';
    if (!this.services.has(service)) return;
    const replaced = details.labels[Label.replace];
    if (replaced !== undefined && !this.running.has(id)) {
      this.printer.status(shortContainerName(this.project, replaced), 'has been recreated');
    }
    await this.attach(id);
  }

  private async onDie(id: string, code: number): Promise<void> {
    const name = this.running.get(id);
    if (name === undefined) return;
    const details = await this.engine.containers.inspect(id).catch(() => undefined);
    if (details !== undefined && (details.state === 'restarting' || details.running)) {
      this.printer.status(name, `exited with code ${code} (restarting)`);
      return;
    }
    this.printer.status(name, `exited with code ${code}`);
    this.running.delete(id);
    this.onExit({ service: details?.labels[Label.service] ?? '', name, code });
    if (this.allAttached && this.running.size === 0) this.idleResolve?.();
  }
}
