/** The console's reads: the request list and one request's detail, each as its viewer may see it. */
import { maySeeListed } from '../chat/may-see-request.ts';
import type { SeenRequest } from '../chat/may-see-request.ts';
import { visibleRequests } from '../requests/visible-requests.ts';
import type { Locale } from '../commands/command.ts';
import type { RequestRow } from '../store/store.ts';
import { auditTimeline } from './audit-timeline.ts';
import type { ConsoleRoutesOptions } from './console-routes.ts';
import { anyone, type Viewer } from './console-access.ts';
import { livePodsReader } from './live-pods.ts';
import { requestActions } from './request-actions.ts';
import { requestDetail } from './request-views.ts';
import type { ConsoleWorkflow, RequestDetail, RequestSummary } from './request-views.ts';
import type { WorkflowGraph } from './workflow-graph.ts';

const listLimit = 50;

export function consoleReads(
  options: Pick<ConsoleRoutesOptions, 'store' | 'policy' | 'engine' | 'console' | 'clusterFor'>,
  parts: {
    known: ReadonlySet<string>;
    graphs: ReadonlyMap<string, WorkflowGraph>;
    views: ReadonlyMap<string, ConsoleWorkflow>;
    summaryOf: (row: RequestRow, state?: string, locale?: Locale) => RequestSummary;
    mayView: (viewer: Viewer, request: SeenRequest) => boolean;
  },
) {
  const { known, graphs, views, summaryOf, mayView } = parts;
  const livePods = options.clusterFor ? livePodsReader(options.clusterFor) : null;
  /** The viewer's language: their policy locale (English for a view that names nobody). */
  const localeOf = (viewer: Viewer): Locale =>
    viewer === anyone ? 'en' : (options.policy.person(viewer.person)?.locale ?? 'en');
  async function listRequests(viewer: Viewer): Promise<RequestSummary[]> {
    if (options.store) {
      const rows = await visibleRequests(
        options.store,
        {},
        {
          limit: listLimit,
          visible: (row) =>
            viewer === anyone ||
            maySeeListed(
              options.policy,
              viewer.person,
              row,
              async (id) => (await options.engine.read(id))?.context,
            ),
        },
      );
      return rows.map((row) => summaryOf(row, row.state, localeOf(viewer)));
    }
    const ids = new Set<string>();
    for (const person of known)
      for (const m of await options.console.messagesFor(person)) if (m.requestId) ids.add(m.requestId);
    const views = await Promise.all([...ids].map((id) => options.engine.read(id)));
    return views
      .flatMap((v) =>
        v && mayView(viewer, { ...v.request, context: v.context })
          ? [summaryOf(v.request, v.state, localeOf(viewer))]
          : [],
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .slice(0, listLimit);
  }

  /** `id` is canonical (see requestIdOf). */
  async function readDetail(id: string, viewer: Viewer): Promise<RequestDetail | null> {
    const view = await options.engine.read(id);
    if (!view || !mayView(viewer, { ...view.request, context: view.context })) return null;
    const graph = graphs.get(view.request.workflow);
    if (!graph) return null;
    const audit = options.store
      ? auditTimeline(await options.store.listAudit({ requestId: view.request.id }))
      : null;
    const workflow = views.get(view.request.workflow);
    const detail = requestDetail(view, graph, audit, workflow, localeOf(viewer), options.policy);
    // A cluster that does not answer leaves the table out; the rest of the view still shows.
    // The reads are audited under the person looking (the console, for a view naming nobody).
    detail.pods = livePods
      ? await livePods(
          viewer === anyone ? 'console' : viewer.person,
          view.request.clusterId,
          view.state,
          view.context,
        ).catch(() => null)
      : null;
    // Which buttons this person sees; the chat, which each button goes through, checks again.
    if (viewer !== anyone)
      detail.actions = requestActions(viewer.person, view, graph, workflow, options.policy, localeOf(viewer));
    return detail;
  }

  return { listRequests, readDetail };
}
