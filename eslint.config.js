// ESLint: the rules Hono's own config holds (type-only imports, curly braces always), and the
// import graph's shape: no circles, and the pure core never imports a Hono-facing folder.
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

/** The pure core: no Hono Context, no per-isolate runtime. */
const CORE = [
  'config',
  'context',
  'rules',
  'decide',
  'rewrite',
  'visitor',
  'privacy',
  'proxy',
  'cache',
  'tooling',
  'experiments',
  'stats',
]

/** What the core may never import: the Hono-facing folders and the hot path built on the core. */
const EDGE = ['api', 'centre', 'middleware', 'personalise']

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.wrangler/',
      'worker-configuration.d.ts',
      'demo/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: ['error', 'all'],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // The dependencies are TypeScript too: parse them, or no circle through them is seen.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: {
      // Type-only imports count too: a circle of types is still a circle in the floor plan.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: CORE.map((folder) => `src/${folder}/**/*.{ts,tsx}`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: EDGE.flatMap((folder) => [
                `../${folder}`,
                `../${folder}/*`,
                `**/src/${folder}`,
              ]),
              message:
                'The core (config, context, rules, decide, rewrite, visitor, privacy, proxy, cache, tooling, experiments, stats) never imports a Hono-facing folder or the runtime: pass values in.',
            },
            {
              group: ['../app', '../middleware', '../personalise/*', '../runtime'],
              message: 'The core never imports the app, the middleware or the per-isolate runtime.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  }
)
