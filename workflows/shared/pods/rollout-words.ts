/** What a restart says about a rollout, in both languages: still moving, or stalled and what to do. */
import type { WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { AppError } from '../../../src/errors.ts';
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { stepError } from '../step-error.ts';

/** `Deployment web: 1/2 updated, 1 available` for each workload still rolling, joined. */
export function rolloutsMoving(moving: readonly WorkloadInfo[]): Words {
  return joinWords(
    moving.map(({ kind, name, rollout: r }) =>
      words(
        `${kind} ${name}: ${r.updated}/${r.desired} updated, ${r.available} available`,
        `${kind} ${name}：已更新 ${r.updated}/${r.desired}，可用 ${r.available}`,
      ),
    ),
    '; ',
  );
}

/**
 * A rollout that stopped progressing: its old pods keep serving, and the person is shown how to
 * look at the new ones (`look`, a kubectl line) and what to reply once they are fixed (`then`).
 */
export function rolloutStalled(w: WorkloadInfo, look: string, then: Words): AppError {
  return stepError(
    'ROLLOUT_STALLED',
    words(
      `${w.kind} ${w.name} stopped progressing: ${w.rollout.stalled}`,
      `${w.kind} ${w.name} 的滚动更新已停滞：${w.rollout.stalled}`,
    ),
    {
      hint: words(
        `Its old pods keep serving. Look at the new ones: ${look}; ${then.en}`,
        `旧 Pod 仍在提供服务。查看新 Pod：${look}；${then.zh}`,
      ),
    },
  );
}

/** The end of a stall's hint: fix the pods, then `retry` (finishing the rollback, when it is one). */
export function fixThenRetry(requestId: string, finishing?: 'rollback'): Words {
  return finishing === 'rollback'
    ? words(
        `fix them, then \`retry ${requestId}\` to finish the rollback.`,
        `修复后回复 \`重试 ${requestId}\` 完成回滚。`,
      )
    : words(`fix them, then \`retry ${requestId}\`.`, `修复后回复 \`重试 ${requestId}\`。`);
}
