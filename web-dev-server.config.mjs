// `npm start`: serves the demo pages, the TypeScript sources (compiled on the
// fly by esbuild) and lottie-web's test animations from node_modules.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { tsSources } from './scripts/ts-sources.mjs';

export default {
  port: Number(process.env.PORT ?? 8000),
  hostname: process.env.HOST ?? '127.0.0.1',
  nodeResolve: { exportConditions: ['production'] },
  middleware: [
    function demoHome(context, next) {
      if (context.path === '/') {
        context.redirect('/demo/');
        return undefined;
      }
      return next();
    },
    tsSources(),
  ],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
};
