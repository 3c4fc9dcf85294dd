'use strict';
// Loads the package's TypeScript (nodes/, credentials/, test/helpers/, bench/*.ts) in plain Node:
// each .ts file is transpiled on require with the project's own TypeScript, without type checking
// (`npx tsc -p tsconfig.test.json --noEmit` checks the bench's types). The bench runs in plain Node
// child processes rather than jest so that memory is measured in a process holding nothing else.

const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	inlineSourceMap: true,
	inlineSources: true,
	experimentalDecorators: true,
	emitDecoratorMetadata: true,
};

function loadTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
}

// `.ts` goes first: Node tries extensions in this order, and `require('./WanVideo.node')` must find
// WanVideo.node.ts, not the codex file WanVideo.node.json next to it.
const others = { ...require.extensions };
for (const extension of Object.keys(others)) delete require.extensions[extension];
require.extensions['.ts'] = loadTypeScript;
Object.assign(require.extensions, others);
