/**
 * An error as one reader reads it: its own 中文 when the step gave one; otherwise, for a 中文
 * reader, what the code means in 中文 and the original text quoted (a cloud's or cluster's words,
 * or an English-only message) — never English prose set in a 中文 sentence unmarked.
 */
import type { Locale } from '../domain/locale.ts';
import type { ErrorCode, SerializedError } from '../errors.ts';

type ErrorFields = Partial<Pick<SerializedError, 'code' | 'message' | 'hint' | 'zh'>> & {
  hint?: string | null;
};

export function errorIn(error: ErrorFields, locale: Locale): { message: string; hint: string } {
  const message = error.message ?? '';
  const hint = error.hint ?? '';
  if (locale === 'en') return { message, hint };
  if (error.zh) return { message: error.zh.message, hint: error.zh.hint ?? '' };
  const meaning = codeMeaning[error.code as ErrorCode] ?? '出错';
  return {
    message: `${meaning}（${error.code ?? 'ERROR'}）。原文：「${message}」`,
    hint: hint ? `原文建议：「${hint}」` : '',
  };
}

/** What each code means, for errors whose text only exists in English. */
const codeMeaning: Record<ErrorCode, string> = {
  COMMAND_INVALID: '命令无效',
  NOT_AUTHORISED: '无权执行',
  SELF_APPROVAL: '不能审批自己的请求',
  REQUEST_NOT_FOUND: '找不到该请求',
  STATE_CONFLICT: '状态冲突',
  ALREADY_OPEN: '已有同样的请求未结束',
  CONFIG_INVALID: '配置无效',
  GROUP_NOT_OWNED: '安全组无人负责',
  PRECONDITION_FAILED: '前提条件不满足',
  CLOUD_THROTTLED: '腾讯云限流',
  CLOUD_INTERNAL: '腾讯云内部错误',
  CLOUD_AUTH: '腾讯云鉴权失败',
  CLOUD_INVALID: '腾讯云拒绝了参数',
  CLOUD_NOT_FOUND: '腾讯云中找不到该资源',
  CLOUD_QUOTA: '腾讯云配额不足',
  CLOUD_IN_USE: '资源仍在使用中',
  CLOUD_VERSION_MISMATCH: '安全组已被他人修改',
  CLOUD_DUPLICATE_RULE: '规则已存在',
  CLOUD_OUTCOME_UNKNOWN: '腾讯云未返回结果，写入可能已生效',
  GROUP_WRITE_BUSY: '同一安全组的其他写入占用过久',
  DATABASE_UNAVAILABLE: '数据库暂时不可用',
  K8S_NOT_FOUND: 'Kubernetes 中找不到该对象',
  K8S_CONFLICT: 'Kubernetes 对象已被修改',
  K8S_INVALID: 'Kubernetes 拒绝了该对象',
  K8S_FORBIDDEN: 'Kubernetes 拒绝访问',
  K8S_UNAVAILABLE: 'Kubernetes API 暂时不可用',
  ROLLOUT_STALLED: '滚动更新已停滞',
  NETWORK: '网络错误',
  TIMEOUT: '超时',
  HANDED_BACK: '该副本正在停止，任务已交还',
  FILE_NOT_PRIVATE: '状态文件权限不安全',
  SNAPSHOT_VERSION: '快照版本未知',
  INTERNAL: '内部错误',
};
