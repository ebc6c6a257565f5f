// The query being built, in a form convenient for editing, and its conversion
// to the JSON query Cube's REST API takes. Kept free of DOM so it is easy to
// reason about what is sent.
import type { Query } from '@cubejs-client/core';

export const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

export const DATE_RANGE_PRESETS = [
  'Today',
  'Yesterday',
  'This week',
  'This month',
  'This quarter',
  'This year',
  'Last 7 days',
  'Last 30 days',
  'Last week',
  'Last month',
  'Last quarter',
  'Last year',
] as const;

/** Cube's filter operators offered by the builder, with how many values each takes. */
export const FILTER_OPERATORS: Record<string, { label: string; values: 'none' | 'one' | 'many' | 'two' }> = {
  equals: { label: 'equals', values: 'many' },
  notEquals: { label: 'does not equal', values: 'many' },
  contains: { label: 'contains', values: 'many' },
  notContains: { label: 'does not contain', values: 'many' },
  gt: { label: '>', values: 'one' },
  gte: { label: '>=', values: 'one' },
  lt: { label: '<', values: 'one' },
  lte: { label: '<=', values: 'one' },
  set: { label: 'is set', values: 'none' },
  notSet: { label: 'is not set', values: 'none' },
  inDateRange: { label: 'in date range', values: 'two' },
  beforeDate: { label: 'before date', values: 'one' },
  afterDate: { label: 'after date', values: 'one' },
};

export interface DraftFilter {
  member: string;
  operator: string;
  values: string[];
}

export interface DraftOrder {
  member: string;
  direction: 'asc' | 'desc';
}

export interface DraftTimeDimension {
  dimension: string;
  granularity: string; // '' = no grouping, only the date range applies
  /** '' = all time; a preset such as "Last 7 days"; or [from, to] as YYYY-MM-DD. */
  dateRange: string | [string, string];
}

export interface QueryDraft {
  measures: string[];
  dimensions: string[];
  segments: string[];
  timeDimension: DraftTimeDimension | null;
  filters: DraftFilter[];
  order: DraftOrder[];
  limit: number | null;
}

export function emptyDraft(): QueryDraft {
  return { measures: [], dimensions: [], segments: [], timeDimension: null, filters: [], order: [], limit: null };
}

export function draftToQuery(draft: QueryDraft): Query {
  const query: Query = {};
  if (draft.measures.length) query.measures = [...draft.measures];
  if (draft.dimensions.length) query.dimensions = [...draft.dimensions];
  if (draft.segments.length) query.segments = [...draft.segments];
  const time = draft.timeDimension;
  if (time?.dimension) {
    const entry: NonNullable<Query['timeDimensions']>[number] = { dimension: time.dimension };
    if (time.granularity) (entry as { granularity?: string }).granularity = time.granularity;
    const range = time.dateRange;
    if (typeof range === 'string' ? range : range[0] && range[1]) entry.dateRange = range;
    query.timeDimensions = [entry];
  }
  const filters = draft.filters.filter((f) => f.member && f.operator);
  if (filters.length) {
    query.filters = filters.map((f) => {
      const arity = FILTER_OPERATORS[f.operator]?.values ?? 'many';
      if (arity === 'none') return { member: f.member, operator: f.operator } as NonNullable<Query['filters']>[number];
      const values = f.values.map((v) => v.trim()).filter((v) => v !== '');
      return { member: f.member, operator: f.operator, values } as NonNullable<Query['filters']>[number];
    });
  }
  if (draft.order.length) query.order = draft.order.map((o): [string, 'asc' | 'desc'] => [o.member, o.direction]);
  if (draft.limit !== null && Number.isFinite(draft.limit) && draft.limit > 0) query.limit = Math.floor(draft.limit);
  return query;
}

/** Every member a query names, to check it against what /meta offers. */
export function membersOf(query: Query): string[] {
  const names = [
    ...(query.measures ?? []),
    ...(query.dimensions ?? []),
    ...(query.segments ?? []),
    ...(query.timeDimensions ?? []).map((t) => t.dimension),
  ];
  return [...new Set(names)];
}
