// Lint rules, chiefly the dependency directions of docs/architecture.md: the core imports no
// platform, database or scheduler package; adapters and renderers never touch the database layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformPackages = ['@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*', 'adaptivecards*'];
const infrastructurePackages = ['kysely', 'pg', '@electric-sql/*', 'node-cron', 'express', 'pino', 'prom-client'];

const noImports = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'build/**', 'dist/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: noImports(
      [...platformPackages, ...infrastructurePackages, '**/adapters/**', '**/renderers/**', '**/db/**', '**/scheduler/**', '**/server/**', '**/logging/**', '**/app.ts', '**/main.ts'],
      'The core owns the rules and imports no platform, database, scheduler or server code (docs/architecture.md). Declare a port instead.',
    ),
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: noImports(
      ['kysely', 'pg', '@electric-sql/*', 'node-cron', '**/db/**', '**/scheduler/**', '**/app.ts', '**/main.ts'],
      'Adapters only translate: they call the core and never touch the database layer (docs/architecture.md).',
    ),
  },
  {
    files: ['src/renderers/**/*.ts'],
    rules: noImports(
      ['@slack/*', 'botbuilder', 'botbuilder-*', ...infrastructurePackages, '**/adapters/**', '**/db/**', '**/scheduler/**', '**/app.ts', '**/main.ts'],
      'Renderers are pure functions from core view models to platform JSON (docs/architecture.md).',
    ),
  },
  {
    files: ['src/db/**/*.ts'],
    rules: noImports(
      [...platformPackages, '**/adapters/**', '**/renderers/**', '**/scheduler/**', '**/server/**', '**/app.ts', '**/main.ts'],
      'The database layer implements core ports; it knows nothing of platforms or the server.',
    ),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/cli/main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/config reads the environment.' },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts', 'src/cli/**/*.ts', 'src/main.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'bin/**/*.js'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
