/**
 * The conversation service: parse the line, find the person, and hand the command to its handler.
 * It runs on the chat queue's worker, never inline in a webhook; changes are never made here, only
 * requested: planning and every write are steps of a workflow.
 */
import { parseCommand } from '../commands/parse-command.ts';
import { helpText } from '../commands/help-text.ts';
import type { Command } from '../commands/command.ts';
import { isAppError, toAppError } from '../errors.ts';
import type { ChatInbound, ChatOutbound, ChatTransport } from './chat-message.ts';
import type { ChatDeps, ChatTurn } from './chat-turn.ts';
import type { Engine } from '../engine/engine.ts';
import { replyTexts } from './reply-texts.ts';
import { decide } from './handlers/decide.ts';
import { steerRequest } from './handlers/steer-request.ts';
import { showRequest } from './handlers/show-request.ts';
import { listRequests } from './handlers/list-requests.ts';
import { explain } from './handlers/explain.ts';
import { showApp } from './handlers/show-app.ts';
import { showPolicies } from './handlers/show-policies.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import { statePhases } from '../../workflows/workflow-module.ts';
import type { WorkflowsDep } from './handlers/workflow-of.ts';
import type { ChatLine, OpenRequestHandler, WorkflowModule } from '../../workflows/workflow-module.ts';

export type { ChatServiceSettings } from './chat-turn.ts';

export interface ChatService {
  /**
   * Handles one line. A retryable failure (Postgres away) before the line changed anything is
   * thrown, so the queue tries the line again later, unless this is its `lastAttempt`: then the
   * person is told that nothing was changed and to say it again.
   */
  handle(inbound: ChatInbound, options?: { lastAttempt?: boolean }): Promise<void>;
}

export function createChatService(
  deps: ChatDeps & {
    transports: Partial<Record<ChatInbound['platform'], ChatTransport>>;
    /** The workflows a line may open (default: workflows/index.ts). */
    workflows?: readonly WorkflowModule[];
  },
): ChatService {
  const { policy, transports, clock, logger } = deps;
  const workflows = deps.workflows ?? workflowRegistry;
  // Answers about a request carry what its state means, as the notifier's messages do.
  const phases = statePhases(workflows);

  /** The first workflow that takes the line as one that opens it. */
  const openerOf = (line: ChatLine): OpenRequestHandler | null => {
    for (const w of workflows) {
      const open = w.opens?.(line);
      if (open) return open;
    }
    return null;
  };

  return {
    async handle(inbound, options = {}) {
      const parsed = parseCommand(inbound.text);
      const person = policy.personByPlatformId(inbound.platform, inbound.platformUserId);
      // One language per person: theirs when the policy names it, else the language of the line.
      const locale = person?.locale ?? parsed.locale;
      const t = replyTexts[locale];
      const reply = async (text: string, extra: Partial<ChatOutbound> = {}) => {
        const transport = transports[inbound.platform];
        if (!transport) throw new Error(`no transport for ${inbound.platform}`);
        await transport.send({
          platform: inbound.platform,
          conversationId: inbound.conversationId,
          ...(inbound.threadId ? { threadId: inbound.threadId } : {}),
          inReplyTo: inbound.messageId,
          inReplyToUser: inbound.platformUserId,
          locale,
          kind: 'reply',
          text,
          ...(extra.state ? { phase: phases[extra.state] ?? 'working' } : {}),
          ...extra,
        });
      };

      if (!person) return reply(t.unknownPerson({ user: inbound.platformUserId }), { kind: 'error' });
      const line: ChatLine = { text: inbound.text, command: parsed.ok ? parsed.command : null };
      const opener = openerOf(line);
      if (!parsed.ok && !opener)
        // The parser's note is in the language of the line; quoted when the person reads the other.
        return reply(
          (parsed.locale === locale ? t.parseError : t.parseErrorQuoted)({
            message: parsed.message,
            suggestion: parsed.suggestion,
          }),
          {
            kind: 'error',
          },
        );

      const turn: ChatTurn = {
        inbound,
        personId: person.id,
        locale,
        t,
        at: clock.now().toISOString(),
        reply,
        decision: (requestId, action, outcome, details = {}) => ({
          requestId,
          actor: person.id,
          kind: 'decision',
          system: 'chat',
          action,
          target: requestId ?? '-',
          outcome,
          durationMs: null,
          cloudRequestId: null,
          details: {
            platform: inbound.platform,
            conversationId: inbound.conversationId,
            messageId: inbound.messageId,
            ...details,
          },
          callId: null,
        }),
      };
      // A line may be tried again only while it has changed nothing: a request opened, a decision
      // recorded. The engine is the only way handlers change anything.
      let changed = false;
      const engine = changesTracked(deps.engine, () => {
        changed = true;
      });
      try {
        // Handlers that read a request's workflow find it in the same registry.
        const handlerDeps = { ...deps, engine, workflows };
        if (parsed.ok) await run(parsed.command, opener, turn, handlerDeps);
        else await opener!(turn, handlerDeps);
      } catch (error) {
        const e = toAppError(error);
        if (e.retryable && !changed && !options.lastAttempt) {
          logger.warn(
            { code: e.code, messageId: inbound.messageId },
            'chat line failed before it changed anything; it is tried again',
          );
          throw e;
        }
        if (e.code === 'DATABASE_UNAVAILABLE') {
          logger.error(
            { err: e, messageId: inbound.messageId, changed },
            changed
              ? 'chat line lost its database after it changed something; not tried again'
              : 'chat line given up: the database stayed away for every try',
          );
          return reply(t.databaseUnavailable({ ref: inbound.messageId, changed }), { kind: 'error' });
        }
        if (isAppError(error) && e.code === 'REQUEST_NOT_FOUND') {
          return reply(
            t.noSuchRequest({
              id: parsed.ok && 'requestId' in parsed.command ? parsed.command.requestId : '?',
            }),
            {
              kind: 'error',
            },
          );
        }
        logger.error({ err: e, messageId: inbound.messageId }, 'chat command failed');
        return reply(t.internalError({ ref: inbound.messageId }), { kind: 'error' });
      }
    },
  };
}

