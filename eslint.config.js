// Lint config: typescript-eslint's recommended type-aware-free rules keep the run fast on 2 cores.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflows reach the outside only through the ports in src/ports; the composition root picks the
// adapters, and the engine and the store drive workflows, never the other way round.
const workflowBoundaries = [
  {
    group: ['**/adapters/**'],
    message: 'A workflow reaches the outside through a port in src/ports, never an adapter.',
  },
  {
    group: ['**/src/engine/**', '**/src/store/**'],
    message:
      'The engine and the store drive workflows, never the other way round: what a workflow needs of them is in src/ports.',
  },
];

/** Grant and revoke share through workflows/shared, never each other. */
const apart = (workflow) => ({
  group: [`**/${workflow}/**`],
  message: `A workflow never imports another (${workflow}/): what both need lives in workflows/shared.`,
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.sgops/**', 'coverage/**', 'drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: workflowBoundaries }] },
  },
  // A later block's no-restricted-imports replaces the one above for its files: each lists them all.
  {
    files: ['workflows/grant/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...workflowBoundaries, apart('revoke')] }] },
  },
  {
    files: ['workflows/revoke/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...workflowBoundaries, apart('grant')] }] },
  },
  {
    files: ['workflows/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...workflowBoundaries, apart('grant'), apart('revoke')] },
      ],
    },
  },
  {
    // Adapters speak for one outside system each: they implement ports and use only the domain and the
    // error model, never the engine, the store or the chat service (the composition root joins them).
    // The stand-ins beside them (emulator/, simulator/, fake-api/, stand-ins/) keep the same rule.
    files: ['adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // `src/*`, not `src/**`: as in .gitignore, nothing inside an excluded folder can be let back in.
              group: ['**/src/*', '!**/src/ports', '!**/src/domain', '!**/src/errors.ts'],
              message:
                'An adapter imports only src/ports, src/domain and src/errors.ts; take anything else as a parameter.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the composition root picks adapters: src/main.ts and src/app/ in production, and the
    // sandbox and the CLI, which build the sandbox world from the stand-ins.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/app/**', 'src/sandbox/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**'],
              message:
                'Only the composition root (src/main.ts, src/app/) imports adapters; take a port instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // A function longer than a screenful or two hides its parts; split it into named helpers.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 150 }],
    },
  },
);
