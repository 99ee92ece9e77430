/**
 * Carries out the machines' `notify` effects: renders the request's workflow's template for each
 * recipient in their language and sends it through the transport of their platform.
 */
import type { Logger } from 'pino';
import type { Engine, RequestView } from '../engine/engine.ts';
import type { Policy } from '../policy/create-policy.ts';
import { phaseOf } from '../../workflows/workflow-module.ts';
import type { NotifyJob, WorkflowModule } from '../../workflows/workflow-module.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { ChatOutbound, ChatTransport, Recipient } from './chat-message.ts';
import { cardDecisionOf, ownApprovalOf } from './card-decision.ts';
import { approverRecipients, reachOf, requesterRecipient } from './recipients.ts';

export type { NotifyJob } from '../../workflows/workflow-module.ts';

export interface Notifier {
  notify(job: NotifyJob): Promise<void>;
}

export interface NotifierDeps {
  engine: Engine;
  policy: Policy;
  transports: Partial<Record<Recipient['platform'], ChatTransport>>;
  logger: Logger;
  /** The workflows whose templates it renders (default: workflows/index.ts). */
  workflows?: readonly WorkflowModule[];
  /**
   * The console's address as people reach it, asked at each message (the sandbox's is known only
   * once it listens): cards too long for a chat link to the request there.
   */
  consoleUrl?: () => string | undefined;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const { engine, policy, transports, logger } = deps;
  const workflows = new Map((deps.workflows ?? workflowRegistry).map((w) => [w.name, w]));
  const platforms = new Set(Object.keys(transports) as Recipient['platform'][]);

  return {
    async notify(job) {
      const view = await engine.read(job.requestId);
      if (!view) return;
      const workflow = workflows.get(view.request.workflow);
      const template = workflow?.notifications[job.template];
      if (!workflow || !template) {
        logger.error(
          { requestId: job.requestId, workflow: view.request.workflow, template: job.template },
          'no such notification template; message not sent',
        );
        return;
      }
      // Whoever just decided was answered in reply to their own line; do not tell them twice.
      const answered = template.answered?.(view.context as never);
      const phase = phaseOf(workflow, view.state);
      const decision = cardDecisionOf(view.context, view.state, phase, policy);
      const { told, closeOnly } = recipientsOf(job, view, workflow, answered);
      // The decider's cards elsewhere (another platform, another conversation) close in silence; so
      // do an approver's when his approval is one of several the request still waits for.
      const closing =
        decision ??
        (answered === undefined ? undefined : ownApprovalOf(view.context, answered, phase, policy));
      for (const r of closing ? closeOnly : []) {
        await transports[r.platform]?.closeCards?.({
          platform: r.platform,
          conversationId: r.conversationId,
          personId: r.personId,
          locale: r.locale,
          kind: template.kind,
          text: '',
          requestId: job.requestId,
          state: view.state,
          phase,
          ...(closing ? { decision: closing } : {}),
        });
      }
      for (const r of told) {
        const transport = transports[r.platform];
        if (!transport) {
          logger.warn(
            { requestId: job.requestId, platform: r.platform },
            'no transport for recipient; message not sent',
          );
          continue;
        }
        const input = { job, workflow: workflow.name, context: view.context as never, state: view.state };
        const consoleUrl = deps.consoleUrl?.();
        const message: ChatOutbound = {
          platform: r.platform,
          conversationId: r.conversationId,
          ...(r.threadId ? { threadId: r.threadId } : {}),
          personId: r.personId,
          locale: r.locale,
          kind: template.kind,
          ...template.compose({ ...input, recipient: r, policy, ...(consoleUrl ? { consoleUrl } : {}) }),
          requestId: job.requestId,
          state: view.state,
          phase,
          ...(decision ? { decision } : {}),
        };
        await transport.send(message);
      }
    },
  };

  /**
   * The job's audience, each conversation once: `told` are sent the message; `closeOnly` are the
   * conversations of the person already answered, whose cards are only closed.
   */
  function recipientsOf(job: NotifyJob, view: RequestView, workflow: WorkflowModule, answered?: string) {
    const requester = requesterRecipient(view.request, policy);
    // A request may name more approvers than its namespace's (a grant: owners of other teams' groups).
    const signOffKeys = workflow.approverKeys?.(view.context as never);
    const approvers = () => approverRecipients(view.request, policy, platforms, signOffKeys);
    const all: (Recipient & { threadId?: string })[] =
      job.audience === 'requester'
        ? [requester]
        : job.audience === 'approvers'
          ? approvers()
          : [requester, ...approvers()];
    const seen = new Set<string>();
    const unique = all.filter((r) => {
      const key = `${r.platform}/${r.conversationId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const isAnswered = (r: Recipient) => answered !== undefined && r.personId === answered;
    // The decider is an approver: reached on every platform, even when the audience is the requester.
    const closeOnly = answered === undefined ? [] : reachOf(answered, policy, platforms);
    return { told: unique.filter((r) => !isAnswered(r)), closeOnly };
  }
}
