// Jest setup (setupFilesAfterEnv): records every console line a test file produces, n8n's own
// logger included (its winston transport writes through console), and fails the file if the
// simulator's API key appears in any of them. Plain JS: the package lint bans `console` in .ts.
const { SIM_KEY } = require('./fixtures');

const captured = [];
for (const method of ['log', 'info', 'warn', 'error', 'debug']) {
	const original = console[method].bind(console);
	console[method] = (...args) => {
		captured.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
		original(...args);
	};
}

function safeJson(value) {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

afterAll(() => {
	const leaks = captured.filter((line) => line.includes(SIM_KEY));
	expect(leaks).toEqual([]);
});
