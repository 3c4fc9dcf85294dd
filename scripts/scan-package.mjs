#!/usr/bin/env node
// `npm run scan`: n8n's own checks, run locally before a release.
//
// 1. Pack contents: `npm pack --dry-run --json` ships only package.json, README.md, LICENSE.md and
//    dist/** (compiled nodes and credential, codex .node.json, light + dark icons), nothing else.
// 2. Codex and icons: each node's codex parses, names "<package>.<node name>", uses n8n's documented
//    categories and https documentation URLs (README anchors must exist); each node and the
//    credential has distinct light/dark icon files in the pack.
// 3. The two lint passes of `@n8n/scan-community-package` (the gate n8n runs before verifying a
//    package; the real one only runs on a version published with npm provenance):
//    (a) source: package.json + {nodes,credentials}/**/*.{js,ts,json}
//    (b) the packed tarball (`npm pack`): **/*.js + package.json
//    Both use the scanner's own exported ESLint config (`buildScanConfig`), its own ESLint and its
//    own ESLint options. The scanner fails on any error; warnings are reported but, as in the
//    scanner, do not fail.
//
// Builds first when dist/ is missing (or with --build); --list prints every packed file.
// Exit code 1 on any problem.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireHere = createRequire(import.meta.url);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

// n8n-docs, "Node codex files": the node panel categories (exact spelling), plus 'AI'.
const CATEGORIES = new Set([
	'Data & Storage',
	'Finance & Accounting',
	'Marketing & Content',
	'Productivity',
	'Miscellaneous',
	'Sales',
	'Development',
	'Analytics',
	'Communication',
	'Utility',
	'AI',
]);
const ROOT_FILES = new Set(['package.json', 'README.md', 'LICENSE.md']);
const DIST_EXTENSIONS = ['.js', '.js.map', '.d.ts', '.json', '.svg', '.png'];
const UNWANTED = [
	/\.tsbuildinfo$/,
	/(^|\/)(test|tests|__tests__|__mocks__|bench|examples|e2e|coverage)(\/|$)/,
	/\.(test|spec|bench)\.[cm]?[jt]s(\.map)?$/,
	/\.(bak|backup|orig|tgz|log)$/,
	/(^|\/)\.[^/]+$/,
];

