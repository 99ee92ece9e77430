/**
 * The grant workflow as the registry lists it: its machine, its snapshot versions, its delayed and
 * own effects, its steps, what its states mean, the lines that open it, its messages and its view.
 */
import { describeGrant } from '../../src/chat/render-grant.ts';
import { durationPhrase } from '../../src/chat/render-lifecycle.ts';
import type { WorkflowModule } from '../workflow-module.ts';
import { grantEffects } from './expiry-revoke-effect.ts';
import { grantMachine, grantMachineVersion } from './machine.ts';
import { migrateGrantSnapshot } from './migrate.ts';
import { grantNotifications } from './notifications.ts';
import { opensGrant } from './opens.ts';
import { pendingGrantEffects } from './pending-timers.ts';
import { grantPhases } from './phases.ts';
import { signOffProgress } from '../shared/sign-off-progress.ts';
import { createSteps } from './steps.ts';
import type { GrantContext } from './types.ts';
import { grantView } from './view.ts';

export const grantWorkflow: WorkflowModule = {
  name: 'grant',
  machine: grantMachine,
  version: grantMachineVersion,
  migrate: migrateGrantSnapshot,
  pendingEffects: pendingGrantEffects,
  effects: grantEffects,
  steps: createSteps,
  phases: grantPhases,
  opens: opensGrant,
  notifications: grantNotifications,
  // A grant's plan may name owners of other teams' groups: they are approvers of this request too.
  approverKeys: (context: GrantContext) => signOffProgress(context).map((s) => s.key),
  describe: (context: GrantContext, locale) =>
    describeGrant(context, locale) + durationPhrase('grant', context, locale),
  view: grantView,
};
