/**
 * The repair's own effect: when the policy approves a restore-only repair (`autoApproveRepairs`),
 * its machine asks for `recordPolicyApproval`, and this handler writes that decision to the audit
 * trail as sgops', naming the option, as an expired grant's revoke is recorded.
 */
import { sgopsActor } from '../../src/requests/open-expiry-revoke.ts';
import type { EffectHandler } from '../../src/ports/workflow-definition.ts';

export const repairEffects: Record<string, EffectHandler> = {
  recordPolicyApproval: async (effect, { engine }) => {
    const view = await engine.read(effect.requestId);
    await engine.recordAudit([
      {
        requestId: effect.requestId,
        actor: sgopsActor,
        kind: 'decision',
        system: 'engine',
        action: 'approve',
        target: effect.requestId,
        outcome: 'approved:policy',
        durationMs: null,
        cloudRequestId: null,
        details: {
          trigger: 'policy',
          option: 'autoApproveRepairs',
          restoreOnly: true,
          grantRequestId: effect['grantRequestId'],
          ...(view ? { clusterId: view.request.clusterId, namespace: view.request.namespace } : {}),
        },
        callId: null,
      },
    ]);
  },
};
