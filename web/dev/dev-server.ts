// Development only: lets `vite` stand in for Tessera's static file serving.
// Requests for the API go through a proxy to a running Tessera, and
// /app-config.json (which Tessera itself will serve) is made up here from
// environment variables. Nothing in this folder is part of the build output.
//
//   TESSERA_URL    where Tessera listens (default http://127.0.0.1:4000)
//   OIDC_ISSUER    the OpenID Connect provider, for the dashboard
//   OIDC_CLIENT_ID default tessera-dashboard
//   OIDC_RESOURCE  default https://tessera.local/api
import type { Plugin, UserConfig } from 'vite';

interface AppConfigJson {
  devMode: boolean;
  apiUrl: string;
  oidc: null | { authority: string; clientId: string; scope: string; resource: string };
}

function appConfigFromEnvironment(app: 'dashboard' | 'playground'): AppConfigJson {
  const issuer = process.env.OIDC_ISSUER;
  return {
    devMode: app === 'playground',
    apiUrl: '/cubejs-api/v1',
    oidc:
      app === 'dashboard' && issuer
        ? {
            authority: issuer,
            clientId: process.env.OIDC_CLIENT_ID ?? 'tessera-dashboard',
            scope: 'openid profile email',
            resource: process.env.OIDC_RESOURCE ?? 'https://tessera.local/api',
          }
        : null,
  };
}

function appConfigEndpoint(app: 'dashboard' | 'playground'): Plugin {
  return {
    name: 'tessera-dev-app-config',
    configureServer(server) {
      server.middlewares.use('/app-config.json', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-store');
        res.end(JSON.stringify(appConfigFromEnvironment(app)));
      });
    },
  };
}

export function devServerFor(app: 'dashboard' | 'playground', webRoot: string): UserConfig {
  const tessera = process.env.TESSERA_URL ?? 'http://127.0.0.1:4000';
  return {
    plugins: [appConfigEndpoint(app)],
    server: {
      host: '127.0.0.1',
      port: 5173,
      strictPort: true,
      // The app's root is src/<app>; it imports ../shared, so allow the whole web/ folder.
      fs: { allow: [webRoot] },
      proxy: {
        '/cubejs-api': { target: tessera, changeOrigin: false },
        '/playground': { target: tessera, changeOrigin: false },
      },
    },
  };
}
