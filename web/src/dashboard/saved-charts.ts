// Charts a user saved from Explore, kept in this browser's localStorage under
// a key per user (issuer + subject), so two people sharing a browser do not
// see each other's dashboards.
import type { Query } from '@cubejs-client/core';
import type { Identity } from './identity';

export interface SavedChart {
  id: string;
  title: string;
  query: Query;
}

export class SavedCharts {
  private readonly key: string;

  constructor(identity: Identity) {
    this.key = `tessera.dashboard.charts:${identity.issuer}:${identity.subject}`;
  }

  list(): SavedChart[] {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isSavedChart) : [];
    } catch {
      return [];
    }
  }

  add(title: string, query: Query): SavedChart {
    // Not crypto.randomUUID: that exists only in secure contexts, and Tessera may be served over plain HTTP.
    const chart = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, title, query };
    this.write([...this.list(), chart]);
    return chart;
  }

  remove(id: string): void {
    this.write(this.list().filter((c) => c.id !== id));
  }

  private write(charts: SavedChart[]): void {
    localStorage.setItem(this.key, JSON.stringify(charts));
  }
}

function isSavedChart(value: unknown): value is SavedChart {
  const v = value as Partial<SavedChart> | null;
  return !!v && typeof v.id === 'string' && typeof v.title === 'string' && typeof v.query === 'object' && v.query !== null;
}
