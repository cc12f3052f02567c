#!/usr/bin/env node
// Static checks for infra/terraform and the root Dockerfile. Called by infra/check.sh, which
// installs @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly) and passes its path.
//
//   node check.js --hcl2json <module dir> [--terraform <dir>] [--dockerfile <file>]
//                 [--dockerignore <file>] [--app-pom <file>]
//
// Prints one line per problem ("PROBLEM <where>: <what>") and exits 1 if there is any.
'use strict';

const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad arguments near ${argv[i]}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}

const problems = [];
function problem(where, what) {
  problems.push(`PROBLEM ${where}: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// Terraform

// Arguments of a module block that are Terraform meta-arguments, not module variables.
const MODULE_META_ARGS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

// A string variable with one of these words in its name holds a secret: it must not have a default.
const SECRET_NAME = /(password|secret|token|private_key|api_key|master_key)/i;
// Resource arguments that would put a secret value into the state file. Use a write-only
// (`*_wo`) argument fed from an ephemeral resource, or let the service manage the secret.
const STATE_SECRET_ARGS = new Set(['password', 'master_password', 'auth_token', 'secret_string', 'secret_binary']);

function tfFilesIn(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort().map((f) => path.join(dir, f));
}

function dirsWithTf(root) {
  const out = [];
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(dir);
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name));
    }
  };
  walk(root);
  return out.sort();
}

// Every `${ ... }` interpolation in a string, braces balanced (an HCL expression as hcl2json
// renders it). Only expressions are searched for references, never descriptions or literals.
function interpolations(s) {
  const out = [];
  let i = s.indexOf('${');
  while (i !== -1) {
    if (i > 0 && s[i - 1] === '$') { // "$${" is an escaped literal
      i = s.indexOf('${', i + 2);
      continue;
    }
    let depth = 0;
    let j = i + 1;
    for (; j < s.length; j++) {
      if (s[j] === '{') depth++;
      else if (s[j] === '}') {
        depth--;
        if (depth === 0) break;
      }
    }
    out.push(s.slice(i + 2, j));
    i = s.indexOf('${', j + 1);
  }
  return out;
}

function eachString(value, fn) {
  if (typeof value === 'string') fn(value);
  else if (Array.isArray(value)) value.forEach((v) => eachString(v, fn));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      fn(k);
      eachString(v, fn);
    }
  }
}

const REF_PATTERNS = {
  var: /(?<![\w.])var\.([A-Za-z_][\w-]*)/g,
  local: /(?<![\w.])local\.([A-Za-z_][\w-]*)/g,
  module: /(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/g,
  data: /(?<![\w.])data\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g,
  ephemeral: /(?<![\w.])ephemeral\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g,
  resource: /(?<![\w.])((?:aws|random|tls|null|time)_[\w]+)\.([A-Za-z_][\w-]*)/g,
};

function collectRefs(value, into) {
  eachString(value, (s) => {
    for (const expr of interpolations(s)) {
      for (const [kind, re] of Object.entries(REF_PATTERNS)) {
        re.lastIndex = 0;
        let m;
        while ((m = re.exec(expr)) !== null) into.push({ kind, a: m[1], b: m[2] });
      }
    }
  });
}

// Merges the parsed files of one directory (one Terraform module).
function loadModule(dir, parsedByFile) {
  const mod = {
    dir,
    variables: {},
    outputs: {},
    locals: {},
    modules: {},
    resources: new Set(),
    data: new Set(),
    ephemeral: new Set(),
    refs: [], // references from everywhere except variable blocks
    resourceBodies: [], // { type, name, body, file }
    hasBackendExample: fs.existsSync(path.join(dir, 'backend.tf.example')),
    hasBackendBlock: false,
  };
  for (const [file, json] of parsedByFile) {
    for (const [name, blocks] of Object.entries(json.variable || {})) {
      if (mod.variables[name]) problem(file, `variable "${name}" declared twice`);
      mod.variables[name] = { file, body: blocks[0] || {} };
    }
    for (const [name, blocks] of Object.entries(json.output || {})) {
      if (mod.outputs[name]) problem(file, `output "${name}" declared twice`);
      mod.outputs[name] = { file, body: blocks[0] || {} };
      collectRefs(blocks, mod.refs);
    }
    for (const block of json.locals || []) {
      for (const [name, value] of Object.entries(block)) {
        if (mod.locals[name]) problem(file, `local "${name}" declared twice`);
        mod.locals[name] = { file };
        collectRefs(value, mod.refs);
      }
    }
    for (const [name, blocks] of Object.entries(json.module || {})) {
      if (mod.modules[name]) problem(file, `module "${name}" declared twice`);
      mod.modules[name] = { file, body: blocks[0] || {} };
      collectRefs(blocks, mod.refs);
    }
    for (const [kind, set] of [['resource', mod.resources], ['data', mod.data], ['ephemeral', mod.ephemeral]]) {
      for (const [type, byName] of Object.entries(json[kind] || {})) {
        for (const [name, blocks] of Object.entries(byName)) {
          const key = `${type}.${name}`;
          if (set.has(key)) problem(file, `${kind} ${key} declared twice`);
          set.add(key);
          collectRefs(blocks, mod.refs);
          if (kind === 'resource') mod.resourceBodies.push({ type, name, body: blocks[0] || {}, file });
        }
      }
    }
    for (const block of json.provider ? Object.values(json.provider).flat() : []) collectRefs(block, mod.refs);
    for (const block of json.check ? Object.values(json.check).flat() : []) collectRefs(block, mod.refs);
    for (const block of json.terraform || []) {
      if (block.backend) mod.hasBackendBlock = true;
    }
  }
  return mod;
}

function typeOf(variable) {
  const t = variable.body.type;
  return typeof t === 'string' ? t.replace(/^\$\{|\}$/g, '').trim() : undefined;
}

function checkModule(mod, modulesByDir, rel, { isEnvironment }) {
  const where = rel(mod.dir);
  const refsOf = (kind) => mod.refs.filter((r) => r.kind === kind);

  // Variables: documented, typed, used; secrets without defaults; environments validate scalars.
  const usedVars = new Set(refsOf('var').map((r) => r.a));
  for (const [name, v] of Object.entries(mod.variables)) {
    const at = `${rel(v.file)} variable "${name}"`;
    if (!usedVars.has(name)) problem(at, 'declared but never used');
    if (!v.body.description) problem(at, 'has no description');
    const type = typeOf(v);
    if (!type) problem(at, 'has no type');
    if (SECRET_NAME.test(name) && typeof v.body.default === 'string' && v.body.default !== '' && !/_(arn|name|id)$/.test(name)) {
      problem(at, 'looks like a secret and has a default value');
    }
    if (isEnvironment && (type === 'string' || type === 'number') && !v.body.validation) {
      problem(at, `is a ${type} input of an environment without a validation block`);
    }
    for (const val of v.body.validation || []) {
      if (!val.condition || !val.error_message) problem(at, 'validation block lacks condition or error_message');
    }
  }
  for (const name of new Set(refsOf('var').map((r) => r.a))) {
    if (!mod.variables[name]) problem(where, `var.${name} is referenced but not declared`);
  }

  // Locals, resources, data sources, ephemeral resources referenced must exist; locals be used.
  const usedLocals = new Set(refsOf('local').map((r) => r.a));
  for (const name of usedLocals) if (!mod.locals[name]) problem(where, `local.${name} is referenced but not declared`);
  for (const [name, l] of Object.entries(mod.locals)) {
    if (!usedLocals.has(name)) problem(`${rel(l.file)} local "${name}"`, 'declared but never used');
  }
  for (const r of refsOf('resource')) {
    if (!mod.resources.has(`${r.a}.${r.b}`)) problem(where, `${r.a}.${r.b} is referenced but not declared`);
  }
  for (const r of refsOf('data')) {
    if (!mod.data.has(`${r.a}.${r.b}`)) problem(where, `data.${r.a}.${r.b} is referenced but not declared`);
  }
  for (const r of refsOf('ephemeral')) {
    if (!mod.ephemeral.has(`${r.a}.${r.b}`)) problem(where, `ephemeral.${r.a}.${r.b} is referenced but not declared`);
  }

  // Outputs: documented, with a value.
  for (const [name, o] of Object.entries(mod.outputs)) {
    const at = `${rel(o.file)} output "${name}"`;
    if (o.body.value === undefined) problem(at, 'has no value');
    if (!o.body.description) problem(at, 'has no description');
  }

  // Resources: no secret argument that Terraform would keep in state.
  for (const r of mod.resourceBodies) {
    const at = `${rel(r.file)} resource ${r.type}.${r.name}`;
    for (const arg of Object.keys(r.body)) {
      if (STATE_SECRET_ARGS.has(arg)) problem(at, `sets "${arg}", which Terraform stores in state (use the write-only "${arg}_wo" or a managed secret)`);
    }
    if (r.type === 'aws_db_instance' && r.body.manage_master_user_password !== true && r.body.password_wo === undefined && r.body.replicate_source_db === undefined) {
      problem(at, 'neither manage_master_user_password = true nor password_wo: the master password must come from Secrets Manager');
    }
  }

  // Module calls: local sources exist, arguments are declared variables, required ones passed,
  // referenced outputs exist.
  for (const [name, call] of Object.entries(mod.modules)) {
    const at = `${rel(call.file)} module "${name}"`;
    const source = call.body.source;
    if (typeof source !== 'string') {
      problem(at, 'has no source');
      continue;
    }
    if (!source.startsWith('./') && !source.startsWith('../')) continue; // registry module: not ours
    const target = modulesByDir.get(path.resolve(mod.dir, source));
    if (!target) {
      problem(at, `source ${source} is not a directory with .tf files`);
      continue;
    }
    call.target = target;
    for (const arg of Object.keys(call.body)) {
      if (MODULE_META_ARGS.has(arg)) continue;
      if (!target.variables[arg]) problem(at, `passes "${arg}", which ${rel(target.dir)} does not declare`);
    }
    for (const [vname, v] of Object.entries(target.variables)) {
      if (v.body.default === undefined && !(vname in call.body)) problem(at, `does not pass required variable "${vname}" of ${rel(target.dir)}`);
    }
  }
  for (const r of refsOf('module')) {
    const call = mod.modules[r.a];
    if (!call) {
      problem(where, `module.${r.a} is referenced but no module "${r.a}" is declared`);
      continue;
    }
    if (r.b && call.target && !call.target.outputs[r.b]) {
      problem(where, `module.${r.a}.${r.b} is referenced but ${rel(call.target.dir)} has no output "${r.b}"`);
    }
  }

  if (isEnvironment) {
    if (!mod.hasBackendExample && !mod.hasBackendBlock) problem(where, 'has neither a backend block nor backend.tf.example');
    if (Object.keys(mod.outputs).length === 0) problem(where, 'declares no outputs');
  }
}

async function checkTerraform(root, parse) {
  const rel = (p) => path.relative(process.cwd(), p) || '.';
  if (!fs.existsSync(root)) {
    problem(rel(root), 'missing');
    return;
  }
  const dirs = dirsWithTf(root);
  if (dirs.length === 0) {
    problem(rel(root), 'no .tf files found');
    return;
  }
  const modulesByDir = new Map();
  let fileCount = 0;
  for (const dir of dirs) {
    const parsed = [];
    for (const file of tfFilesIn(dir)) {
      fileCount++;
      try {
        parsed.push([file, await parse(file, fs.readFileSync(file, 'utf8'))]);
      } catch (e) {
        problem(rel(file), `does not parse: ${String(e.message || e).replace(/\s+/g, ' ')}`);
      }
    }
    // Examples (backend.tf.example) are not loaded, but they must parse when copied into place.
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tf.example')).map((f) => path.join(dir, f))) {
      fileCount++;
      try {
        await parse(file.replace(/\.example$/, ''), fs.readFileSync(file, 'utf8'));
      } catch (e) {
        problem(rel(file), `does not parse: ${String(e.message || e).replace(/\s+/g, ' ')}`);
      }
    }
    modulesByDir.set(path.resolve(dir), loadModule(path.resolve(dir), parsed));
  }
  const envRoot = path.resolve(root, 'environments');
  const modRoot = path.resolve(root, 'modules');
  const isUnder = (dir, parent) => dir === parent || dir.startsWith(parent + path.sep);
  // Environments first: module calls resolve their targets, which the reference checks need.
  const ordered = [...modulesByDir.values()].sort((a, b) => Number(isUnder(b.dir, envRoot)) - Number(isUnder(a.dir, envRoot)));
  for (const mod of ordered) {
    checkModule(mod, modulesByDir, rel, { isEnvironment: isUnder(mod.dir, envRoot) });
  }
  const called = new Set();
  for (const mod of modulesByDir.values()) {
    for (const call of Object.values(mod.modules)) if (call.target) called.add(call.target.dir);
  }
  for (const mod of modulesByDir.values()) {
    if (isUnder(mod.dir, modRoot) && !called.has(mod.dir)) problem(rel(mod.dir), 'module is not used by any environment');
  }
  if (![...modulesByDir.keys()].some((d) => isUnder(d, envRoot))) problem(rel(root), 'no environments/ found');
  console.log(`terraform: ${fileCount} files in ${dirs.length} directories parsed`);
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

const DOCKER_INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

// Logical instructions of a Dockerfile: comments dropped, backslash continuations joined.
function dockerInstructions(text) {
  const out = [];
  const lines = text.split(/\r?\n/);
  let buf = null;
  let start = 0;
  lines.forEach((raw, idx) => {
    const line = raw.replace(/\s+$/, '');
    if (buf === null && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (buf !== null && /^\s*#/.test(line)) return; // comment lines inside a continuation
    if (buf === null) {
      buf = '';
      start = idx + 1;
    }
    if (line.endsWith('\\')) {
      buf += line.slice(0, -1) + ' ';
      return;
    }
    buf += line;
    const m = /^\s*(\S+)\s*(.*)$/.exec(buf);
    out.push({ line: start, keyword: m[1].toUpperCase(), rawKeyword: m[1], rest: m[2] });
    buf = null;
  });
  if (buf !== null) out.push({ line: start, keyword: 'UNTERMINATED', rest: buf });
  return out;
}

function splitWords(s) {
  const trimmed = s.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch (e) {
      return null;
    }
  }
  return trimmed.split(/\s+/).filter(Boolean);
}

// The jar the Maven build writes: the shade plugin's outputFile when set, else <finalName>.jar.
function expectedJar(pomFile) {
  const pom = fs.readFileSync(pomFile, 'utf8');
  const finalName = (/<finalName>\s*([^<\s]+)\s*<\/finalName>/.exec(pom) || [])[1];
  const artifactId = (/<\/parent>[\s\S]*?<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(pom) || [])[1];
  const name = finalName || `${artifactId}-\${project.version}`;
  const moduleDir = path.basename(path.dirname(path.resolve(pomFile)));
  const outputFile = (/<outputFile>\s*([^<\s]+)\s*<\/outputFile>/.exec(pom) || [])[1];
  let jar = outputFile || `\${project.build.directory}/${name}.jar`;
  jar = jar.replace('${project.build.directory}', 'target').replace('${project.build.finalName}', name);
  return { jar: path.posix.join(moduleDir, jar), finalName };
}

function checkDockerfile(file, pomFile, ignoreFile) {
  const where = path.relative(process.cwd(), file);
  if (!fs.existsSync(file)) {
    problem(where, 'missing');
    return;
  }
  const ins = dockerInstructions(fs.readFileSync(file, 'utf8'));
  if (ins.length === 0) {
    problem(where, 'is empty');
    return;
  }
  for (const i of ins) {
    if (!DOCKER_INSTRUCTIONS.has(i.keyword)) problem(`${where}:${i.line}`, `unknown instruction "${i.rawKeyword || i.keyword}"`);
    else if (i.rest.trim() === '') problem(`${where}:${i.line}`, `${i.keyword} without arguments`);
  }
  const firstReal = ins.find((i) => i.keyword !== 'ARG');
  if (!firstReal || firstReal.keyword !== 'FROM') problem(where, 'the first instruction (after ARGs) must be FROM');

  // Stages: name, base, WORKDIR, USER, instructions.
  const stages = [];
  for (const i of ins) {
    if (i.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(i.rest.trim());
      if (!m) {
        problem(`${where}:${i.line}`, `cannot read FROM "${i.rest}"`);
        continue;
      }
      stages.push({ base: m[1], name: m[2], workdir: '/', user: null, ins: [], line: i.line });
    } else if (stages.length) {
      const st = stages[stages.length - 1];
      st.ins.push(i);
      if (i.keyword === 'WORKDIR') st.workdir = path.posix.resolve(st.workdir, i.rest.trim());
      if (i.keyword === 'USER') st.user = i.rest.trim();
    }
  }
  if (stages.length < 2) problem(where, 'must be multi-stage (a build stage and a runtime stage)');
  const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name.toLowerCase(), s]));
  const runtime = stages[stages.length - 1];
  if (!runtime) return;

  // The runtime stage copies the jar from the build stage, and that jar is the Maven artifact.
  const expected = pomFile && fs.existsSync(pomFile) ? expectedJar(pomFile) : null;
  if (pomFile && !expected) problem(where, `app pom ${pomFile} not found`);
  let copiedJar = null;
  for (const i of runtime.ins.filter((x) => x.keyword === 'COPY')) {
    const words = splitWords(i.rest) || [];
    const from = (words.find((w) => w.startsWith('--from=')) || '').slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    if (!from) continue;
    const src = byName.get(from.toLowerCase()) || stages[Number(from)];
    if (!src) {
      problem(`${where}:${i.line}`, `COPY --from=${from} names no earlier stage`);
      continue;
    }
    for (const p of paths.slice(0, -1)) {
      if (!p.endsWith('.jar')) continue;
      const abs = path.posix.resolve(src.workdir, p);
      const dest = paths[paths.length - 1];
      copiedJar = { abs, srcStage: src, line: i.line, dest: dest.endsWith('/') ? path.posix.join(path.posix.resolve(runtime.workdir, dest), path.posix.basename(p)) : path.posix.resolve(runtime.workdir, dest) };
    }
  }
  if (!copiedJar) problem(where, 'the runtime stage copies no .jar from a build stage');
  else if (expected) {
    const want = path.posix.resolve(copiedJar.srcStage.workdir, expected.jar);
    if (copiedJar.abs !== want) {
      problem(`${where}:${copiedJar.line}`, `copies ${copiedJar.abs} but the Maven build produces ${expected.jar} (${want} in the build stage)`);
    }
  }
  if (copiedJar) {
    const build = copiedJar.srcStage;
    const mvn = build.ins.find((i) => i.keyword === 'RUN' && /\bmvn\b/.test(i.rest));
    if (!mvn) problem(where, `build stage "${build.name || build.base}" never runs mvn`);
    else if (!/\bpackage\b/.test(mvn.rest)) problem(`${where}:${mvn.line}`, 'the mvn command does not run the package phase');
    const entry = runtime.ins.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').map((i) => i.rest).join(' ');
    if (!entry.includes(copiedJar.dest)) problem(where, `ENTRYPOINT/CMD does not run the copied jar ${copiedJar.dest}`);
  }

  // Runtime hygiene: non-root, health check on /health, the HTTP port exposed.
  if (!runtime.user || /^(root|0)(:|$)/.test(runtime.user)) problem(where, 'the runtime stage must switch to a non-root USER');
  const hc = runtime.ins.find((i) => i.keyword === 'HEALTHCHECK');
  if (!hc) problem(where, 'the runtime stage has no HEALTHCHECK');
  const exposes = runtime.ins.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.rest.split(/\s+/));
  if (!exposes.some((p) => p.replace(/\/tcp$/, '') === '8080')) problem(where, 'the runtime stage does not EXPOSE 8080');

  // Files the build needs must not be excluded from the build context.
  if (ignoreFile && fs.existsSync(ignoreFile)) {
    const patterns = fs.readFileSync(ignoreFile, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const needed = ['pom.xml', 'app/pom.xml', 'app/src/main/java/dev/tollgate/app/Application.java', 'gateway/src/main/resources/db/migration/gateway/V200__x.sql'];
    for (const i of stages.flatMap((s) => s.ins)) {
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      const all = splitWords(i.rest) || [];
      if (all.some((w) => w.startsWith('--from='))) continue;
      const words = all.filter((w) => !w.startsWith('--'));
      for (const src of words.slice(0, -1)) if (!/[*?]/.test(src) && src !== '.') needed.push(src.replace(/^\.\//, ''));
    }
    for (const file of needed) {
      if (dockerIgnored(patterns, file)) problem(path.relative(process.cwd(), ignoreFile), `excludes ${file}, which the image build needs`);
    }
  }
  console.log(`dockerfile: ${ins.length} instructions in ${stages.length} stages read`);
}

// .dockerignore semantics (Go filepath.Match plus "**"; later "!" lines re-include; a pattern
// matching a parent directory excludes everything under it).
function dockerIgnored(patterns, file) {
  const toRegex = (p) => {
    let re = '';
    const s = path.posix.normalize(p.replace(/^\/+/, ''));
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '*' && s[i + 1] === '*') {
        re += '.*';
        i++;
        if (s[i + 1] === '/') i++;
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}(/.*)?$`);
  };
  let ignored = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    if (toRegex(negate ? p.slice(1) : p).test(file)) ignored = !negate;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.hcl2json && args.terraform) throw new Error('--hcl2json is required with --terraform');
  if (args.terraform) {
    const { parse } = require(path.resolve(args.hcl2json));
    await checkTerraform(path.resolve(args.terraform), parse);
  }
  if (args.dockerfile) checkDockerfile(path.resolve(args.dockerfile), args['app-pom'], args.dockerignore);
  for (const p of problems) console.log(p);
  console.log(problems.length === 0 ? 'infra check: OK' : `infra check: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`infra check failed to run: ${e.stack || e}`);
  process.exit(2);
});
