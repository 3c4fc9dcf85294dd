// Editor check (scenario "editor" of test/e2e/run.sh), as node:test tests: a real browser (Debian's
// chromium driven by playwright-core) uses the n8n editor of the running n8n as a user would: signs
// in as the owner, creates a workflow, adds Wan Video Trigger and Wan Video ("Create a video") through
// the node creator's search, and checks their panels against the built node description (dist/): the
// Trigger's fields, notices and credential; for a new Create (version 2), each "Start From" group
// (an image, a prompt, references, a video): the group's default model, exactly that model's fields
// (no other model's media fields), Download Video, help of at most two sentences per field, a
// help tooltip; then the canvas, and the saved workflow's node version; last, the demo of `npm start`
// (examples/demo-create-and-wait.json) run with "Execute workflow": its video plays in the output's
// Binary tab. Screenshots of the canvas, the Trigger panel, one Create panel per group and the
// playing demo go to E2E_EDITOR_DIR.
//
// Environment (set by run.sh):
//   E2E_LABEL            names the run ("regular")
//   E2E_API_BASE         n8n main (editor and /api/v1), e.g. http://127.0.0.1:15678
//   E2E_API_KEY          n8n public API key (creates the credential the selector must show)
//   E2E_OWNER_EMAIL, E2E_OWNER_PASSWORD   the owner to sign in as
//   E2E_PLAYWRIGHT       folder whose node_modules holds playwright-core (.e2e/playwright)
//   E2E_CHROMIUM         the chromium executable (/usr/bin/chromium)
//   E2E_EDITOR_DIR       screenshots, and on failure <step>.png + <step>.html
//   E2E_SCREENSHOTS_DIR  optional: also copy the screenshots README shows there (docs/screenshots)
//   E2E_SIM_BASE, E2E_SIM_KEY   optional: the credential points at the simulator
//   E2E_STARTUP_ERROR    set when no browser could be installed: every step fails with it

import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { check, pass, withChecks } from './checks.mjs';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const env = (name, fallback) => {
	const v = process.env[name] || fallback;
	if (v === undefined) throw new Error(`${name} is not set`);
	return v;
};
const LABEL = env('E2E_LABEL', 'regular');
const STARTUP_ERROR = process.env.E2E_STARTUP_ERROR;
const BASE = env('E2E_API_BASE', 'http://127.0.0.1:9').replace(/\/+$/, '');
const API_KEY = env('E2E_API_KEY', '');
const EMAIL = env('E2E_OWNER_EMAIL', '');
const PASSWORD = env('E2E_OWNER_PASSWORD', '');
const OUT = env('E2E_EDITOR_DIR', path.join(process.cwd(), 'editor'));
const SHOTS = process.env.E2E_SCREENSHOTS_DIR;
const CHROMIUM = env('E2E_CHROMIUM', '/usr/bin/chromium');
const PW_DIR = env('E2E_PLAYWRIGHT', path.join(REPO, '.e2e', 'playwright'));
const PKG = 'n8n-nodes-wan-video';
const T_WAN = `${PKG}.wanVideo`;
const T_TRIGGER = `${PKG}.wanVideoTrigger`;
const CREDENTIAL_NAME = 'EvoLink API (editor check)';
const WORKFLOW_NAME = 'Wan Video: editor check';
const TIMEOUT = 30000; // per action; the first editor load gets LOAD_TIMEOUT
const LOAD_TIMEOUT = 120000;
/** A new Wan Video node's version (the description's defaultVersion). */
const NEW_VERSION = 2;
/** The editor's "Start From" groups: option name, and the screenshot of the Create panel. */
const GROUPS = [
	{
		value: 'image',
		shot: 'wan-video-create-image.png',
		fill: {
			prompt: 'The cat turns its head and the camera slowly zooms in',
			imageUrl: 'https://example.com/cat.png',
		},
	},
	{
		value: 'text',
		shot: 'wan-video-create-text.png',
		fill: { prompt: 'A red fox steps out of a snowy forest at dawn; cinematic, soft light' },
	},
	{
		value: 'references',
		shot: 'wan-video-create-references.png',
		fill: {
			prompt: 'Image 1 walks through the rain and waves at the camera',
			referenceImageUrls: 'https://example.com/hero.png',
		},
	},
	{
		value: 'video',
		shot: 'wan-video-create-video.png',
		fill: {
			prompt: 'Make it look like a watercolour painting',
			videoUrl: 'https://example.com/street.mp4',
			referenceImageUrls: '', // kept from the References group: this edit takes none
		},
	},
];

