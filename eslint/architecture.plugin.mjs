// @ts-check
// The import boundaries and the SQL rule of ARCHITECTURE.md, as two ESLint rules.
import { basename, dirname, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** @typedef {'config'|'common'|'infrastructure'|'data'|'contracts'|'core'|'kit'|'provider'|'area'|'face'} Layer */

/** @type {Record<Layer, Layer[]>} who may import whom (besides itself) */
const MAY_IMPORT = {
  config: [],
  common: ['config'],
  infrastructure: ['config', 'common', 'data'],
  data: ['config', 'common', 'infrastructure', 'contracts'],
  contracts: ['config', 'common'],
  core: ['config', 'common', 'infrastructure', 'data', 'contracts'],
  kit: ['common', 'contracts'],
  provider: ['common', 'contracts', 'kit'],
  area: ['config', 'common', 'infrastructure', 'data', 'contracts', 'core'],
  face: ['config', 'common', 'infrastructure', 'data', 'contracts', 'core', 'kit', 'provider', 'area'],
};

const FACE_FILES = new Set(['app.module.ts', 'app.factory.ts', 'main.ts', `providers${sep}index.ts`]);

/** @param {string} file absolute path of a .ts file under src/ @returns {Layer} */
export function layerOf(file) {
  const path = relative(SRC, file);
  const [top, second] = path.split(sep);
  const name = basename(path);
  if (FACE_FILES.has(path) || name.endsWith('.controller.ts') || top === 'cli' || top === 'console') return 'face';
  if (name.endsWith('.entity.ts') || name.endsWith('.repository.ts')) return 'data';
  if (top === 'config') return 'config';
  if (top === 'common') return 'common';
  if (top === 'database' || top === 'observability') return 'infrastructure';
  if (top === 'messaging') return second === 'contracts' ? 'contracts' : 'core';
  if (top === 'providers') return second === 'kits' ? 'kit' : 'provider';
  return 'area';
}

/** A provider folder is closed: it may not reach into another provider's. */
function providerFolder(file) {
  const [top, code] = relative(SRC, file).split(sep);
  return top === 'providers' && code !== 'kits' ? code : undefined;
}

/** A module wires its own folder's controllers. */
function wiresOwnController(file, target) {
  const [top] = relative(SRC, file).split(sep);
  return file.endsWith('.module.ts') && target.endsWith('.controller.ts') && relative(SRC, target).split(sep)[0] === top;
}

function isUnderSrc(file) {
  return !relative(SRC, file).startsWith('..');
}

function isTestFile(file) {
  return /\.(spec|medium-spec|e2e-spec)\.ts$/.test(file);
}

/** @type {import('eslint').Rule.RuleModule} */
const layerImports = {
  meta: { type: 'problem', schema: [], docs: { description: 'Imports follow the layers of ARCHITECTURE.md' } },
  create(context) {
    const file = context.filename;
    if (!isUnderSrc(file) || isTestFile(file)) return {};
    const from = layerOf(file);
    const check = (node, source, typeOnly = false) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source) + '.ts';
      if (!isUnderSrc(target) || wiresOwnController(file, target)) return;
      const to = layerOf(target);
      const otherProvider = from === 'provider' && to === 'provider' && providerFolder(file) !== providerFolder(target);
      if ((to === from && !otherProvider) || MAY_IMPORT[from].includes(to)) return;
      // Rows carry the core's types (an event's payload), nothing more.
      if (from === 'data' && to === 'core' && typeOnly) return;
      context.report({
        node,
        message: `A ${from} file may not import ${otherProvider ? "another provider's file" : `a ${to} file`} (${source}); see ARCHITECTURE.md`,
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
    };
  },
};

const TYPEORM_HANDLES = new Set(['DataSource', 'EntityManager', 'Repository', 'QueryRunner', 'SelectQueryBuilder']);
const NEST_TYPEORM_HANDLES = new Set(['InjectDataSource', 'InjectRepository', 'InjectEntityManager', 'getDataSourceToken']);

function mayHoldSql(file) {
  const path = relative(SRC, file);
  return path.endsWith('.repository.ts') || path.split(sep)[0] === 'database' || isTestFile(file) || !isUnderSrc(file);
}

/** @type {import('eslint').Rule.RuleModule} */
const sqlInRepositories = {
  meta: { type: 'problem', schema: [], docs: { description: 'Only repositories speak SQL or hold TypeORM handles' } },
  create(context) {
    if (mayHoldSql(context.filename)) return {};
    const report = (node, what) =>
      context.report({ node, message: `${what} belongs in a <noun>.repository.ts (ARCHITECTURE.md)` });
    return {
      ImportDeclaration(node) {
        const handles = node.source.value === 'typeorm' ? TYPEORM_HANDLES : node.source.value === '@nestjs/typeorm' ? NEST_TYPEORM_HANDLES : undefined;
        if (!handles) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier' && handles.has(specifier.imported.name))
            report(specifier, `${specifier.imported.name}`);
        }
      },
      'CallExpression > MemberExpression.callee[property.name="query"]'(node) {
        report(node, 'A SQL query');
      },
    };
  },
};

export default { rules: { 'layer-imports': layerImports, 'sql-in-repositories': sqlInRepositories } };
