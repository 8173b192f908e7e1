// Shared setup of the emulator's own tests: one emulator per test, closed after each.
import { fetchToken, request } from '../../emulator/client';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';

export { PONTO_SAMPLES as SAMPLES, sampleJson as sample } from '../../support/fixtures';

export let emu: Emulator;
export let token: string;
export async function boot(options: EmulatorOptions = {}): Promise<void> {
	emu = await startEmulator(options);
	token = await fetchToken(emu.url);
}
/** A fresh token for the running emulator (after the old one expired on purpose). */
export async function renewToken(): Promise<void> {
	token = await fetchToken(emu.url);
}
/** Replaces the running emulator by one with other options. */
export async function reboot(options: EmulatorOptions): Promise<void> {
	await emu.close();
	emu = await startEmulator(options);
}
export const get = <T>(p: string, tok: string | undefined = token) =>
	request<T>(p.startsWith('http') ? p : `${emu.url}${p}`, { token: tok });
export const firstAccount = (): string => emu.dataset.accounts[0].id;
export const postToken = (body: string, headers: Record<string, string> = {}, query = '') =>
	request<Record<string, unknown>>(`${emu.url}/oauth2/token${query}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body,
	});

afterEach(async () => {
	await emu?.close();
});
