/**
 * The calls one step job makes through its ports (Tencent Cloud, Kubernetes), seen from the worker
 * that runs it. Once the replica is stopping, a call already in flight runs to its end (and is
 * audited as usual), but no new call starts: it is refused with HANDED_BACK before its intent is
 * recorded. `settled()` tells when the last admitted call has answered, so the job can be handed to
 * another replica without two replicas ever calling for the same step at the same time.
 */
import { AppError } from '../errors.ts';

export interface StepCalls {
  /** The port with every method gated: refused once stopping, counted while in flight. */
  guard<P extends object>(port: P): P;
  /** Resolves once no admitted call is still running. */
  settled(): Promise<void>;
}

export function createStepCalls(stopping: AbortSignal): StepCalls {
  const inFlight = new Set<Promise<unknown>>();
  const refusal = () =>
    new AppError('HANDED_BACK', 'This replica is stopping; the step is handed to another replica.');

  return {
    guard(port) {
      const gated = new Map<PropertyKey, unknown>();
      return new Proxy(port, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          let fn = gated.get(property);
          if (fn === undefined) {
            fn = (...args: unknown[]): unknown => {
              if (stopping.aborted) return Promise.reject(refusal());
              const result: unknown = Reflect.apply(value, target, args);
              if (result instanceof Promise) {
                const tracked = result.finally(() => inFlight.delete(tracked)).catch(() => undefined);
                inFlight.add(tracked);
              }
              return result;
            };
            gated.set(property, fn);
          }
          return fn;
        },
      });
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
