import { badRequest } from './api-status.ts';
import type { KubeObject } from './kube-object.ts';

/** What `GET …/pods/{name}/log` serves: probe output by pod uid; other started pods log nothing. */
export class PodLogs {
  private readonly texts = new Map<string, string>();

  set(uid: string, text: string): void {
    this.texts.set(uid, text);
  }

  /** Forgets the logs of pods that are gone. */
  retain(uids: ReadonlySet<string>): void {
    for (const uid of this.texts.keys()) if (!uids.has(uid)) this.texts.delete(uid);
  }

  /**
   * The container's log, or the 400 kube-apiserver answers: a pod of several containers needs
   * `container`, and a container that has not started has no log yet.
   */
  read(pod: KubeObject, container: string | null, tailLines: string | null): string {
    const name = pod.metadata.name;
    const names = ((pod.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
    if (container === null && names.length > 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
      );
    }
    const chosen = container ?? names[0] ?? '';
    if (!names.includes(chosen)) throw badRequest(`container ${chosen} is not valid for pod ${name}`);
    const status = (
      (pod.status?.containerStatuses ?? []) as {
        name: string;
        state?: { running?: unknown; terminated?: unknown; waiting?: { reason?: string } };
      }[]
    ).find((s) => s.name === chosen);
    if (
      status === undefined ||
      (status.state?.running === undefined && status.state?.terminated === undefined)
    ) {
      const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
      throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start: ${reason}`);
    }
    // Probe output belongs to the first container, the one that runs the probe.
    const text = chosen === names[0] ? (this.texts.get(pod.metadata.uid ?? '') ?? '') : '';
    if (tailLines === null || !/^\d+$/.test(tailLines)) return text;
    const lines = text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
    return lines
      .slice(Math.max(0, lines.length - Number(tailLines)))
      .map((line) => `${line}\n`)
      .join('');
  }
}
