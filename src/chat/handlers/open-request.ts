/**
 * Opens a request of any workflow from a chat turn: a fresh short id (drawn again on the rare
 * collision), the origin thread and language for replies, and the person's decision audited in the
 * same transaction.
 */
import { newRequestId } from '../../domain/request-id.ts';
import { AppError } from '../../errors.ts';
import type { Transitioned } from '../../engine/engine.ts';
import { openAuditedRequest } from '../../requests/open-audited-request.ts';
import type { StoreTx } from '../../store/store.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';

export async function openRequest(
  turn: ChatTurn,
  deps: ChatDeps,
  request: {
    workflow: string;
    clusterId: string;
    namespace: string;
    auditAction: string;
    auditDetails?: Record<string, unknown>;
    /** Builds the workflow's input for a given id (the id is part of names and descriptions). */
    inputFor(requestId: string): { spec: object };
    /** Refuses the opening of `requestId` inside its transaction (throws); see openAuditedRequest. */
    check?(tx: StoreTx, requestId: string): Promise<void>;
  },
): Promise<Transitioned & { requestId: string }> {
  for (let tries = 0; ; tries++) {
    const requestId = newRequestId(deps.random);
    const input = request.inputFor(requestId);
    try {
      const opened = await openAuditedRequest(
        deps.engine,
        {
          id: requestId,
          workflow: request.workflow,
          requester: turn.personId,
          clusterId: request.clusterId,
          namespace: request.namespace,
          spec: input.spec as Record<string, unknown>,
          origin: {
            platform: turn.inbound.platform,
            conversationId: turn.inbound.conversationId,
            ...(turn.inbound.threadId ? { threadId: turn.inbound.threadId } : {}),
            locale: turn.locale,
          } as never,
        },
        input,
        turn.decision(requestId, request.auditAction, 'accepted', {
          text: turn.inbound.text,
          clusterId: request.clusterId,
          ...request.auditDetails,
        }),
        request.check ? (tx) => request.check!(tx, requestId) : undefined,
      );
      return { ...opened, requestId };
    } catch (error) {
      // Short ids collide now and then: draw another, a few times.
      if (error instanceof AppError && error.code === 'STATE_CONFLICT' && tries < 5) continue;
      throw error;
    }
  }
}
