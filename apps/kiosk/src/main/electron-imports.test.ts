import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The main-process modules are tested in plain Node, where there is no Electron. Since Electron
 * 42, loading the `electron` package outside Electron does not just return a path: it starts
 * downloading the Electron binary. So only the entry (main.ts) may load it at run time; every
 * other module takes Electron's types only (`import type`), and receives the real objects from
 * main.ts.
 */
const mainDir = new URL('./', import.meta.url);

function runtimeElectronImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(new URL(file, mainDir), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'electron') {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.getText(source));
    }
    if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref) && ref.text === 'electron') found.push(node.getText(source));
    }
  }
  // Dynamic import('electron') and require('electron') anywhere in the file.
  if (/\b(import|require)\(\s*['"]electron['"]\s*\)/.test(source.text)) found.push('dynamic import or require of electron');
  return found;
}

describe('Electron is loaded by the entry only', () => {
  const modules = readdirSync(fileURLToPath(mainDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

  it('main.ts loads it; every other main-process module imports its types only', () => {
    expect(modules).toContain('main.ts');
    expect(runtimeElectronImports('main.ts')).not.toEqual([]);
    const offenders: Record<string, string[]> = {};
    for (const f of modules.filter((m) => m !== 'main.ts')) {
      const found = runtimeElectronImports(f);
      if (found.length) offenders[f] = found;
    }
    expect(offenders).toEqual({});
  });

  it('tells a type import from a run-time one', () => {
    // window-options.ts takes BrowserWindowConstructorOptions as a type: the check must see it as one.
    expect(readFileSync(new URL('./window-options.ts', mainDir), 'utf8')).toMatch(/import type .* from 'electron'/);
    expect(runtimeElectronImports('window-options.ts')).toEqual([]);
  });
});
