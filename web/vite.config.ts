// Builds one of the two apps per run: `vite build --mode dashboard` or
// `--mode playground`. Tessera serves either app at the site root, so both use
// base '/' and put their bundles under /assets/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { devServerFor } from './dev/dev-server.ts';

const APPS = ['dashboard', 'playground'] as const;
type AppName = (typeof APPS)[number];

function appFromMode(mode: string): AppName {
  const app = APPS.find((name) => name === mode);
  if (!app) throw new Error(`--mode must be one of ${APPS.join(', ')} (got "${mode}")`);
  return app;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ command, mode }) => {
  const app = appFromMode(mode);
  return {
    root: here(`./src/${app}`),
    base: '/',
    publicDir: false,
    build: {
      outDir: here(`./dist/${app}`),
      emptyOutDir: true,
      assetsDir: 'assets',
      sourcemap: false,
    },
    // The dev server (proxy to Tessera, a stand-in /app-config.json) exists only
    // for `vite` serve; nothing of it reaches dist/.
    ...(command === 'serve' ? devServerFor(app, here('.')) : {}),
  };
});
