import { readFileSync } from 'node:fs';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: self time per
 * package or area, and the inclusive time of the steps of one authenticated request. Async
 * work after an await starts a new stack, so each sample is charged to the innermost frame of
 * a known area (self time) and to every known step on its stack (inclusive time).
 *
 *   tsx bench/cpuProfile.ts file.cpuprofile [requests=100] [--window[=regex]]
 *
 * --window keeps only the samples from the first to the last one with the package's code on
 * the stack (drops n8n's start-up and shutdown from a profile of `n8n execute`); with a regex,
 * code whose script URL matches it (e.g. --window=HttpRequest for n8n's HTTP Request node).
 * --skip=<ms> drops the first milliseconds of the window (the cold read of bench/profileN8n.ts,
 * whose executionTime it prints), leaving the warm one.
 */
interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

/** Areas by source location, first match wins (innermost frame of a sample decides). */
const AREAS: Array<[string, RegExp]> = [
	['Ponto node (nodes/Ponto)', /\/nodes\/Ponto|\/dist\/nodes\//],
	['n8n OAuth2 (n8n-core oauth, @n8n/client-oauth2)', /request-helpers\/oauth|client-oauth2/],
	[
		'n8n credentials (CredentialsHelper, decryption, harness store)',
		/credentials-helper|credentials\.js|harness\/credentials|Credentials\b|cipher/i,
	],
	[
		'n8n expressions (n8n-workflow expression, tmpl, isolated-vm)',
		/expression|tmpl|isolated-vm|riot|esprima|recast|ast-types/i,
	],
	[
		'request library (axios, follow-redirects, @n8n/backend-network)',
		/axios|follow-redirects|backend-network|form-data|proxy-from-env|ssrf/i,
	],
	['n8n engine (n8n-core, n8n-workflow, other @n8n)', /n8n-core|n8n-workflow|@n8n\//],
	[
		'Node http/net/tls',
		/^node:(_http|http|net|tls|stream|internal\/(http|streams|net|stream_base))/,
	],
	['Node other', /^node:/],
	['emulator/test code', /\/test\//],
];

const STEPS: Array<[string, RegExp]> = [
	['httpRequestWithAuthentication', /^httpRequestWithAuthentication$/],
	['requestOAuth2', /^requestOAuth2$/],
	['getCredentials (read + decrypt + resolve)', /^getCredentials$|^_getCredentials$/],
	['getDecrypted', /^getDecrypted$/],
	[
		'expression resolution of credential fields',
		/^getComplexParameterValue$|^getParameterValue$|^resolveSimpleParameterValue$/,
	],
	['createOAuth2Client', /^createOAuth2Client$/],
	['token.sign', /^sign$/],
	['runPreAuthentication', /^runPreAuthentication$/],
	['helpers.httpRequest (axios)', /^httpRequest$|^request$/],
	['HTTP Request node: pagination expressions', /^requestWithAuthenticationPaginated$/],
	['JSON.parse', /^parse$/],
	['Ponto listPage/request', /^listPage$|^request$/],
	['problemInPage', /^problemInPage$/],
	['readResponseBody', /^readResponseBody$/],
	['garbage collector', /^\(garbage collector\)$/],
];

function main(): void {
	const args = process.argv.slice(2);
	const windowArg = args.find((arg) => arg.startsWith('--window'));
	const window = windowArg !== undefined;
	const windowPattern = new RegExp(
		windowArg?.split('=')[1] ?? 'n8n-nodes-ponto/dist/|/nodes/Ponto/',
	);
	const skipMs = Number(args.find((arg) => arg.startsWith('--skip='))?.split('=')[1] ?? 0);
	const [file, requestsArg] = args.filter(
		(arg) => !arg.startsWith('--window') && !arg.startsWith('--skip='),
	);
	const requests = Number(requestsArg ?? 100);
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const ours = new Set<number>();
	const mark = (id: number, inside: boolean): void => {
		const node = byId.get(id)!;
		const here = inside || windowPattern.test(node.callFrame.url);
		if (here) ours.add(id);
		for (const child of node.children ?? []) mark(child, here);
	};
	mark(profile.nodes[0].id, false);
	let first = 0;
	let last = profile.samples.length - 1;
	if (window) {
		first = profile.samples.findIndex((id) => ours.has(id));
		for (; last > first && !ours.has(profile.samples[last]); last--);
	}
	if (skipMs > 0) {
		let elapsed = 0;
		while (first < last && elapsed < skipMs * 1000) elapsed += profile.timeDeltas[++first] ?? 0;
	}
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	let total = 0;
	let idle = 0;
	for (let index = first; index <= last; index++) {
		const delta = (profile.timeDeltas[index + 1] ?? 0) / 1000;
		const leaf = byId.get(profile.samples[index])!;
		if (leaf.callFrame.functionName === '(idle)') {
			idle += delta;
			continue;
		}
		total += delta;
		const stack: ProfileNode[] = [];
		for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id))
			stack.push(byId.get(id)!);
		let area = 'other';
		for (const frame of stack) {
			const match = AREAS.find(([, pattern]) => pattern.test(frame.callFrame.url));
			if (match) {
				area = match[0];
				break;
			}
			if (/^\((garbage collector|program)\)$/.test(frame.callFrame.functionName)) {
				area = frame.callFrame.functionName;
				break;
			}
		}
		self.set(area, (self.get(area) ?? 0) + delta);
		const seen = new Set<string>();
		for (const frame of stack) {
			for (const [step, pattern] of STEPS) {
				if (!seen.has(step) && pattern.test(frame.callFrame.functionName)) {
					seen.add(step);
					inclusive.set(step, (inclusive.get(step) ?? 0) + delta);
				}
			}
		}
	}
	const line = (name: string, value: number) =>
		process.stdout.write(
			`  ${name.padEnd(66)} ${value.toFixed(0).padStart(6)} ms  ${(value / requests).toFixed(2).padStart(6)} ms/request\n`,
		);
	process.stdout.write(
		`${file}\nCPU busy ${total.toFixed(0)} ms, idle ${idle.toFixed(0)} ms, ${requests} requests\nself time by area:\n`,
	);
	for (const [name, value] of [...self].sort((a, b) => b[1] - a[1])) line(name, value);
	process.stdout.write('inclusive time of steps (synchronous part on the stack):\n');
	for (const [name] of STEPS) line(name, inclusive.get(name) ?? 0);
}

main();
