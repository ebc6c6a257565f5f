// Shows a failed API call in the one element tests look for (data-testid="api-error").
import { describeApiError, type ApiProblem } from './api-errors';
import { h } from './dom';

export function apiErrorView(error: unknown, onSessionExpired?: (problem: ApiProblem) => void): HTMLElement {
  const problem = describeApiError(error);
  if (problem.kind === 'session-expired') onSessionExpired?.(problem);
  return h(
    'div',
    { class: 'api-error', role: 'alert', testid: 'api-error', 'data-kind': problem.kind },
    problem.kind === 'message' && problem.status ? `${problem.text} (HTTP ${problem.status})` : problem.text,
  );
}
