// Editor check (scenario "editor" of test/e2e/run.sh): a real browser (Debian's chromium driven by
// playwright-core) uses the n8n editor of the running n8n as a user would: signs in as the owner,
// creates a workflow, adds Wan Video Trigger and Wan Video ("Create a video") through the node creator's
// search, and checks that their panels render: every Create field (derived from the built node
// description, dist/), a field's help tooltip, the notices, and the EvoLink API credential in the
// credential selector. Screenshots of the canvas and of both panels go to E2E_EDITOR_DIR.
//
// Environment (set by run.sh):
//   E2E_LABEL            prefixes every result line ("regular")
//   E2E_API_BASE         n8n main (editor and /api/v1), e.g. http://127.0.0.1:15678
//   E2E_API_KEY          n8n public API key (creates the credential the selector must show)
//   E2E_OWNER_EMAIL, E2E_OWNER_PASSWORD   the owner to sign in as
//   E2E_PLAYWRIGHT       folder whose node_modules holds playwright-core (.e2e/playwright)
//   E2E_CHROMIUM         the chromium executable (/usr/bin/chromium)
//   E2E_EDITOR_DIR       screenshots, and on failure <step>.png + <step>.html
//   E2E_SCREENSHOTS_DIR  optional: also copy the three screenshots there (docs/screenshots)
//   E2E_SIM_BASE, E2E_SIM_KEY   optional: the credential points at the simulator
//   E2E_RESULTS          file to which one JSON line {label, passed, failed, skipped, ms} is appended
//
// Prints "PASS <label> editor: <check>" / "FAIL …" lines; exit code 1 on any FAIL.

import { createRequire } from 'node:module';
import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const env = (name, fallback) => {
	const v = process.env[name] ?? fallback;
	if (v === undefined) throw new Error(`${name} is not set`);
	return v;
};
const LABEL = env('E2E_LABEL', 'regular');
const BASE = env('E2E_API_BASE').replace(/\/+$/, '');
const API_KEY = env('E2E_API_KEY');
const EMAIL = env('E2E_OWNER_EMAIL');
const PASSWORD = env('E2E_OWNER_PASSWORD');
const OUT = env('E2E_EDITOR_DIR', path.join(process.cwd(), 'editor'));
const SHOTS = process.env.E2E_SCREENSHOTS_DIR;
const CHROMIUM = env('E2E_CHROMIUM', '/usr/bin/chromium');
const PW_DIR = env('E2E_PLAYWRIGHT', path.join(REPO, '.e2e', 'playwright'));
const SC = 'editor';
const PKG = 'n8n-nodes-wan-video';
const T_WAN = `${PKG}.wanVideo`;
const T_TRIGGER = `${PKG}.wanVideoTrigger`;
const CREDENTIAL_NAME = 'EvoLink API (editor check)';
const TIMEOUT = 30000; // per action; the first editor load gets LOAD_TIMEOUT
const LOAD_TIMEOUT = 120000;

const counts = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
function pass(msg) {
	counts.passed++;
	console.log(`PASS ${LABEL} ${SC}: ${msg}`);
}
function fail(msg, detail) {
	counts.failed++;
	const d = detail === undefined ? '' : ` -- ${String(detail).slice(0, 600)}`;
	console.log(`FAIL ${LABEL} ${SC}: ${msg}${d}`);
}
function check(ok, msg, detail) {
	if (ok) pass(msg);
	else fail(msg, detail);
	return !!ok;
}

// ---------------------------------------------------------------- expected fields (from dist/)

/** displayOptions, simply: show/hide by equality with the current values; `@version` is 1. */
function displayed(prop, values) {
	const d = prop.displayOptions;
	if (!d) return true;
	const matches = (key, list) =>
		key.startsWith('@version')
			? list.some((v) => v === 1 || (typeof v === 'object' && v !== null))
			: list.some((v) => v === values[key]);
	for (const [k, list] of Object.entries(d.show ?? {})) if (!matches(k, list)) return false;
	for (const [k, list] of Object.entries(d.hide ?? {})) if (matches(k, list)) return false;
	return true;
}

/** The top-level properties shown for `fixed` values with every other parameter at its default. */
function visibleProperties(properties, fixed) {
	let values = { ...fixed };
	let visible = [];
	for (let round = 0; round < 10; round++) {
		visible = properties.filter((p) => displayed(p, values));
		const next = { ...fixed };
		for (const p of visible) if (!(p.name in next)) next[p.name] = p.default;
		if (JSON.stringify(next) === JSON.stringify(values)) break;
		values = next;
	}
	return visible;
}