/** Runs a parsed line: the commands every workflow shares here, a line that opens a request by its workflow. */
async function run(
  command: Command,
  opener: OpenRequestHandler | null,
  turn: ChatTurn,
  deps: ChatDeps & WorkflowsDep,
): Promise<void> {
  // A cluster sgops does not serve is refused before any handler looks at it.
  const named = 'clusterId' in command ? command.clusterId : undefined;
  const known = deps.settings.clusterIds;
  if (named !== undefined && !known.includes(named))
    return turn.reply(turn.t.unknownCluster({ cluster: named, known: known.join(', ') }), {
      kind: 'error',
    });
  switch (command.kind) {
    case 'help':
      return turn.reply(helpText(turn.locale, command.topic));
    case 'approve':
    case 'deny':
      return decide(command, turn, deps);
    case 'cancel':
    case 'retry':
    case 'rollback':
      return steerRequest(command, turn, deps);
    case 'status':
    case 'audit':
      return showRequest(command, turn, deps);
    case 'requests':
      return listRequests(command, turn, deps);
    case 'statusApp':
      return showApp(command, turn, deps);
    case 'explain':
      return explain(command, turn, deps);
    case 'statusPolicies':
      return showPolicies(command, turn, deps);
  }
  // Every line that opens a request is its workflow's (grant, plan, revoke, …).
  if (opener) return opener(turn, deps);
  return turn.reply(turn.t.noWorkflowOpens({ message: turn.inbound.text }), { kind: 'error' });
}

/** The engine, telling `onChange` once a call that changes something has returned. */
function changesTracked(engine: Engine, onChange: () => void): Engine {
  return {
    read: (requestId) => engine.read(requestId),
    async open(...args) {
      const opened = await engine.open(...args);
      onChange();
      return opened;
    },
    async deliver(...args) {
      const delivered = await engine.deliver(...args);
      onChange();
      return delivered;
    },
    async recordAudit(entries) {
      await engine.recordAudit(entries);
      onChange();
    },
  };
}
