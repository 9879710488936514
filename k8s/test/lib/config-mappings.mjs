// The configuration keys that a Java source's @ConfigMapping interfaces read, as SmallRye Config derives them: the
// mapping's prefix, then each method's name in kebab-case (deviceBatch -> device-batch), a method returning a nested
// interface adding its name as a segment (reap.shard-writer.sweep.max-age), Optional<...> around either, @WithName,
// @WithParentName and @WithDefault honoured. What this reader does not understand (a mapping that extends another, a
// method with parameters, a group inside a collection or map) is an error, so that no key goes unseen.

/**
 * The source without comments, each string literal replaced by "#i" where strings[i] is its value: the declarations
 * can then be split at ; { } without a literal or a comment getting in the way.
 */
function tokenize(source) {
  let code = '';
  const strings = [];
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      code += ' ';
      i = end < 0 ? source.length : end + 2;
    } else if (source[i] === '"' || source[i] === "'") {
      const quote = source.startsWith('"""', i) ? '"""' : source[i];
      let j = i + quote.length;
      let value = '';
      while (j < source.length && !source.startsWith(quote, j)) {
        if (source[j] === '\\') {
          value += source[j + 1];
          j += 2;
        } else {
          value += source[j];
          j += 1;
        }
      }
      if (quote === "'") {
        code += "' '";
      } else {
        strings.push(value);
        code += `"#${strings.length - 1}"`;
      }
      i = j + quote.length;
    } else {
      code += source[i];
      i += 1;
    }
  }
  return { code, strings };
}

/** The index of the brace that closes the one at {@code open}. */
function closingBrace(code, open) {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth += 1;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  throw new Error('unbalanced braces');
}

/** The members of a type's body at its top level: declarations ending in ; and nested interfaces by name. */
function members(body) {
  const declarations = [];
  const interfaces = new Map();
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === ';') {
      const declaration = body.slice(start, i).trim();
      if (declaration) declarations.push(declaration);
      start = i + 1;
    } else if (body[i] === '{') {
      const end = closingBrace(body, i);
      const head = body.slice(start, i).trim();
      const nested = /(?:^|\s)interface\s+(\w+)([^]*)$/.exec(head);
      if (nested && !head.includes('@interface')) interfaces.set(nested[1], { head, body: body.slice(i + 1, end) });
      // Anything else with a body (a default or static method, a nested class, enum or record) maps no key.
      i = end;
      start = end + 1;
    }
  }
  return { declarations, interfaces };
}

const annotationValue = (annotations, name, strings) => {
  const m = new RegExp(`@${name}\\s*\\(\\s*(?:value\\s*=\\s*)?"#(\\d+)"\\s*\\)`).exec(annotations);
  return m ? strings[Number(m[1])] : undefined;
};

const NAMING = {
  KEBAB_CASE: (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase(),
  SNAKE_CASE: (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase(),
  VERBATIM: (name) => name,
};

/** Type arguments of a generic type at the top level: "Map<String, List<X>>" -> ["String", "List<X>"]. */
function typeArguments(type) {
  const open = type.indexOf('<');
  if (open < 0) return [];
  const inner = type.slice(open + 1, type.lastIndexOf('>'));
  const args = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '<') depth += 1;
    else if (inner[i] === '>') depth -= 1;
    else if (inner[i] === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(inner.slice(start).trim());
  return args;
}

const rawName = (type) => type.replace(/<[^]*$/, '').trim().split('.').pop();

/** The keys an interface body maps under {@code prefix}; {@code scopes} are its own and its enclosing interfaces. */
function keysOf(body, prefix, scopes, context) {
  const { declarations, interfaces } = members(body);
  const visible = [interfaces, ...scopes];
  const group = (type) => visible.find((scope) => scope.has(rawName(type)))?.get(rawName(type));
  const keys = [];
  for (const declaration of declarations) {
    if (declaration.includes('=') || /(?:^|\s)(?:static|default)\s/.test(declaration)) continue; // a constant
    const m = /^((?:@\w+(?:\s*\([^)]*\))?\s*)*)(?:(?:public|abstract)\s+)*([\w.<>,?\s[\]]+?)\s+(\w+)\s*\(([^)]*)\)\s*$/.exec(declaration);
    if (!m) throw new Error(`${context.where}: cannot read the mapping member "${declaration}"`);
    const [, annotations, type, method, parameters] = m;
    if (parameters.trim()) throw new Error(`${context.where}: mapping method ${method} takes parameters`);
    const segment = /@WithParentName\b/.test(annotations) ? ''
      : annotationValue(annotations, 'WithName', context.strings) ?? context.naming(method);
    const key = segment ? `${prefix}.${segment}` : prefix;
    const value = rawName(type) === 'Optional' ? typeArguments(type)[0] : type;
    const nested = group(value);
    if (nested) {
      keys.push(...keysOf(nested.body, key, visible, context));
    } else if (typeArguments(value).some((argument) => group(argument))) {
      throw new Error(`${context.where}: ${method} holds mapping groups in a ${rawName(value)}, which this reader does not follow`);
    } else {
      keys.push({ key, default: annotationValue(annotations, 'WithDefault', context.strings) });
    }
  }
  return keys;
}

/** Every key that the @ConfigMapping interfaces declared in {@code source} read: [{ key, default }]. */
export function configMappingKeys(source, where) {
  const { code, strings } = tokenize(source);
  const keys = [];
  for (const m of code.matchAll(/@ConfigMapping\s*\(([^)]*)\)/g)) {
    const prefixRef = /prefix\s*=\s*"#(\d+)"/.exec(m[1]);
    const naming = /namingStrategy\s*=\s*(?:[\w.]*\.)?(\w+)/.exec(m[1])?.[1] ?? 'KEBAB_CASE';
    if (!NAMING[naming]) throw new Error(`${where}: naming strategy ${naming} is not understood`);
    const open = code.indexOf('{', m.index);
    const head = code.slice(m.index + m[0].length, open);
    if (!/(?:^|\s)interface\s+\w+/.test(head)) throw new Error(`${where}: @ConfigMapping on something other than an interface`);
    if (/\bextends\b/.test(head)) throw new Error(`${where}: a mapping that extends another is not understood here`);
    const prefix = prefixRef ? strings[Number(prefixRef[1])] : '';
    keys.push(...keysOf(code.slice(open + 1, closingBrace(code, open)), prefix, [], { where, strings, naming: NAMING[naming] }));
  }
  return keys.map(({ key, default: dflt }) => ({ key: key.replace(/^\./, ''), default: dflt }));
}