function loadDescription(file, exportName) {
	const require = createRequire(path.join(REPO, 'package.json'));
	const mod = require(path.join(REPO, 'dist', 'nodes', file));
	return new mod[exportName]().description;
}

/** The panel's expectations: fields (label per top-level parameter), notices, a field with help. */
function expectations(description, fixed) {
	const visible = visibleProperties(description.properties, fixed);
	const fields = visible.filter((p) => p.type !== 'notice' && p.type !== 'hidden');
	const notices = visible.filter((p) => p.type === 'notice');
	const help =
		fields.find((p) => p.name === 'prompt' && p.description) ?? fields.find((p) => p.description);
	return { fields, notices, help };
}

// ---------------------------------------------------------------- public API (credential)

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

// ---------------------------------------------------------------- browser steps

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
		console.log(`     (saved ${path.join(OUT, name)}.png and .html)`);
	} catch (e) {
		console.log(`     (could not save the page: ${e.message})`);
	}
}

/** Runs one step; a throw is a FAIL with a screenshot + HTML, and stops the check. */
async function step(name, fn) {
	const t = Date.now();
	try {
		const r = await fn();
		console.log(`     ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
		return r;
	} catch (e) {
		fail(`${name}: ${e.message.split('\n')[0]}`, e.message.split('\n').slice(1, 6).join(' '));
		await artifacts(`failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
		throw new StopCheck();
	}
}
class StopCheck extends Error {}

async function shot(file) {
	await page.mouse.move(2, 2); // no hover leftovers (tooltips, toolbars)
	const p = path.join(OUT, file);
	await page.screenshot({ path: p });
	if (SHOTS) {
		mkdirSync(SHOTS, { recursive: true });
		copyFileSync(p, path.join(SHOTS, file));
	}
	return p;
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
		if (!check(ok, `${panel}: field "${f.displayName}" (${f.name}) renders`, ok ? undefined : got))
			missing.push(f.name);
	}
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

async function main() {
	mkdirSync(OUT, { recursive: true });

	// expectations from the built node descriptions
	const wan = loadDescription('WanVideo/WanVideo.node.js', 'WanVideo');
	const trigger = loadDescription('WanVideoTrigger/WanVideoTrigger.node.js', 'WanVideoTrigger');
	const resource = wan.properties.find((p) => p.name === 'resource');
	const operation = wan.properties.find((p) => p.name === 'operation');
	const createOption = operation?.options?.find((o) => o.value === 'create');
	check(
		resource?.default === 'video',
		`Wan Video: the default resource is video (${resource?.default})`,
	);
	check(
		operation?.default === 'create',
		`Wan Video: the default operation is create (${operation?.default})`,
	);
	const create = expectations(wan, { resource: 'video', operation: 'create' });
	const trig = expectations(trigger, {});
	console.log(
		`     expected Create fields (dist/): ${create.fields.map((p) => p.displayName).join(', ')}`,
	);
	console.log(
		`     expected Trigger fields (dist/): ${trig.fields.map((p) => p.displayName).join(', ')}`,
	);

	// the credential the selectors must show (created as a user would have it; the API scenarios'
	// credentials may exist too)
	const data = {
		apiKey: process.env.E2E_SIM_KEY || 'editor-check-key',
		baseUrl: process.env.E2E_SIM_BASE || 'https://api.evolink.ai',
	};
	const body = { name: CREDENTIAL_NAME, type: 'evoLinkApi', data };
	const credential = await api('POST', '/credentials', body).catch((e) => {
		// n8n 2.0's public API schema requires the (empty) allowedDomains of every credential
		if (!/allowedDomains/.test(e.message)) throw e;
		return api('POST', '/credentials', { ...body, data: { ...data, allowedDomains: '' } });
	});
	pass(`credential "${credential.name}" created through the public API (id ${credential.id})`);

	// the browser
	const require = createRequire(path.join(PW_DIR, 'package.json'));
	const { chromium, selectors } = require('playwright-core');
	selectors.setTestIdAttribute('data-test-id');
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		page = await context.newPage();
		page.setDefaultTimeout(TIMEOUT);
		page.setDefaultNavigationTimeout(LOAD_TIMEOUT);
		const consoleErrors = [];
		page.on('pageerror', (e) => consoleErrors.push(e.message));

		await step('sign in', async () => {
			await page.goto(`${BASE}/signin`);
			await page.locator('input[name="emailOrLdapLoginId"]').fill(EMAIL, { timeout: LOAD_TIMEOUT });
			await page.locator('input[name="password"]').fill(PASSWORD);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: LOAD_TIMEOUT });
			pass(`signed in to the editor as ${EMAIL}`);
		});

		await step('new workflow', async () => {
			await page.goto(`${BASE}/workflow/new`);
			await page
				.getByTestId('canvas-plus-button')
				.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
			pass('a new workflow opens on an empty canvas');
			// a recognisable name in the screenshots (not a check)
			try {
				await page.getByTestId('inline-edit-preview').first().click({ timeout: 5000 });
				const input = page.getByTestId('inline-edit-input').first();
				await input.fill('Wan Video: editor check', { timeout: 5000 });
				await input.press('Enter');
			} catch {
				/* the name stays "My workflow" */
			}
		});

		// ---- Wan Video Trigger
		await step('add Wan Video Trigger', async () => {
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
		});
		await step('Wan Video Trigger panel', async () => {
			await params().waitFor({ state: 'visible' });
			await checkNotices('Trigger', trig.notices);
			await checkFields('Trigger', trig.fields);
			await checkCredential('Trigger', credential);
			await shot('wan-video-trigger-panel.png');
			await closeNdv();
		});

		// ---- Wan Video: Create
		await step('add Wan Video Create', async () => {
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
		});
		await step('Wan Video Create panel', async () => {
			await params().waitFor({ state: 'visible' });
			const op = params().getByTestId('parameter-input-operation').locator('input').first();
			const opValue = await op.inputValue().catch(() => '');
			check(
				opValue === createOption?.name,
				`Create: Operation shows "${createOption?.name}"`,
				opValue,
			);
			await checkNotices('Create', create.notices);
			const missing = await checkFields('Create', create.fields);
			check(
				missing.length === 0,
				`Create: all ${create.fields.length} fields of resource video / operation create render`,
				`missing: ${missing.join(', ')}`,
			);
			if (missing.length) await artifacts('failure-create-fields');
			// fields that render but the description does not show (informational: the displayOptions
			// evaluation here is a simple one)
			const rendered = await params()
				.locator('[data-test-id="parameter-item"] label[for]')
				.evaluateAll((els) =>
					els.filter((e) => e.checkVisibility()).map((e) => e.getAttribute('for')),
				);
			const extra = rendered.filter((n) => !create.fields.some((f) => f.name === n));
			if (extra.length)
				console.log(`     note: rendered but not expected from dist/: ${extra.join(', ')}`);

			// help: hover the field's info icon, its description shows in a tooltip
			if (create.help) {
				const label = params()
					.getByTestId('input-label')
					.filter({ has: page.locator(`label[for="${create.help.name}"]`) })
					.first();
				await label.scrollIntoViewIfNeeded();
				await label.hover();
				const icon = label
					.locator(
						'[data-icon="circle-help"], .n8n-icon[data-icon*="help"], [class*="infoIcon"] svg',
					)
					.first();
				await icon.waitFor({ state: 'visible' });
				await icon.hover();
				const text = firstLine(create.help.description);
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
					`Create: hovering the help icon of "${create.help.displayName}" shows its description ("${text}…")`,
				);
				if (!ok) await artifacts('failure-help-tooltip');
				await page.mouse.move(2, 2);
			}

			await checkCredential('Create', credential);

			// fill what a user fills first (a clean node on the canvas), then the screenshot
			for (const [name, value] of [
				['prompt', 'The cat turns its head and the camera slowly zooms in'],
				['imageUrl', 'https://example.com/first-frame.png'],
			]) {
				const input = params()
					.getByTestId(`parameter-input-${name}`)
					.locator('input, textarea')
					.first();
				if (await input.count()) await input.fill(value).catch(() => {});
			}
			await blur();
			await params()
				.getByTestId('node-credentials-select')
				.scrollIntoViewIfNeeded()
				.catch(() => {});
			await shot('wan-video-create-panel.png');
			await closeNdv();
		});

		// ---- the canvas
		await step('canvas', async () => {
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
		});
		// n8n's own editor may throw (2.0.0 does, in code of its own): a note, not a check
		if (consoleErrors.length)
			console.log(
				`     note: uncaught errors in the editor page: ${consoleErrors.slice(0, 5).join(' | ')}`,
			);
	} finally {
		await browser.close().catch(() => {});
	}
}

main()
	.catch((e) => {
		if (!(e instanceof StopCheck)) fail('editor check threw', e?.stack ?? String(e));
	})
	.finally(() => {
		const ms = Date.now() - started;
		if (process.env.E2E_RESULTS)
			appendFileSync(
				process.env.E2E_RESULTS,
				`${JSON.stringify({ label: `${LABEL}-editor`, ...counts, ms })}\n`,
			);
		console.log(
			`${LABEL} editor: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${(ms / 1000).toFixed(1)} s)`,
		);
		process.exitCode = counts.failed ? 1 : 0;
	});
