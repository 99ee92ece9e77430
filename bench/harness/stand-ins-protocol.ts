/** The IPC messages between the bench and its stand-ins child process. */
import type { ConfigInput } from '../../src/config.ts';

export interface StandInsOptions {
  quotas?: { groupsPerRegion?: number; rulesPerDirection?: number };
  /** `false` turns the emulator's per-action rate limits off. */
  cloudRateLimits?: false;
  podStartLatencyMs?: number;
  /** Added to every Tencent Cloud call (the emulator's latency option). */
  cloudLatencyMs?: number;
  /** Added to every Kubernetes request (a delaying proxy in front of the simulator). */
  kubeLatencyMs?: number;
  /** Start the fake Slack and WeCom APIs too. */
  chatFakes?: boolean;
}

export interface DeployArgs {
  apps: { app: string; namespace: string }[];
  replicas: number;
  maxSurge?: string | number;
  maxUnavailable?: string | number;
  timeoutMs: number;
}

export type StandInsRequest =
  | { op: 'calls'; args?: undefined }
  | { op: 'resetCalls'; args?: undefined }
  | { op: 'cloudCallsPerSecond'; args?: undefined }
  | { op: 'configureKubelet'; args: { startLatencyMs?: number } }
  | { op: 'deploy'; args: DeployArgs }
  | { op: 'restartAndWait'; args: { namespace: string; name: string; timeoutMs: number } }
  | { op: 'slackCalls'; args?: undefined }
  | { op: 'cpuMs'; args?: undefined }
  | { op: 'stop'; args?: undefined };

export interface StandInsReady {
  ready: true;
  cloudUrl: string;
  kubeUrl: string;
  /** HTTP mode: the ack scenario signs its slash commands with signingSecret. */
  slack: (NonNullable<ConfigInput['slack']> & { signingSecret: string }) | null;
  wecom: NonNullable<ConfigInput['wecom']> | null;
}

export interface Calls {
  cloud: Record<string, number>;
  kube: Record<string, number>;
}