const problems = [];
const fail = (msg) => problems.push(msg);
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
	if (r.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout ?? ''}${r.stderr ?? ''}`,
		);
	}
	return r.stdout;
}

// ---------------------------------------------------------------- build if needed
const registered = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
if (
	process.argv.includes('--build') ||
	!registered.every((p) => fs.existsSync(path.join(ROOT, p)))
) {
	console.log('dist/ is missing or incomplete: npm run build');
	run('npm', ['run', 'build'], { stdio: 'inherit' });
}

// ---------------------------------------------------------------- 1. pack contents
const dryRun = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']));
const packed = dryRun[0].files.map((f) => f.path).sort();
const inPack = new Set(packed);
for (const file of packed) {
	if (ROOT_FILES.has(file)) continue;
	if (!file.startsWith('dist/')) {
		fail(`pack: ${file} ships but only package.json, README.md, LICENSE.md and dist/** may`);
	} else if (UNWANTED.some((re) => re.test(file))) {
		fail(
			`pack: ${file} ships but is not runtime code (test, bench, example, build info, dot file)`,
		);
	} else if (!DIST_EXTENSIONS.some((ext) => file.endsWith(ext))) {
		fail(`pack: ${file} ships with an unexpected file type`);
	} else if (!/^dist\/(nodes|credentials)\//.test(file) && file !== 'dist/package.json') {
		fail(`pack: ${file} ships outside dist/nodes and dist/credentials`);
	}
}
for (const file of ROOT_FILES) if (!inPack.has(file)) fail(`pack: ${file} is missing`);
for (const file of registered)
	if (!inPack.has(file)) fail(`pack: ${file} (package.json "n8n") is missing`);

// ---------------------------------------------------------------- 2. codex and icons
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const anchors = readmeAnchors(readme);
const repoUrls = [pkg.homepage, pkg.repository?.url].filter(Boolean).map((u) =>
	u
		.replace(/^git\+/, '')
		.replace(/^[a-z]+:\/\//, '')
		.replace(/\.git$/, '')
		.replace(/#.*$/, '')
		.replace(/\/$/, ''),
);

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats get -N.
function readmeAnchors(md) {
	const seen = new Map();
	const out = new Set();
	let fence = null;
	for (const line of md.split('\n')) {
		const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
		if (f) {
			if (!fence) fence = f[1][0];
			else if (f[1][0] === fence) fence = null;
			continue;
		}
		const h = !fence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!h) continue;
		const base = h[1]
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		out.add(n ? `${base}-${n}` : base);
	}
	return out;
}

function checkDocUrl(where, url) {
	let u;
	try {
		u = new URL(url);
	} catch {
		return fail(`${where}: "${url}" is not a URL`);
	}
	if (u.protocol !== 'https:') fail(`${where}: "${url}" is not https`);
	const base = `${u.host}${u.pathname}`.replace(/\/$/, '');
	if (u.hash && repoUrls.includes(base) && !anchors.has(decodeURIComponent(u.hash.slice(1)))) {
		fail(
			`${where}: "${url}" points at README anchor ${u.hash}, which README.md has no heading for`,
		);
	}
}

function loadDefault(distFile) {
	const mod = requireHere(path.join(ROOT, distFile));
	const Cls = Object.values(mod).find((v) => typeof v === 'function');
	if (!Cls) throw new Error(`${distFile} exports no class`);
	return new Cls();
}

function checkIcon(where, distFile, icon) {
	if (!icon || typeof icon !== 'object' || !icon.light || !icon.dark) {
		return fail(`${where}: icon must be { light: 'file:…', dark: 'file:…' }`);
	}
	const files = [];
	for (const theme of ['light', 'dark']) {
		const value = icon[theme];
		if (typeof value !== 'string' || !value.startsWith('file:')) {
			fail(`${where}: icon.${theme} "${value}" must start with file:`);
			continue;
		}
		const file = rel(path.resolve(path.dirname(path.join(ROOT, distFile)), value.slice(5)));
		if (!inPack.has(file)) fail(`${where}: ${theme} icon ${file} is not in the pack`);
		files.push(file);
	}
	if (files.length === 2) {
		if (files[0] === files[1]) fail(`${where}: light and dark icons are the same file ${files[0]}`);
		else if (files.every((f) => fs.existsSync(path.join(ROOT, f)))) {
			const [a, b] = files.map((f) => fs.readFileSync(path.join(ROOT, f)));
			if (a.equals(b)) fail(`${where}: light and dark icons ${files.join(' and ')} are identical`);
		}
	}
}

let codexChecked = 0;
for (const distFile of pkg.n8n?.nodes ?? []) {
	const where = distFile;
	let description;
	try {
		description = loadDefault(distFile).description;
	} catch (error) {
		fail(`${where}: cannot load the built node: ${error.message}`);
		continue;
	}
	checkIcon(where, distFile, description.icon);
	if (description.codex)
		fail(`${where}: inline description.codex makes n8n ignore the .node.json codex`);

	const codexFile = distFile.replace(/\.js$/, '.json');
	const sourceCodex = codexFile.replace(/^dist\//, '');
	if (!inPack.has(codexFile)) {
		fail(`${codexFile}: the codex is not in the pack`);
		continue;
	}
	let codex;
	try {
		codex = JSON.parse(fs.readFileSync(path.join(ROOT, codexFile), 'utf8'));
	} catch (error) {
		fail(`${codexFile}: does not parse: ${error.message}`);
		continue;
	}
	if (
		fs.existsSync(path.join(ROOT, sourceCodex)) &&
		JSON.stringify(JSON.parse(fs.readFileSync(path.join(ROOT, sourceCodex), 'utf8'))) !==
			JSON.stringify(codex)
	) {
		fail(`${codexFile}: differs from ${sourceCodex}; dist is stale (npm run build)`);
	}
	codexChecked++;
	const expected = `${pkg.name}.${description.name}`;
	if (codex.node !== expected)
		fail(`${codexFile}: "node" is "${codex.node}", expected "${expected}"`);
	if (codex.codexVersion !== '1.0') fail(`${codexFile}: "codexVersion" must be "1.0"`);
	const versions = [description.version].flat().map(Number);
	if (typeof codex.nodeVersion !== 'string' || !versions.includes(Number(codex.nodeVersion))) {
		fail(
			`${codexFile}: "nodeVersion" ${JSON.stringify(codex.nodeVersion)} is not a version of the node (${versions})`,
		);
	}
	if (!Array.isArray(codex.categories) || codex.categories.length === 0) {
		fail(`${codexFile}: "categories" must be a non-empty array`);
	} else {
		for (const c of codex.categories) {
			if (!CATEGORIES.has(c)) fail(`${codexFile}: category "${c}" is not one of n8n's categories`);
		}
	}
	// Newer @n8n/eslint-plugin-community-nodes rules (no-ai-codex-category, no-codex-subcategories):
	// 'AI' and subcategories are for nodes built on @n8n/ai-node-sdk only; an 'AI' node with main
	// output and no 'Root Nodes' subcategory is hidden from the node panel's main search.
	const sourceTs = path.join(ROOT, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const usesAiSdk =
		fs.existsSync(sourceTs) && fs.readFileSync(sourceTs, 'utf8').includes('@n8n/ai-node-sdk');
	if (!usesAiSdk && codex.categories?.includes('AI')) {
		fail(
			`${codexFile}: category "AI" is reserved for @n8n/ai-node-sdk nodes (it hides the node from search)`,
		);
	}
	if (!usesAiSdk && codex.subcategories !== undefined) {
		fail(`${codexFile}: "subcategories" is reserved for @n8n/ai-node-sdk nodes`);
	}
	if (!Array.isArray(codex.alias) || !codex.alias.every((a) => typeof a === 'string' && a.trim())) {
		fail(`${codexFile}: "alias" must be an array of search words`);
	}
	const docs = codex.resources ?? {};
	const primary = docs.primaryDocumentation ?? [];
	if (primary.length === 0) fail(`${codexFile}: resources.primaryDocumentation is missing`);
	for (const { url } of primary) checkDocUrl(`${codexFile} primaryDocumentation`, url);
	const credDocs = docs.credentialDocumentation ?? [];
	if (credDocs.length === 0 && (description.credentials ?? []).length > 0) {
		fail(`${codexFile}: resources.credentialDocumentation is missing`);
	}
	for (const { url } of credDocs) checkDocUrl(`${codexFile} credentialDocumentation`, url);
}
for (const distFile of pkg.n8n?.credentials ?? []) {
	try {
		const credential = loadDefault(distFile);
		checkIcon(distFile, distFile, credential.icon);
		if (/^https?:/.test(credential.documentationUrl ?? '')) {
			checkDocUrl(`${distFile} documentationUrl`, credential.documentationUrl);
		}
	} catch (error) {
		fail(`${distFile}: cannot load the built credential: ${error.message}`);
	}
}

// ---------------------------------------------------------------- 3. the scanner's lint passes
const scannerFile = requireHere.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const requireScanner = createRequire(scannerFile);
const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerFile).href);
requireScanner('tmp').setGracefulCleanup(); // importing the scanner makes a temp dir; remove it on exit
const { ESLint } = requireScanner('eslint');
const glob = requireScanner('fast-glob');
const scanConfig = await buildScanConfig();

async function lintPass(label, dir, patterns) {
	// The same ESLint options and file selection as the scanner's analyzePackage().
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scanConfig,
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	if (files.length === 0) {
		fail(`${label}: no files to lint`);
		return { label, files: 0, errors: 0, warnings: 0 };
	}
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	if (errors + warnings > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		console.log(`\n${label}:${await formatter.format(results.filter((r) => r.messages.length))}`);
	}
	if (errors > 0) fail(`${label}: ${errors} ESLint error(s) (the scanner fails on any)`);
	return { label, files: files.length, errors, warnings };
}

const passes = [];
passes.push(await lintPass('lint (a) source', ROOT, SOURCE_FILE_PATTERNS));

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-video-scan-'));
try {
	const [{ filename }] = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir]),
	);
	const unpacked = path.join(packDir, 'package');
	fs.mkdirSync(unpacked);
	run('tar', [
		'-xzf',
		path.join(packDir, path.basename(filename)),
		'-C',
		unpacked,
		'--strip-components=1',
	]);
	passes.push(await lintPass('lint (b) tarball', unpacked, ['**/*.js', 'package.json']));
} finally {
	fs.rmSync(packDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- summary
console.log(`\nscan ${pkg.name}@${pkg.version}`);
const kinds = new Map();
for (const file of packed.filter((f) => f.startsWith('dist/'))) {
	const kind = /(\.js\.map|\.d\.ts|\.[^.]+)$/.exec(file)?.[1] ?? file;
	kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}
const distSummary = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
console.log(
	`  pack        ${packed.length} files: ${packed.filter((f) => !f.startsWith('dist/')).join(', ')}; dist/: ${distSummary}`,
);
if (process.argv.includes('--list'))
	for (const file of packed) console.log(`              ${file}`);
console.log(
	`  codex       ${codexChecked} codex file(s), ${registered.length} icon set(s) checked`,
);
for (const p of passes) {
	console.log(
		`  ${p.label.padEnd(18)} ${p.files} files, ${p.errors} errors, ${p.warnings} warnings`,
	);
}
if (problems.length > 0) {
	console.log(`\nFAILED (${problems.length}):`);
	for (const p of problems) console.log(`  ✗ ${p}`);
	process.exit(1);
}
console.log('\nOK: pack, codex, icons and both scanner lint passes are clean');
