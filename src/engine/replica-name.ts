/**
 * This process as BullMQ records who took a job (a job's `processedBy`): its host and pid. Every
 * replica's workers carry it, so an operator looking at an active job — or a test that must kill
 * the replica running a step or a sweep — can tell which process holds it.
 */
import { hostname } from 'node:os';

export const replicaName = (): string => `${hostname()}:${process.pid}`;
