/**
 * One answer for several pods of an app: their common verdict, or `mixed` with each pod's (a pod on
 * a normal node, or created before the policy, can differ from its siblings). No pods: unknown.
 */
import type { Words } from '../words.ts';
import type { Verdict } from './explain-path.ts';
import { verdictLabel } from './labels.ts';

export interface PodVerdict {
  pod: string;
  verdict: Verdict;
}

export interface OverallVerdict {
  verdict: Verdict | 'mixed';
  /** Every pod's own verdict, in the order given. */
  pods: PodVerdict[];
  said: Words;
}

const order: Verdict[] = ['allow', 'deny', 'unknown'];

export function verdictOverPods(pods: readonly PodVerdict[]): OverallVerdict {
  const first = pods[0];
  if (first === undefined) {
    return {
      verdict: 'unknown',
      pods: [],
      said: { en: 'No pods to explain: unknown.', zh: '没有可解释的 Pod：未知。' },
    };
  }
  const same = pods.every((p) => p.verdict === first.verdict);
  const n = pods.length;
  if (same) {
    const v = verdictLabel[first.verdict];
    return {
      verdict: first.verdict,
      pods: [...pods],
      said:
        n === 1
          ? { en: `The one pod: ${v.en}.`, zh: `唯一的 Pod：${v.zh}。` }
          : { en: `All ${n} pods: ${v.en}.`, zh: `全部 ${n} 个 Pod：${v.zh}。` },
    };
  }
  const groups = order
    .map((verdict) => ({ verdict, names: pods.filter((p) => p.verdict === verdict).map((p) => p.pod) }))
    .filter((g) => g.names.length > 0);
  return {
    verdict: 'mixed',
    pods: [...pods],
    said: {
      en: `Mixed over ${n} pods: ${groups.map((g) => `${verdictLabel[g.verdict].en} ${g.names.join(', ')}`).join('; ')}.`,
      zh: `${n} 个 Pod 结果不一：${groups.map((g) => `${verdictLabel[g.verdict].zh} ${g.names.join('、')}`).join('；')}。`,
    },
  };
}
