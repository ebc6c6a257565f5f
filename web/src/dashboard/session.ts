// What the pages of a signed-in dashboard share.
import type { CubeApi } from '@cubejs-client/core';
import type { ApiProblem } from '../shared/api-errors';
import type { SavedCharts } from './saved-charts';

export interface DashboardSession {
  cubeApi: CubeApi;
  savedCharts: SavedCharts;
  /** Called when the API says the token is no longer good (or there is none). */
  onSessionExpired: (problem?: ApiProblem) => void;
}
