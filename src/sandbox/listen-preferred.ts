/**
 * Starts a server on its preferred port, or on any free one when that is taken. Binding is the
 * test — no probe first — so two sandboxes starting at the same moment cannot both be promised
 * a port only one of them gets. A port the user named (`exact`) is refused clearly instead.
 */
import { AppError } from '../errors.ts';

export interface PortChoice {
  port: number;
  /** The user asked for this port (`--port`): fail rather than move. */
  exact: boolean;
}

export async function listenPreferred<T>(
  choice: PortChoice,
  what: string,
  start: (port: number) => Promise<T>,
): Promise<T> {
  try {
    return await start(choice.port);
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    if (choice.exact) throw portTaken(choice.port, what);
    return start(0);
  }
}

export function portTaken(port: number, what: string): AppError {
  return new AppError('CONFIG_INVALID', `Port ${port} (${what}) is already in use.`, {
    hint: 'Stop what listens there, or start the sandbox with another --port (it uses that port and the four after it).',
  });
}

export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** The sandbox's five servers on `base` and the four ports after it. */
export function sandboxPorts(base: number, exact: boolean) {
  const at = (offset: number): PortChoice => ({ port: base + offset, exact });
  return { console: at(0), cloud: at(1), kubernetes: at(2), slack: at(3), wecom: at(4) };
}
