/**
 * The conversation service: parse the line, authorise the person, then open a request or deliver
 * an event to its workflow. It runs on the chat queue's worker, never inline in a webhook, and it
 * never calls a cloud API: planning and every change are steps of the workflow.
 */
import type { Logger } from 'pino';
import { parseCommand } from '../commands/parse-command.ts';
import { helpText } from '../commands/help-text.ts';
import type { Command, Locale } from '../commands/command.ts';
import { newRequestId } from '../domain/request-id.ts';
import { podGroupName } from '../domain/pod-group-name.ts';
import { policyName } from '../domain/policy-name.ts';
import type { Engine } from '../engine/engine.ts';
import { isAppError, toAppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { AuditEntry, StoreTx } from '../store/store.ts';
import type { GrantContext, GrantInput } from '../../workflows/grant/types.ts';
import type { ChatInbound, ChatOutbound, ChatTransport } from './chat-message.ts';
import { describeGrant, renderVerdicts } from './render-grant.ts';
import { replyTexts } from './reply-texts.ts';

export interface ChatServiceSettings {
  defaultClusterId: string;
  defaultNamespace: string;
  approvalTimeoutMs: number;
}

export interface ChatService {
  handle(inbound: ChatInbound): Promise<void>;
}

export function createChatService(deps: {
  engine: Engine;
  policy: Policy;
  transports: Partial<Record<ChatInbound['platform'], ChatTransport>>;
  clock: Clock;
  random: () => number;
  settings: ChatServiceSettings;
  logger: Logger;
}): ChatService {
  const { engine, policy, transports, clock, random, settings, logger } = deps;

  const decisionRow = (
    inbound: ChatInbound,
    personId: string,
    requestId: string | null,
    action: string,
    outcome: string,
    details: Record<string, unknown> = {},
  ): AuditEntry => ({
    requestId,
    actor: personId,
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
  });

  return {
    async handle(inbound) {
      const parsed = parseCommand(inbound.text);
      const locale: Locale = parsed.locale;
      const t = replyTexts[locale];
      const reply = async (text: string, extra: Partial<ChatOutbound> = {}) => {
        const transport = transports[inbound.platform];
        if (!transport) throw new Error(`no transport for ${inbound.platform}`);
        await transport.send({
          platform: inbound.platform,
          conversationId: inbound.conversationId,
          ...(inbound.threadId ? { threadId: inbound.threadId } : {}),
          inReplyTo: inbound.messageId,
          locale,
          kind: 'reply',
          text,
          ...extra,
        });
      };

      const person = policy.personByPlatformId(inbound.platform, inbound.platformUserId);
      if (!person) return reply(t.unknownPerson({ user: inbound.platformUserId }), { kind: 'error' });
      if (!parsed.ok)
        return reply(t.parseError({ message: parsed.message, suggestion: parsed.suggestion }), {
          kind: 'error',
        });

      try {
        await execute(parsed.command, person.id);
      } catch (error) {
        const e = toAppError(error);
        if (isAppError(error) && e.code === 'REQUEST_NOT_FOUND') {
          return reply(
            t.noSuchRequest({ id: 'requestId' in parsed.command ? parsed.command.requestId : '?' }),
            { kind: 'error' },
          );
        }
        logger.error({ err: e, messageId: inbound.messageId }, 'chat command failed');
        return reply(t.internalError({ ref: inbound.messageId }), { kind: 'error' });
      }

      async function execute(command: Command, personId: string): Promise<void> {
        const at = clock.now().toISOString();
        switch (command.kind) {
          case 'help':
            return reply(helpText(locale, command.topic));
          case 'grant': {
            const clusterId = command.clusterId ?? settings.defaultClusterId;
            const namespace = command.namespace ?? settings.defaultNamespace;
            const allowed = policy.canRequest(personId, clusterId, namespace);
            if (!allowed.allowed)
              return reply(t.notARequester({ person: personId, namespace, cluster: clusterId }), {
                kind: 'error',
              });
            if (command.target.kind !== 'app') {
              return reply(t.notSupportedYet({ what: 'serviceaccount' }), { kind: 'error' });
            }
            const requestId = newRequestId(random);
            const app = command.target.app;
            const input: GrantInput = {
              spec: {
                requestId,
                requester: personId,
                clusterId,
                namespace,
                target: { kind: 'app', app },
                podSelector: { app },
                podGroupName: podGroupName(namespace, app),
                policyName: policyName(app),
                egress: [
                  {
                    protocol: 'ALL',
                    port: 'ALL',
                    peer: { cidr: '0.0.0.0/0' },
                    action: 'ACCEPT',
                    description: `sgops ${requestId}: egress`,
                  },
                ],
              },
              quorum: policy.quorumFor(clusterId, namespace),
              approvalTimeoutMs: settings.approvalTimeoutMs,
            };
            const opened = await engine.open(
              {
                id: requestId,
                workflow: 'grant',
                requester: personId,
                clusterId,
                namespace,
                spec: input.spec as unknown as Record<string, unknown>,
                origin: {
                  platform: inbound.platform,
                  conversationId: inbound.conversationId,
                  ...(inbound.threadId ? { threadId: inbound.threadId } : {}),
                  locale,
                } as never,
              },
              input,
              (tx: StoreTx) =>
                tx
                  .appendAudit([
                    decisionRow(inbound, personId, requestId, 'request', 'accepted', { text: inbound.text }),
                  ])
                  .then(() => {}),
            );
            return reply(
              t.requestOpened({ id: requestId, what: describeGrant(opened.context as GrantContext, locale) }),
              {
                requestId,
                state: opened.state,
              },
            );
          }
          case 'status': {
            const view = await engine.read(command.requestId);
            if (!view) return reply(t.noSuchRequest({ id: command.requestId }), { kind: 'error' });
            const context = view.context as GrantContext;
            const detail = [
              context.progress ? `progress: ${context.progress}` : '',
              context.error
                ? `${context.error.message}${context.error.hint ? ` — ${context.error.hint}` : ''}`
                : '',
              context.outputs.verifying ? renderVerdicts(context.outputs.verifying.pods, locale) : '',
            ]
              .filter(Boolean)
              .join('\n');
            return reply(
              t.status({
                id: command.requestId,
                what: describeGrant(context, locale),
                state: view.state,
                detail,
              }),
              {
                requestId: command.requestId,
                state: view.state,
              },
            );
          }
          case 'approve':
          case 'deny': {
            const id = command.requestId;
            const view = await engine.read(id);
            if (!view) return reply(t.noSuchRequest({ id }), { kind: 'error' });
            const decision = policy.canApprove(personId, {
              requester: view.request.requester,
              clusterId: view.request.clusterId,
              namespace: view.request.namespace,
            });
            if (!decision.allowed) {
              // Refusals are audited too: a security team wants to see who tried.
              await engine.recordAudit([
                decisionRow(inbound, personId, id, command.kind, `refused:${decision.reason}`),
              ]);
              const text =
                decision.reason === 'self_approval'
                  ? t.selfApproval({ id })
                  : t.notAnApprover({ person: personId, id });
              return reply(text, { kind: 'error', requestId: id, state: view.state });
            }
            if (view.state !== 'awaitingApproval') {
              return reply(t.notAwaitingApproval({ id, state: view.state }), {
                kind: 'error',
                requestId: id,
                state: view.state,
              });
            }
            const event =
              command.kind === 'approve'
                ? {
                    type: 'approve',
                    by: personId,
                    at,
                    ...(command.comment ? { comment: command.comment } : {}),
                  }
                : { type: 'deny', by: personId, at, reason: command.reason };
            const result = await engine.deliver(id, event, async (tx) => {
              await tx.insertApproval({
                requestId: id,
                personId,
                decision: command.kind,
                comment: command.kind === 'approve' ? (command.comment ?? null) : command.reason,
                platform: inbound.platform,
                messageId: inbound.messageId,
              });
              await tx.appendAudit([decisionRow(inbound, personId, id, command.kind, 'accepted')]);
            });
            if (!result.changed)
              return reply(t.alreadyDecided({ id }), { requestId: id, state: result.state });
            // The decider hears it here, in reply to their line; the notifier tells everyone else.
            const context = result.context as GrantContext;
            const text =
              command.kind === 'deny'
                ? t.denied({ id, by: personId, reason: command.reason })
                : result.state === 'awaitingApproval'
                  ? t.approvalRecorded({
                      id,
                      by: personId,
                      count: context.approvals.length,
                      quorum: context.quorum,
                    })
                  : t.approved({ id, by: context.approvals.map((a) => a.by).join(', ') });
            return reply(text, { requestId: id, state: result.state });
          }
        }
      }
    },
  };
}