// ---------------------------------------------------------------- expected fields (from dist/)

/** One displayOptions condition against a value: equality, or n8n's `_cnd` operators. */
function holds(condition, value) {
	const cnd = condition !== null && typeof condition === 'object' ? condition._cnd : undefined;
	if (!cnd) return condition === value;
	const [op, arg] = Object.entries(cnd)[0];
	switch (op) {
		case 'eq':
			return value === arg;
		case 'not':
			return value !== arg;
		case 'gte':
			return value >= arg;
		case 'lte':
			return value <= arg;
		case 'gt':
			return value > arg;
		case 'lt':
			return value < arg;
		case 'exists':
			return value !== undefined && value !== null && value !== '';
		default:
			return false;
	}
}

/** Whether n8n shows a property for these values (a node of `version`, not an agent tool). */
function displayed(prop, values, version) {
	const d = prop.displayOptions;
	if (!d) return true;
	const get = (key) =>
		key === '@version' ? version : key === '@tool' ? false : values[key.replace(/^\//, '')];
	for (const [k, list] of Object.entries(d.show ?? {}))
		if (!list.some((c) => holds(c, get(k)))) return false;
	for (const [k, list] of Object.entries(d.hide ?? {}))
		if (list.some((c) => holds(c, get(k)))) return false;
	return true;
}

/**
 * The top-level properties shown for `fixed` values with every other parameter at its default (the
 * first property shown under a name gives its default, as in n8n), and the values they start with.
 */
function visibleProperties(properties, fixed, version) {
	let values = { ...fixed };
	let visible = [];
	for (let round = 0; round < 10; round++) {
		visible = properties.filter((p) => displayed(p, values, version));
		const next = { ...fixed };
		for (const p of visible) if (!(p.name in next)) next[p.name] = p.default;
		if (JSON.stringify(next) === JSON.stringify(values)) break;
		values = next;
	}
	return { visible, values };
}

const requireRepo = createRequire(path.join(REPO, 'package.json'));
function loadDescription(file, exportName) {
	const mod = requireRepo(path.join(REPO, 'dist', 'nodes', file));
	return new mod[exportName]().description;
}

/** The panel's expectations: fields (label per top-level parameter), notices, a field with help. */
function expectations(description, fixed, version) {
	const { visible, values } = visibleProperties(description.properties, fixed, version);
	const fields = visible.filter((p) => p.type !== 'notice' && p.type !== 'hidden');
	const notices = visible.filter((p) => p.type === 'notice');
	const help =
		fields.find((p) => p.name === 'prompt' && p.description) ?? fields.find((p) => p.description);
	// what a user may add from the Options collection for these values
	const options = fields
		.filter((p) => p.type === 'collection')
		.flatMap((p) => (p.options ?? []).filter((o) => displayed(o, values, version)));
	return { fields, notices, help, values, options };
}

/** Sentences in a help text ("e.g." and decimals are not ends). */
function sentences(text) {
	const plain = String(text)
		.replace(/<[^>]*>/g, '')
		.replace(/\b(e\.g|i\.e|etc|vs)\./gi, '$1')
		.replace(/\d\.\d/g, '0');
	return (plain.match(/[.!?](\s|$)/g) ?? []).length || 1;
}

// ---------------------------------------------------------------- public API (credential, workflow)

async function api(method, p, body) {
	const r = await fetch(`${BASE}/api/v1${p}`, {
		method,
		headers: { 'X-N8N-API-KEY': API_KEY, 'content-type': 'application/json', connection: 'close' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	if (!r.ok) throw new Error(`${method} /api/v1${p} -> ${r.status}: ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

// ---------------------------------------------------------------- browser helpers

let page;
const exactText = (s) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
const firstLine = (s) =>
	s
		.replace(/<[^>]*>/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 60);

async function artifacts(name) {
	if (!page) return;
	try {
		await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
		writeFileSync(path.join(OUT, `${name}.html`), await page.content());
	} catch {
		// the page is gone: nothing to keep
	}
}

/** The screenshots docs/ keeps (README shows them); the others stay in E2E_EDITOR_DIR. */
const DOC_SHOTS = [
	...GROUPS.map((g) => g.shot),
	'wan-video-trigger-panel.png',
	'wan-video-demo-binary.png',
];

/** Takes a screenshot (a region, or the page) into OUT and, with E2E_SCREENSHOTS_DIR, the docs. */
async function shot(file, clip) {
	await page.mouse.move(2, 2); // no hover leftovers (tooltips, toolbars)
	const p = path.join(OUT, file);
	await page.screenshot({ path: p, ...(clip ? { clip } : {}) });
	if (SHOTS && DOC_SHOTS.includes(file)) {
		mkdirSync(SHOTS, { recursive: true });
		copyFileSync(p, path.join(SHOTS, file));
	}
}

const ndv = () => page.getByTestId('ndv');
const params = () => ndv().getByTestId('node-parameters');

/** Searches the open node creator for `query` and clicks the item named exactly `name`. */
async function pickInCreator(query, name) {
	const creator = page.getByTestId('node-creator');
	await creator.waitFor({ state: 'visible' });
	const search = page.getByTestId('node-creator-search-bar');
	await search.fill('');
	await search.pressSequentially(query, { delay: 30 });
	const item = creator
		.getByTestId('node-creator-item-name')
		.filter({ hasText: exactText(name) })
		.first();
	await item.waitFor({ state: 'visible' });
	await item.click();
}

/** Takes the focus off the last input (no open dropdown or input hint in the screenshots). */
async function blur() {
	await page.evaluate(() => document.activeElement?.blur?.());
}

async function closeNdv() {
	await page.mouse.move(2, 2);
	await ndv().getByTestId('ndv-close-button').click();
	await ndv().waitFor({ state: 'hidden' });
}

/** The names of the top-level parameters the open panel renders. */
async function renderedFields() {
	return await params()
		.locator('[data-test-id="parameter-item"] label[for]')
		.evaluateAll((els) =>
			els
				.filter((e) => e.checkVisibility() && !e.closest('[data-test-id="collection-parameter"]'))
				.map((e) => e.getAttribute('for')),
		);
}

/** Checks that each expected field's label renders in the open panel; returns the missing ones. */
async function checkFields(panel, fields) {
	const missing = [];
	for (const f of fields) {
		const label = params().locator(`label[for="${f.name}"]`).first();
		let ok = false;
		let got = '';
		try {
			await label.waitFor({ state: 'visible', timeout: 10000 });
			got = (await label.innerText()).replace(/\s+/g, ' ').trim();
			ok = got.startsWith(f.displayName); // the label row also holds "Fixed / Expression" etc.
		} catch {
			got = 'not rendered';
		}
		if (!ok) missing.push(`${f.name} (${got})`);
	}
	check(
		!missing.length,
		`${panel}: its ${fields.length} fields render with their labels (${fields.map((f) => f.displayName).join(', ')})`,
		`missing: ${missing.join(', ')}`,
	);
	return missing;
}

async function checkNotices(panel, notices) {
	for (const n of notices) {
		const text = firstLine(n.displayName);
		const el = params().getByText(text, { exact: false }).first();
		const ok = await el
			.waitFor({ state: 'visible', timeout: 10000 })
			.then(() => true)
			.catch(() => false);
		check(ok, `${panel}: notice "${text}…" renders`);
	}
}

/** Help texts of at most two sentences (and 200 characters), for the fields and options shown. */
function checkHelp(panel, fields, options) {
	const texts = [
		...fields.map((f) => [f.displayName, f.description]),
		...fields.flatMap((f) =>
			(Array.isArray(f.options) && f.type === 'options' ? f.options : []).map((o) => [
				`${f.displayName}: ${o.name}`,
				o.description,
			]),
		),
		...options.map((o) => [`Options: ${o.displayName}`, o.description]),
	].filter(([, text]) => text);
	const long = texts.filter(([, text]) => sentences(text) > 2 || text.length > 200);
	const longest = texts.reduce((a, b) => (b[1].length > a[1].length ? b : a), ['', '']);
	check(
		!long.length,
		`${panel}: each of ${texts.length} help texts (fields, choices, options) is at most 2 sentences (longest: ${longest[1].length} characters, "${longest[0]}")`,
		long.map(([name, text]) => `${name}: ${text}`),
	);
}

/** Hovers a field's help icon: its description shows in a tooltip. */
async function checkTooltip(panel, field) {
	const label = params()
		.getByTestId('input-label')
		.filter({ has: page.locator(`label[for="${field.name}"]`) })
		.first();
	await label.scrollIntoViewIfNeeded();
	await label.hover();
	const icon = label
		.locator('[data-icon="circle-help"], .n8n-icon[data-icon*="help"], [class*="infoIcon"] svg')
		.first();
	await icon.waitFor({ state: 'visible' });
	await icon.hover();
	const text = firstLine(field.description);
	const tip = page
		.locator('[role="tooltip"], .n8n-tooltip, [data-test-id="tooltip-content"]')
		.filter({ hasText: text })
		.first();
	const ok = await tip
		.waitFor({ state: 'visible', timeout: 10000 })
		.then(() => true)
		.catch(() => false);
	check(
		ok,
		`${panel}: hovering the help icon of "${field.displayName}" shows its description ("${text}…")`,
	);
	await page.mouse.move(2, 2);
}

/** The credential selector shows a credential of the node's type; ours is in its list and selected. */
async function checkCredential(panel, credential) {
	const sel = params().getByTestId('node-credentials-select');
	await sel.waitFor({ state: 'visible' });
	const shown = await sel.locator('input').inputValue();
	await sel.click();
	const option = page.getByTestId(`node-credentials-select-item-${credential.id}`);
	await option.waitFor({ state: 'visible' });
	// the selector lists the credentials of the node's type (EvoLink API) and "Create new credential"
	const listed = await page
		.locator('[data-test-id^="node-credentials-select-item-"]:not([data-test-id$="-new"])')
		.evaluateAll((els) =>
			els.filter((e) => e.checkVisibility()).map((e) => e.innerText.replace(/\s+/g, ' ').trim()),
		);
	check(
		shown !== '' && listed.some((t) => t.startsWith(`${shown} `) || t === shown),
		`${panel}: the credential selector shows an EvoLink API credential ("${shown}")`,
		`listed: ${listed.join(' | ')}`,
	);
	const optionText = (await option.innerText()).replace(/\s+/g, ' ');
	check(
		optionText.includes(credential.name) && optionText.includes('EvoLink API'),
		`${panel}: "${credential.name}" (type EvoLink API) is listed in the credential selector`,
		optionText,
	);
	await option.click();
	const deadline = Date.now() + TIMEOUT;
	let now = '';
	while (
		Date.now() < deadline &&
		(now = await sel.locator('input').inputValue()) !== credential.name
	)
		await page.waitForTimeout(100);
	check(
		now === credential.name,
		`${panel}: selecting "${credential.name}" shows it in the selector`,
		now,
	);
	await option.waitFor({ state: 'hidden' }).catch(() => {});
	await blur();
}

/** Types values into text fields of the open panel, as a user fills what matters first. */
async function fill(values) {
	for (const [name, value] of Object.entries(values)) {
		const input = params()
			.getByTestId(`parameter-input-${name}`)
			.locator('input, textarea')
			.first();
		await input.fill(value);
	}
	await blur();
}

/** Chooses a value of an options field of the open panel by the option's name. */
async function choose(field, optionName) {
	await params().getByTestId(`parameter-input-${field}`).click();
	await page
		.getByTestId('parameter-input-item')
		.filter({ hasText: optionName, visible: true })
		.first()
		.click();
	const input = params().getByTestId(`parameter-input-${field}`).locator('input').first();
	const deadline = Date.now() + TIMEOUT;
	while (Date.now() < deadline && (await input.inputValue()) !== optionName)
		await page.waitForTimeout(100);
	await blur();
}

/** The region of the page that shows the open panel's parameters, header to last field. */
async function panelClip() {
	const panel = await params().boundingBox();
	const header = await ndv().getByTestId('tab-params').boundingBox();
	const items = await params()
		.locator('[data-test-id="parameter-item"]')
		.evaluateAll((els) =>
			els
				.filter((e) => e.checkVisibility())
				.map((e) => e.getBoundingClientRect().bottom)
				.reduce((a, b) => Math.max(a, b), 0),
		);
	const box = await ndv().boundingBox();
	const top = Math.max(0, (header?.y ?? panel.y) - 12);
	const bottom = Math.min(items + 56, box ? box.y + box.height - 2 : Infinity);
	const x = Math.max(0, panel.x - 16);
	return { x, y: top, width: panel.width + 32, height: Math.max(200, bottom - top) };
}

// ---------------------------------------------------------------- the check

let broken; // the first step that threw: the later ones depend on it and are skipped
/** One step of the check: a test whose throw stops the steps after it (with a screenshot). */
function step(name, fn) {
	it(name, async (t) => {
		if (broken) return t.skip(`after "${broken}" failed`);
		await withChecks(t, async () => {
			try {
				await fn();
			} catch (e) {
				broken = name;
				await artifacts(`failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
				throw e;
			}
		});
	});
}

describe(`${LABEL} editor on n8n ${process.env.E2E_N8N_VERSION ?? ''}`.trim(), () => {
	let browser;
	let credential;
	const wan = loadDescription('WanVideo/WanVideo.node.js', 'WanVideo');
	const trigger = loadDescription('WanVideoTrigger/WanVideoTrigger.node.js', 'WanVideoTrigger');
	const { MEDIA_FIELDS } = requireRepo(
		path.join(REPO, 'dist', 'nodes', 'WanVideo', 'descriptions', 'modelFields.js'),
	);
	const { MODELS, DEFAULT_MODELS, inputSetOf, defaultModeOf } = requireRepo(
		path.join(REPO, 'dist', 'nodes', 'shared', 'models.js'),
	);
	const operation = wan.properties.find((p) => p.name === 'operation');
	const createOption = operation?.options?.find((o) => o.value === 'create');
	const startFrom = wan.properties.find((p) => p.name === 'startFrom');
	const trig = expectations(trigger, {}, 1);

	before(async () => {
		if (STARTUP_ERROR) {
			const error = new Error(`startup: ${STARTUP_ERROR}`);
			error.stack = error.message; // the reason is all there is to say
			throw error;
		}
		mkdirSync(OUT, { recursive: true });
		// the credential the selectors must show (created as a user would have it; the API scenarios'
		// credentials may exist too)
		const data = {
			apiKey: process.env.E2E_SIM_KEY || 'editor-check-key',
			baseUrl: process.env.E2E_SIM_BASE || 'https://api.evolink.ai',
		};
		const body = { name: CREDENTIAL_NAME, type: 'evoLinkApi', data };
		credential = await api('POST', '/credentials', body).catch((e) => {
			// n8n 2.0's public API schema requires the (empty) allowedDomains of every credential
			if (!/allowedDomains/.test(e.message)) throw e;
			return api('POST', '/credentials', { ...body, data: { ...data, allowedDomains: '' } });
		});
		const require = createRequire(path.join(PW_DIR, 'package.json'));
		const { chromium, selectors } = require('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		page = await context.newPage();
		page.setDefaultTimeout(TIMEOUT);
		page.setDefaultNavigationTimeout(LOAD_TIMEOUT);
		page.on('pageerror', (e) =>
			console.log(`# note: uncaught error in the editor page: ${e.message}`),
		);
	});
	after(async () => {
		await browser?.close().catch(() => {});
	});

	step('sign in, a new workflow', async () => {
		pass(`credential "${credential.name}" created through the public API (id ${credential.id})`);
		await page.goto(`${BASE}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(EMAIL, { timeout: LOAD_TIMEOUT });
		await page.locator('input[name="password"]').fill(PASSWORD);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: LOAD_TIMEOUT });
		pass(`signed in to the editor as ${EMAIL}`);
		await page.goto(`${BASE}/workflow/new`);
		await page
			.getByTestId('canvas-plus-button')
			.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
		pass('a new workflow opens on an empty canvas');
		// a recognisable name (the saved workflow is found by it)
		await page.getByTestId('inline-edit-preview').first().click();
		const input = page.getByTestId('inline-edit-input').first();
		await input.fill(WORKFLOW_NAME);
		await input.press('Enter');
	});

	step('Wan Video Trigger: panel', async () => {
		await page.getByTestId('canvas-plus-button').click();
		// the trigger list shows the app as "Wan Video"; its trigger is an action of it
		await pickInCreator('Wan Video', 'Wan Video');
		// n8n names a trigger without events of its own "On new <app> event"
		const triggerAction = page
			.getByTestId('node-creator')
			.getByTestId('node-creator-item-name')
			.filter({ hasText: /^\s*On .*Wan Video/ })
			.first();
		await triggerAction.waitFor({ state: 'visible' });
		await triggerAction.click();
		await ndv().waitFor({ state: 'visible' });
		await page
			.locator(`[data-test-id="canvas-node"][data-node-type="${T_TRIGGER}"]`)
			.waitFor({ state: 'attached' });
		pass('Wan Video Trigger found by searching "Wan Video" in the node creator and added');
		await params().waitFor({ state: 'visible' });
		await checkNotices('Trigger', trig.notices);
		await checkFields('Trigger', trig.fields);
		checkHelp('Trigger', trig.fields, trig.options);
		await checkCredential('Trigger', credential);
		await shot('wan-video-trigger-panel.png', await panelClip());
		await closeNdv();
	});

	step('Wan Video: a new Create is version 2', async () => {
		await page.getByTestId('node-creator-plus-button').click();
		await pickInCreator('Wan Video', 'Wan Video');
		const action = createOption?.action ?? 'Create a video';
		const item = page
			.getByTestId('node-creator')
			.getByTestId('node-creator-item-name')
			.filter({ hasText: exactText(action) })
			.first();
		await item.waitFor({ state: 'visible' });
		await item.click();
		await ndv().waitFor({ state: 'visible' });
		await page
			.locator(`[data-test-id="canvas-node"][data-node-type="${T_WAN}"]`)
			.waitFor({ state: 'attached' });
		pass(`Wan Video found by searching "Wan Video", action "${action}" added`);
		await params().waitFor({ state: 'visible' });
		const op = await params()
			.getByTestId('parameter-input-operation')
			.locator('input')
			.first()
			.inputValue()
			.catch(() => '');
		check(op === createOption?.name, `Operation shows "${createOption?.name}"`, op);
		const label = params().locator('label[for="startFrom"]').first();
		check(
			await label.isVisible().catch(() => false),
			'"Start From" shows: the node is version 2, what a new node gets',
		);
		await checkCredential('Create', credential);
	});

	for (const group of GROUPS) {
		const option = startFrom?.options?.find((o) => o.value === group.value);
		step(`Create, Start From "${option?.name ?? group.value}"`, async () => {
			const fixed = { resource: 'video', operation: 'create', startFrom: group.value };
			const create = expectations(wan, fixed, NEW_VERSION);
			const modelId = create.values.model;
			const rules = MODELS[modelId];
			check(
				modelId === DEFAULT_MODELS[group.value],
				`the group's default model is ${modelId} (${rules?.label})`,
				{ modelId, expected: DEFAULT_MODELS[group.value] },
			);
			await choose('startFrom', option.name);
			const shownModel = await params()
				.getByTestId('parameter-input-model')
				.locator('input')
				.first()
				.inputValue();
			check(shownModel === rules?.label, `Model shows "${rules?.label}"`, shownModel);
			await checkNotices(option.name, create.notices);
			await checkFields(option.name, create.fields);
			// exactly these fields: nothing of another model, nothing of another group
			const rendered = await renderedFields();
			const expected = create.fields.map((f) => f.name);
			const extra = rendered.filter((n) => !expected.includes(n));
			check(!extra.length, `no field beyond ${modelId}'s renders`, `extra: ${extra.join(', ')}`);
			// the media fields, from the model table: those it takes show, the others do not
			const inputs = inputSetOf(rules, defaultModeOf(rules)).inputs;
			const takes = Object.keys(MEDIA_FIELDS).filter((kind) => inputs[kind]);
			const shown = Object.keys(MEDIA_FIELDS).filter((kind) =>
				rendered.includes(MEDIA_FIELDS[kind].source),
			);
			check(
				JSON.stringify(shown) === JSON.stringify(takes),
				`the media fields are ${modelId}'s: ${takes.map((k) => MEDIA_FIELDS[k].label).join(', ') || 'none'}`,
				{ shown, takes },
			);
			check(
				rendered.includes('download') &&
					(await params().locator('label[for="download"]').first().isVisible()),
				'"Download Video" shows (on by default, while Create waits)',
				rendered,
			);
			checkHelp(option.name, create.fields, create.options);
			if (group.value === 'image' && create.help) await checkTooltip(option.name, create.help);
			await fill(group.fill);
			// the whole panel in the screenshot: a taller window for it, then the usual one again
			await page.setViewportSize({ width: 1440, height: 1600 });
			await page.mouse.move(2, 2);
			await page.waitForTimeout(500);
			await shot(group.shot, await panelClip());
			await page.setViewportSize({ width: 1440, height: 900 });
		});
	}

	step('canvas, and the saved workflow', async () => {
		await choose('startFrom', startFrom.options.find((o) => o.value === 'image').name);
		await closeNdv();
		await page
			.getByTestId('zoom-to-fit')
			.click()
			.catch(() => {});
		const nodes = page.getByTestId('canvas-node');
		await nodes.nth(1).waitFor({ state: 'visible' });
		const types = await nodes.evaluateAll((els) =>
			els.map((e) => e.getAttribute('data-node-type')),
		);
		check(
			types.includes(T_TRIGGER) && types.includes(T_WAN) && types.length === 2,
			'the canvas shows Wan Video Trigger and Wan Video',
			types.join(', '),
		);
		const edges = await page
			.locator('[data-test-id="edge"]')
			.evaluateAll((els) =>
				els.map(
					(e) =>
						`${e.getAttribute('data-source-node-name')} -> ${e.getAttribute('data-target-node-name')}`,
				),
			);
		check(
			edges.length === 1,
			`the two nodes are connected (${edges.join(', ')})`,
			edges.join(', '),
		);
		await shot('wan-video-canvas.png');
		// saved as a user saves (Ctrl+S), read back through the public API
		await page.keyboard.press('Control+s');
		await page.waitForURL((u) => /\/workflow\/(?!new)[^/]+/.test(u.pathname));
		const id = /\/workflow\/([^/?]+)/.exec(page.url())[1];
		let node;
		for (const deadline = Date.now() + 15000; !node && Date.now() < deadline; ) {
			node = (await api('GET', `/workflows/${id}`).catch(() => undefined))?.nodes?.find(
				(n) => n.type === T_WAN,
			);
			if (!node) await page.waitForTimeout(500);
		}
		check(
			node?.typeVersion === NEW_VERSION,
			`the saved workflow's Wan Video node is version ${NEW_VERSION}`,
			node,
		);
	});
	step('the demo plays its video in the Binary tab', async () => {
		const demo = JSON.parse(
			readFileSync(path.join(REPO, 'examples', 'demo-create-and-wait.json'), 'utf8'),
		);
		for (const n of demo.nodes)
			if (n.credentials?.evoLinkApi)
				n.credentials.evoLinkApi = { id: credential.id, name: credential.name };
		const wan = demo.nodes.find((n) => n.type === T_WAN);
		const wf = await api('POST', '/workflows', {
			name: `${demo.name} (editor check)`,
			nodes: demo.nodes,
			connections: demo.connections,
			settings: demo.settings ?? {},
		});
		await page.goto(`${BASE}/workflow/${wf.id}`);
		await page.getByTestId('execute-workflow-button').click();
		const t = Date.now();
		await page.getByTestId('canvas-node').filter({ hasText: wan.name }).first().dblclick();
		await ndv().waitFor({ state: 'visible' });
		const binaryTab = ndv().getByTestId('radio-button-binary');
		await binaryTab.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
		pass(
			`"Execute workflow" ran the demo: "${wan.name}" waited and downloaded (${((Date.now() - t) / 1000).toFixed(1)} s)`,
		);
		await binaryTab.click();
		await ndv().getByTestId('ndv-view-binary-data').first().click();
		const video = ndv().locator('video').first();
		await video.waitFor({ state: 'visible' });
		const played = await video.evaluate(async (v) => {
			const event = (name) =>
				new Promise((resolve) => {
					v.addEventListener(name, resolve, { once: true });
					setTimeout(resolve, 10000);
				});
			if (v.readyState < 1) await event('loadedmetadata');
			v.muted = true;
			const ended = event('ended');
			await v.play();
			await ended;
			return {
				duration: v.duration,
				ended: v.ended,
				width: v.videoWidth,
				height: v.videoHeight,
				error: v.error?.code ?? null,
			};
		});
		check(
			played.ended && Math.abs(played.duration - 3) < 0.1 && played.width === 320 && !played.error,
			`the video plays to its end in the Binary tab (${played.duration} s, ${played.width}×${played.height}: test/fixtures/demo.mp4)`,
			played,
		);
		await shot('wan-video-demo-binary.png');
	});
});
