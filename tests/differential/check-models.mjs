// Checks that the Cube 0.27 JS model (cube-model/*.js) and Tessera's YAML
// demo model (demo/model/*.yml) say the same thing, member by member, so the
// recorded answers are valid for the YAML model. Reads YAML through python3's
// yaml module (python3-yaml). Usage: node check-models.mjs JS_DIR YAML_DIR
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';

const [jsDir, yamlDir] = process.argv.slice(2);

// A reference inside a template literal (`${CUBE}`, `${Users.firstName}`)
// renders as the YAML form ("{CUBE}", "{Users.firstName}").
function reference(path) {
  return new Proxy({}, {
    get(_, key) {
      if (key === Symbol.toPrimitive || key === 'toString') return () => `{${path}}`;
      if (key === 'toJSON') return () => path;
      return reference(`${path}.${String(key)}`);
    },
  });
}

// Evaluates a JS model file with every free identifier resolving to a reference.
function loadJsCubes(file) {
  const cubes = [];
  const scope = new Proxy({}, {
    has: () => true,
    get: (_, key) => (key === 'cube' ? (name, def) => cubes.push({ name, ...def })
      : key === Symbol.unscopables ? undefined : reference(String(key))),
  });
  // eslint-disable-next-line no-new-func
  new Function('scope', `with (scope) { ${readFileSync(file, 'utf8')} }`)(scope);
  return cubes;
}

const RENAMES = {
  primaryKey: 'primary_key', drillMembers: 'drill_members', shown: 'public',
};
const RELATIONSHIPS = { belongsTo: 'many_to_one', hasMany: 'one_to_many', hasOne: 'one_to_one' };
const TYPES = { countDistinct: 'count_distinct', countDistinctApprox: 'count_distinct_approx', runningTotal: 'running_total' };

// JS object maps ({count: {...}}) become YAML-style lists with `name`.
function normalizeJsCube(c) {
  // A bare reference (drill members) serializes as its name through toJSON.
  const plain = JSON.parse(JSON.stringify(c));
  const members = (map, fix) => Object.entries(map ?? {}).map(([name, def]) => fix({ name, ...def }));
  const member = (def) => {
    const out = {};
    for (const [k, v] of Object.entries(def)) out[RENAMES[k] ?? k] = k === 'type' ? (TYPES[v] ?? v) : v;
    return out;
  };
  const cube = { name: plain.name, sql: plain.sql };
  if (plain.description) cube.description = plain.description;
  if (plain.title) cube.title = plain.title;
  if (plain.joins) cube.joins = members(plain.joins, (j) => ({ ...j, relationship: RELATIONSHIPS[j.relationship] }));
  for (const kind of ['measures', 'dimensions', 'segments']) {
    if (plain[kind]) cube[kind] = members(plain[kind], member);
  }
  return cube;
}

const jsCubes = readdirSync(jsDir).filter((f) => f.endsWith('.js')).sort()
  .flatMap((f) => loadJsCubes(join(jsDir, f))).map(normalizeJsCube);
const yamlCubes = readdirSync(yamlDir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort()
  .flatMap((f) => JSON.parse(execFileSync('python3', ['-c',
    'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(yamlDir, f)],
  { encoding: 'utf8' })).cubes);

let problems = 0;
const byName = (list) => Object.fromEntries(list.map((c) => [c.name, c]));
const js = byName(jsCubes);
const yml = byName(yamlCubes);
for (const name of new Set([...Object.keys(js), ...Object.keys(yml)])) {
  if (!js[name] || !yml[name]) {
    console.error(`cube ${name} only in ${js[name] ? 'JS' : 'YAML'}`);
    ++problems;
    continue;
  }
  for (const key of new Set([...Object.keys(js[name]), ...Object.keys(yml[name])])) {
    if (!isDeepStrictEqual(js[name][key], yml[name][key])) {
      console.error(`${name}.${key} differs:\n  JS:   ${JSON.stringify(js[name][key])}\n  YAML: ${JSON.stringify(yml[name][key])}`);
      ++problems;
    }
  }
}
if (problems) process.exit(1);
console.log(`models agree: ${Object.keys(js).sort().join(', ')}`);
