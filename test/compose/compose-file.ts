import { parseDocument } from 'yaml';

/**
 * Reads a Compose file the way `docker compose config` does before it runs anything, for tests
 * on a machine without Docker: YAML with anchors, aliases and `<<` merge keys resolved, then
 * `${VAR…}` interpolation of every string value from a `.env` file. Only the parts of the
 * Compose Specification that this repository's file can meet are implemented, and anything
 * outside them throws rather than being read differently from Compose.
 */

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
export type YamlMap = { [key: string]: Yaml };

export const isMap = (value: Yaml | undefined): value is YamlMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One `${…}` or `$NAME` reference as written in the file (before any value is known). */
export interface VariableReference {
  name: string;
  /** '' for `${NAME}` / `$NAME`; else one of ':-', '-', ':?', '?', ':+', '+'. */
  operator: string;
  /** The default, error message or replacement, as written. */
  argument: string;
  /** Where it appears, e.g. `services.merchant.environment.AUTH_TOKEN_SECRET`. */
  path: string;
}

export class InterpolationError extends Error {}

/**
 * Parses a `.env` file as Compose does for the forms people write: `KEY=VALUE`, an optional
 * `export `, blank lines and `#` comments, single quotes (literal), double quotes (`\n`, `\"`,
 * `\\` escapes) and unquoted values (trimmed; ` #` starts a comment). Compose also interpolates
 * unquoted values from earlier lines; a `$` in one is rejected here instead of guessed at.
 */
export function parseDotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) throw new Error(`.env line ${index + 1}: expected KEY=VALUE`);
    const [, key, rest] = match;
    let value: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) throw new Error(`.env line ${index + 1}: unterminated single quote`);
      value = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
      if (!quoted) throw new Error(`.env line ${index + 1}: unterminated double quote`);
      value = quoted[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    } else {
      value = rest.replace(/\s+#.*$/, '').trim();
      if (value.includes('$')) throw new Error(`.env line ${index + 1}: interpolation in .env is not modelled`);
    }
    env[key] = value;
  });
  return env;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'];

/**
 * Compose's interpolation of one string: `$$` is a literal `$`; `$NAME` and `${NAME}`; and
 * `${NAME:-default}` (unset or empty), `${NAME-default}` (unset), `${NAME:?message}` /
 * `${NAME?message}` (stop with the message), `${NAME:+other}` / `${NAME+other}` (replacement when
 * set), where the argument may itself hold references. A `$` starting nothing of these is an error,
 * as in Compose. Unset variables without a default become '' and are reported to `unset`.
 */
export function interpolate(
  text: string,
  env: Record<string, string>,
  path: string,
  hooks: { reference?: (r: VariableReference) => void; unset?: (name: string) => void } = {},
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (!name) throw new InterpolationError(`${path}: invalid interpolation format in "${text}"`);
      hooks.reference?.({ name, operator: '', argument: '', path });
      out += resolve(name, '', '', env, path, hooks);
      i = dollar + 1 + name.length;
      continue;
    }
    const body = dollar + 2;
    const name = NAME.exec(text.slice(body))?.[0];
    if (!name) throw new InterpolationError(`${path}: invalid interpolation format in "${text}"`);
    let at = body + name.length;
    const operator = text[at] === '}' ? '' : OPERATORS.find((op) => text.startsWith(op, at));
    if (operator === undefined) throw new InterpolationError(`${path}: invalid interpolation format in "${text}"`);
    at += operator.length;
    // The argument runs to the brace that closes this reference, past nested `${…}`.
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === '$' && text[end + 1] === '{') {
        depth++;
        end++;
      } else if (text[end] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (end >= text.length) throw new InterpolationError(`${path}: unclosed "\${" in "${text}"`);
    const argument = text.slice(at, end);
    hooks.reference?.({ name, operator, argument, path });
    out += resolve(name, operator, argument, env, path, hooks);
    i = end + 1;
  }
  return out;
}

function resolve(
  name: string,
  operator: string,
  argument: string,
  env: Record<string, string>,
  path: string,
  hooks: { reference?: (r: VariableReference) => void; unset?: (name: string) => void },
): string {
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  const present = operator.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  const inner = () => interpolate(argument, env, path, hooks);
  switch (operator) {
    case ':-':
    case '-':
      return present ? (value as string) : inner();
    case ':?':
    case '?':
      if (present) return value as string;
      throw new InterpolationError(`required variable ${name} is missing a value: ${inner()}`);
    case ':+':
    case '+':
      return present ? inner() : '';
    default:
      if (value === undefined) hooks.unset?.(name);
      return value ?? '';
  }
}

export interface LoadedCompose {
  /** The file after merge keys and interpolation: what Compose validates and runs. */
  model: YamlMap;
  /** Every variable reference met while interpolating, in file order. */
  references: VariableReference[];
  /** Variables used without a value or a default (Compose warns and substitutes ''). */
  unset: string[];
}

/** Parses and interpolates a Compose file with the variables of `env` (e.g. parsed `.env`). */
export function loadCompose(text: string, env: Record<string, string>): LoadedCompose {
  // YAML 1.2 with the `<<` merge key that Compose (go-yaml) supports; duplicate keys are errors there too.
  const document = parseDocument(text, { merge: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new Error(document.errors.map((e) => e.message).join('\n'));
  const raw = document.toJS({ maxAliasCount: 1000 }) as Yaml;
  if (!isMap(raw)) throw new Error('a Compose file is a mapping');
  const references: VariableReference[] = [];
  const unset: string[] = [];
  const hooks = { reference: (r: VariableReference) => references.push(r), unset: (n: string) => unset.push(n) };
  // Values only (Compose never interpolates keys). An alias shares its anchor's object in `raw`;
  // the walk builds new objects and never writes to `raw`, so each path gets its own copy.
  const walk = (node: Yaml, path: string): Yaml => {
    if (typeof node === 'string') return interpolate(node, env, path, hooks);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (isMap(node))
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
    return node;
  };
  return { model: walk(raw, '') as YamlMap, references, unset };
}
