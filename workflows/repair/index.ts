/**
 * The repair workflow as the registry lists it: its machine, its snapshot version, its steps, what
 * its states mean, the line that opens it, its messages and its view.
 */
import { describeRequest } from '../../src/chat/render-grant.ts';
import { ownNamespaceKey } from '../../src/ports/group-owners.ts';
import type { WorkflowModule } from '../workflow-module.ts';
import { repairMachine, repairMachineVersion } from './machine.ts';
import { repairNotifications } from './notifications.ts';
import { opensRepair } from './opens.ts';
import { repairPhases } from './phases.ts';
import { repairEffects } from './policy-approval-effect.ts';
import { createRepairSteps } from './steps.ts';
import type { RepairContext } from './types.ts';
import { repairView } from './view.ts';

export const repairWorkflow: WorkflowModule = {
  name: 'repair',
  machine: repairMachine,
  version: repairMachineVersion,
  effects: repairEffects,
  steps: createRepairSteps,
  phases: repairPhases,
  opens: opensRepair,
  notifications: repairNotifications,
  approverKeys: (context: RepairContext) => [
    ownNamespaceKey,
    ...(context.outputs.planning?.signoffs ?? []).map((s) => s.key),
  ],
  describe: (context: RepairContext, locale) => describeRequest('repair', context as never, locale),
  view: repairView,
};
