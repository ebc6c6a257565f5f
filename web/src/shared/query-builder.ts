// The query builder shared by the Playground and the Dashboard's Explore page.
// Every picker is a <select> whose option values are member names, so a
// browser test can choose `Orders.count` directly; see README.md for the hooks.
import { h, option, replaceChildren } from './dom';
import type { CatalogMember, MemberCatalog } from './member-catalog';
import {
  DATE_RANGE_PRESETS,
  FILTER_OPERATORS,
  GRANULARITIES,
  draftToQuery,
  emptyDraft,
  type QueryDraft,
} from './query-draft';
import type { Query } from '@cubejs-client/core';

type MemberList = 'measures' | 'dimensions' | 'segments';

export class QueryBuilder {
  readonly element = h('form', { class: 'query-builder', testid: 'query-builder' });
  private draft: QueryDraft = emptyDraft();

  constructor(
    private readonly catalog: MemberCatalog,
    private readonly onRun: (query: Query) => void,
  ) {
    // Enter in a text field runs the query rather than reloading the page.
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.onRun(this.query());
    });
    this.render();
  }

  query(): Query {
    return draftToQuery(this.draft);
  }

  /** Adds a member to the fitting list (used by the Playground's sidebar). */
  addMember(name: string): void {
    const member = this.catalog.member(name);
    if (!member) return;
    if (this.catalog.measures.includes(member)) this.addTo('measures', name);
    else if (this.catalog.segments.includes(member)) this.addTo('segments', name);
    else this.addTo('dimensions', name);
  }

  private addTo(list: MemberList, name: string): void {
    if (!this.draft[list].includes(name)) this.draft[list].push(name);
    this.render();
  }

  private render(): void {
    const c = this.catalog;
    replaceChildren(
      this.element,
      this.memberSection('Measures', 'measures', 'add-measure', c.measures),
      this.memberSection('Dimensions', 'dimensions', 'add-dimension', c.dimensions),
      c.segments.length ? this.memberSection('Segments', 'segments', 'add-segment', c.segments) : null,
      this.timeSection(),
      this.filterSection(),
      this.orderSection(),
      h(
        'div',
        { class: 'builder-row' },
        h('label', { for: 'qb-limit' }, 'Limit '),
        h('input', {
          id: 'qb-limit',
          type: 'number',
          min: 1,
          testid: 'limit',
          value: this.draft.limit === null ? '' : String(this.draft.limit),
          oninput: (e: Event) => {
            const text = (e.target as HTMLInputElement).value;
            this.draft.limit = text === '' ? null : Number(text);
          },
        }),
        h('button', { type: 'submit', class: 'primary', testid: 'run' }, 'Run'),
      ),
    );
  }

  private memberSection(title: string, list: MemberList, testid: string, members: CatalogMember[]): HTMLElement {
    const chosen = this.draft[list];
    return h(
      'fieldset',
      { class: 'builder-section', testid: `section-${list}` },
      h('legend', {}, title),
      h(
        'ul',
        { class: 'chips' },
        chosen.map((name) =>
          h(
            'li',
            { class: 'chip', testid: `selected-${list}`, 'data-member': name },
            h('span', { title: name }, this.catalog.titleOf(name)),
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                testid: 'remove-member',
                'aria-label': `Remove ${name}`,
                onclick: () => {
                  this.draft[list] = chosen.filter((n) => n !== name);
                  this.render();
                },
              },
              '×',
            ),
          ),
        ),
      ),
      this.memberPicker(testid, `Add ${title.toLowerCase().replace(/s$/, '')}…`, members.filter((m) => !chosen.includes(m.name)), (name) =>
        this.addTo(list, name),
      ),
    );
  }

  /** A <select> whose choice is acted on at once and then reset to its prompt. */
  private memberPicker(testid: string, prompt: string, members: CatalogMember[], onPick: (name: string) => void) {
    return h(
      'select',
      {
        testid,
        'aria-label': prompt,
        onchange: (e: Event) => {
          const name = (e.target as HTMLSelectElement).value;
          if (name) onPick(name);
        },
      },
      option('', prompt, true),
      groupedOptions(members),
    );
  }

  private timeSection(): HTMLElement {
    const time = this.draft.timeDimension;
    const range = time?.dateRange ?? '';
    const custom = Array.isArray(range);
    return h(
      'fieldset',
      { class: 'builder-section', testid: 'section-time' },
      h('legend', {}, 'Time'),
      h(
        'div',
        { class: 'builder-row' },
        h(
          'select',
          {
            testid: 'time-dimension',
            'aria-label': 'Time dimension',
            onchange: (e: Event) => {
              const dimension = (e.target as HTMLSelectElement).value;
              this.draft.timeDimension = dimension
                ? { dimension, granularity: time?.granularity ?? 'day', dateRange: time?.dateRange ?? '' }
                : null;
              this.render();
            },
          },
          option('', 'No time dimension', !time),
          groupedOptions(this.catalog.timeDimensions, time?.dimension),
        ),
        time &&
          h(
            'select',
            {
              testid: 'granularity',
              'aria-label': 'Granularity',
              onchange: (e: Event) => (time.granularity = (e.target as HTMLSelectElement).value),
            },
            option('', 'no grouping', time.granularity === ''),
            GRANULARITIES.map((g) => option(g, `by ${g}`, time.granularity === g)),
          ),
        time &&
          h(
            'select',
            {
              testid: 'date-range',
              'aria-label': 'Date range',
              onchange: (e: Event) => {
                const value = (e.target as HTMLSelectElement).value;
                time.dateRange = value === 'custom' ? ['', ''] : value;
                this.render();
              },
            },
            option('', 'All time', range === ''),
            DATE_RANGE_PRESETS.map((p) => option(p, p, range === p)),
            option('custom', 'Between dates…', custom),
          ),
        time && custom && this.dateInput('date-from', range, 0),
        time && custom && this.dateInput('date-to', range, 1),
      ),
    );
  }

  private dateInput(testid: string, range: [string, string], index: 0 | 1): HTMLInputElement {
    return h('input', {
      type: 'date',
      testid,
      'aria-label': index === 0 ? 'From' : 'To',
      value: range[index],
      oninput: (e: Event) => (range[index] = (e.target as HTMLInputElement).value),
    });
  }

  private filterSection(): HTMLElement {
    return h(
      'fieldset',
      { class: 'builder-section', testid: 'section-filters' },
      h('legend', {}, 'Filters'),
      this.draft.filters.map((filter, index) => {
        const arity = FILTER_OPERATORS[filter.operator]?.values ?? 'many';
        return h(
          'div',
          { class: 'builder-row', testid: 'filter', 'data-member': filter.member },
          h('span', { class: 'member-name', title: filter.member }, this.catalog.titleOf(filter.member)),
          h(
            'select',
            {
              testid: 'filter-operator',
              'aria-label': 'Operator',
              onchange: (e: Event) => {
                filter.operator = (e.target as HTMLSelectElement).value;
                this.render();
              },
            },
            Object.entries(FILTER_OPERATORS).map(([op, about]) => option(op, about.label, op === filter.operator)),
          ),
          arity !== 'none' &&
            h('input', {
              type: 'text',
              testid: 'filter-values',
              'aria-label': 'Values',
              placeholder: arity === 'two' ? 'from, to' : arity === 'one' ? 'value' : 'values, separated by commas',
              value: filter.values.join(', '),
              oninput: (e: Event) => (filter.values = (e.target as HTMLInputElement).value.split(',')),
            }),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              testid: 'remove-filter',
              onclick: () => {
                this.draft.filters.splice(index, 1);
                this.render();
              },
            },
            'Remove',
          ),
        );
      }),
      this.memberPicker('add-filter', 'Add filter on…', this.catalog.filterable, (member) => {
        this.draft.filters.push({ member, operator: 'equals', values: [] });
        this.render();
      }),
    );
  }

  private orderSection(): HTMLElement {
    const ordered = this.draft.order.map((o) => o.member);
    return h(
      'fieldset',
      { class: 'builder-section', testid: 'section-order' },
      h('legend', {}, 'Order'),
      this.draft.order.map((entry, index) =>
        h(
          'div',
          { class: 'builder-row', testid: 'order', 'data-member': entry.member },
          h('span', { class: 'member-name', title: entry.member }, this.catalog.titleOf(entry.member)),
          h(
            'select',
            {
              testid: 'order-direction',
              'aria-label': 'Direction',
              onchange: (e: Event) => (entry.direction = (e.target as HTMLSelectElement).value === 'desc' ? 'desc' : 'asc'),
            },
            option('asc', 'ascending', entry.direction === 'asc'),
            option('desc', 'descending', entry.direction === 'desc'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              testid: 'remove-order',
              onclick: () => {
                this.draft.order.splice(index, 1);
                this.render();
              },
            },
            'Remove',
          ),
        ),
      ),
      this.memberPicker(
        'add-order',
        'Order by…',
        [...this.catalog.measures, ...this.catalog.dimensions].filter((m) => !ordered.includes(m.name)),
        (member) => {
          this.draft.order.push({ member, direction: 'asc' });
          this.render();
        },
      ),
    );
  }
}

/** Options grouped by cube, values being full member names. */
function groupedOptions(members: CatalogMember[], selected?: string): HTMLOptGroupElement[] {
  const byCube = new Map<string, CatalogMember[]>();
  for (const m of members) byCube.set(m.cube, [...(byCube.get(m.cube) ?? []), m]);
  return [...byCube].map(([cube, list]) =>
    h('optgroup', { label: cube }, list.map((m) => option(m.name, `${m.title} (${m.name})`, m.name === selected))),
  );
}
