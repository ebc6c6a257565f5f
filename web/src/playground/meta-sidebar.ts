// The model as /meta describes it: each cube with its measures, dimensions and
// segments, titles and types. Clicking a member adds it to the query.
import { h } from '../shared/dom';
import type { CatalogMember, MemberCatalog } from '../shared/member-catalog';

export function metaSidebar(catalog: MemberCatalog, onPick: (member: string) => void): HTMLElement {
  const group = (label: string, members: CatalogMember[]) =>
    members.length === 0
      ? null
      : h(
          'div',
          { class: 'member-group' },
          h('h4', {}, label),
          h(
            'ul',
            {},
            members.map((m) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', class: 'member', testid: 'meta-member', 'data-member': m.name, title: `Add ${m.name}`, onclick: () => onPick(m.name) },
                  h('span', { class: 'member-title' }, m.title),
                  h('span', { class: 'member-type' }, m.type),
                ),
              ),
            ),
          ),
        );
  return h(
    'aside',
    { class: 'sidebar', testid: 'meta-sidebar' },
    h('h3', {}, 'Cubes'),
    catalog.cubes.length === 0 && h('p', { class: 'empty' }, 'The model has no cubes.'),
    catalog.cubes.map((cube) => {
      const inCube = (list: CatalogMember[]) => list.filter((m) => m.cube === cube.name);
      return h(
        'details',
        { class: 'cube', testid: 'meta-cube', 'data-cube': cube.name, open: true },
        h('summary', {}, h('strong', {}, cube.title || cube.name), ' ', h('code', {}, cube.name)),
        group('Measures', inCube(catalog.measures)),
        group('Dimensions', inCube(catalog.dimensions)),
        group('Segments', inCube(catalog.segments)),
      );
    }),
  );
}
