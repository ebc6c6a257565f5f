// The same /load request as a command line, for pasting into a terminal.
import type { Query } from '@cubejs-client/core';

/** Wraps text in single quotes for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(apiUrl: string, query: Query, token?: string): string {
  const loadUrl = `${new URL(apiUrl, location.origin).toString().replace(/\/+$/, '')}/load`;
  const parts = ['curl -G'];
  if (token) parts.push(`-H ${shellQuote(`Authorization: Bearer ${token}`)}`);
  parts.push(`--data-urlencode ${shellQuote(`query=${JSON.stringify(query)}`)}`);
  parts.push(shellQuote(loadUrl));
  return parts.join(' \\\n  ');
}
