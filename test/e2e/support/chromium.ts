import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { runCommand, tail } from './process';

/**
 * Headless Chromium for the editor test and `npm run screenshots`: Debian's `chromium`, or
 * CHROMIUM_PATH. Installed by scripts/install-chromium.sh when missing, called here explicitly
 * (never an npm hook).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags both runs launch it with: headless, no sandbox (root in CI), nothing phoning home. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function ensureChromium(): Promise<void> {
	if (existsSync(CHROMIUM)) return;
	const install = await runCommand(
		'bash',
		[join(resolve(__dirname, '../../..'), 'scripts/install-chromium.sh')],
		{ env: process.env, timeoutMs: 15 * 60_000, echoStderr: true },
	);
	if (install.code !== 0 || !existsSync(CHROMIUM))
		throw new Error(`Could not install Chromium:\n${tail(install.stdout + install.stderr)}`);
}
