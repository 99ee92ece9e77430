/** `requests [mine|pending|all]`: newest first, one line each, only requests the person may see. */
import type { Command } from '../../commands/command.ts';
import { targetText } from '../../domain/target-text.ts';
import { visibleRequests } from '../../requests/visible-requests.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { maySeeListed } from '../may-see-request.ts';

export async function listRequests(
  command: Extract<Command, { kind: 'requests' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t } = turn;
  const rows = await visibleRequests(
    deps.store,
    {
      ...(command.filter === 'mine' ? { requester: turn.personId } : {}),
      ...(command.filter === 'pending' ? { states: ['awaitingApproval'] } : {}),
    },
    {
      limit: 20,
      visible: (row) =>
        maySeeListed(deps.policy, turn.personId, row, async (id) => (await deps.engine.read(id))?.context),
    },
  );
  const title = t.requestsTitle({ filter: command.filter });
  if (rows.length === 0) return turn.reply(t.noRequests({ title }));
  const lines = rows
    .map((r) => {
      const target = targetText((r.spec as { target?: unknown }).target, turn.locale);
      return t.requestLine({
        id: r.id,
        workflow: r.workflow,
        target,
        namespace: r.namespace,
        cluster: r.clusterId,
        state: r.state,
        requester: r.requester,
        at: r.createdAt.toISOString().slice(0, 16).replace('T', ' '),
      });
    })
    .join('\n');
  return turn.reply(t.requestsList({ title, lines }));
}
