/**
 * `npm run bench` runs every scenario; `npm run bench -- <scenario> [...]` runs the named ones.
 * Prints one table of figures and targets, and writes bench/results.json.
 */
import { fileURLToPath } from 'node:url';
import { ackScenario } from './scenarios/ack.ts';
import { driftScenario } from './scenarios/drift.ts';
import { expiryScenario } from './scenarios/expiry.ts';
import { latencyScenario } from './scenarios/latency.ts';
import { metricsScenario } from './scenarios/metrics.ts';
import { economyScenario } from './scenarios/economy.ts';
import { bulkScenario } from './scenarios/bulk.ts';
import { footprintScenario } from './scenarios/footprint.ts';
import { rolloutScenario } from './scenarios/rollout.ts';
import { machineInfo, writeResults } from './harness/results-file.ts';
import { printTable } from './harness/print-table.ts';
import type { Scenario, ScenarioOutcome } from './harness/scenario.ts';
import { withinBudget } from './harness/scenario.ts';

const scenarios: Scenario[] = [
  ackScenario,
  bulkScenario,
  expiryScenario,
  latencyScenario,
  economyScenario,
  rolloutScenario,
  footprintScenario,
  driftScenario,
  metricsScenario,
];
/** The limit per scenario, setup and teardown included. */
const scenarioBudgetMs = 120_000;
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => !scenarios.some((s) => s.name === a));
  if (unknown.length > 0) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; choose from ${scenarios.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const chosen = args.length > 0 ? scenarios.filter((s) => args.includes(s.name)) : scenarios;
  const machine = machineInfo(new Date());
  console.log(`sgops bench on ${machine.cpus} × ${machine.model}, Node ${machine.node}, ${machine.date}`);
  const outcomes: Record<string, ScenarioOutcome> = {};
  const failures: string[] = [];
  for (const scenario of chosen) {
    const started = performance.now();
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    try {
      outcomes[scenario.name] = await withinBudget(
        scenario.name,
        scenario.budgetMs ?? scenarioBudgetMs,
        scenario.run((line) => console.log(`  ${line}`)),
      );
      const seconds = (performance.now() - started) / 1000;
      outcomes[scenario.name]!.figures.scenario_wall_s = Math.round(seconds * 10) / 10;
      console.log(`  finished in ${seconds.toFixed(1)} s`);
    } catch (error) {
      failures.push(scenario.name);
      console.error(
        `  ${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  if (Object.keys(outcomes).length > 0) {
    await writeResults(
      resultsPath,
      machine,
      outcomes,
      scenarios.map((s) => s.name),
    );
    console.log(`\n${printTable(outcomes)}`);
    console.log(`\nwritten: ${resultsPath}`);
  }
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
