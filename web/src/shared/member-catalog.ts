// What the signed-in user may query, exactly as /meta lists it. The server
// leaves out members the user's role may not see, so this catalog is the only
// source the builder offers choices from.
import type { Cube, Meta, TCubeDimension, TCubeMeasure, TCubeSegment } from '@cubejs-client/core';

export interface CatalogMember {
  name: string;
  title: string;
  type: string;
  cube: string;
}

export class MemberCatalog {
  readonly measures: CatalogMember[];
  readonly dimensions: CatalogMember[];
  readonly timeDimensions: CatalogMember[];
  readonly segments: CatalogMember[];
  private readonly byName = new Map<string, CatalogMember>();

  constructor(readonly cubes: Cube[]) {
    const listed = (members: (TCubeMeasure | TCubeDimension | TCubeSegment)[] | undefined, cube: Cube) =>
      (members ?? [])
        // A member marked private is not for querying even if a server lists it.
        .filter((m) => m.public !== false && m.isVisible !== false)
        .map((m) => ({ name: m.name, title: m.title || m.name, type: 'type' in m ? String(m.type) : 'segment', cube: cube.name }));
    this.measures = cubes.flatMap((c) => listed(c.measures, c));
    const dimensions = cubes.flatMap((c) => listed(c.dimensions, c));
    this.dimensions = dimensions;
    this.timeDimensions = dimensions.filter((d) => d.type === 'time');
    this.segments = cubes.flatMap((c) => listed(c.segments, c));
    for (const member of [...this.measures, ...this.dimensions, ...this.segments]) this.byName.set(member.name, member);
  }

  static fromMeta(meta: Meta): MemberCatalog {
    return new MemberCatalog(meta.cubes ?? []);
  }

  offers(name: string): boolean {
    return this.byName.has(name);
  }

  member(name: string): CatalogMember | undefined {
    return this.byName.get(name);
  }

  titleOf(name: string): string {
    return this.byName.get(name)?.title ?? name;
  }

  /** Members a filter can apply to: measures and all dimensions. */
  get filterable(): CatalogMember[] {
    return [...this.dimensions, ...this.measures];
  }
}
