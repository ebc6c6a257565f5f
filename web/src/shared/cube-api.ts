// The official Cube client pointed at Tessera's Cube-compatible REST API.
import cube, { CubeApi } from '@cubejs-client/core';

/**
 * `token` is asked for before every request, so a token renewed in the
 * background is the one sent. Without it (dev mode) no Authorization header goes out.
 */
export function createCubeApi(apiUrl: string, token?: () => Promise<string>): CubeApi {
  const absolute = new URL(apiUrl, location.origin).toString().replace(/\/+$/, '');
  return token ? cube(token, { apiUrl: absolute }) : new CubeApi(undefined, { apiUrl: absolute });
}
