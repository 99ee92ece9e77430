/**
 * What a message's request state means (waiting, working, ok, failed): what transports read to
 * close cards and end checklists, never the state's name.
 */
import { workflowRegistry } from '../../workflows/index.ts';
import { statePhases } from '../../workflows/workflow-module.ts';
import type { StatePhase } from '../../workflows/workflow-module.ts';
import type { ChatOutbound } from './chat-message.ts';

const registeredPhases = statePhases(workflowRegistry);

/**
 * The phase the message carries (the notifier and the chat service set it from the request's
 * workflow); one built without it is read by its state's name in the registry. Undefined when the
 * message is about no request state.
 */
export function messagePhase(message: Pick<ChatOutbound, 'state' | 'phase'>): StatePhase | undefined {
  if (message.phase) return message.phase;
  if (message.state === undefined || message.state === '') return undefined;
  return registeredPhases[message.state] ?? 'working';
}
