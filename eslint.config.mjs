import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.cem-check/', '.cem-editors/', 'tmp/', 'relay/dist/', 'storybook-static/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  lit.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**/*.mjs', 'test/server/**', 'test/relay/**', 'src/relay/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['bench/pages/**/*.js', 'demo/**/*.js'],
    languageOptions: {
      globals: {
        ...globals.browser,
        benchHarness: 'readonly',
        benchLayout: 'readonly',
        benchFiles: 'readonly',
        benchLottieWeb: 'readonly',
        lottie: 'readonly',
      },
    },
  },
);
