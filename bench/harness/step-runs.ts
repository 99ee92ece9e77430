/**
 * How many workflow steps an app has run, from its own metrics (`sgops_step_duration_seconds`):
 * step jobs no longer count them, since a job carries its request on through several steps
 * (src/engine/carried-steps.ts).
 */
import type { App } from '../../src/main.ts';

export async function stepRuns(app: App): Promise<number> {
  const metric = app.metrics.registry.getSingleMetric('sgops_step_duration_seconds');
  const values = (await metric?.get())?.values ?? [];
  return values
    .filter((v) => (v as { metricName?: string }).metricName === 'sgops_step_duration_seconds_count')
    .reduce((n, v) => n + v.value, 0);
}
