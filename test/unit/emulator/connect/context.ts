// Shared setup of the Ponto Connect emulator tests: the throw-away PKI, one emulator per test.
import {
	startEmulator,
	type ConnectEmulator,
	type ConnectOptions,
	type EmulatorOptions,
} from '../../../emulator';
import {
	consent,
	mtlsRequest,
	postForm,
	type MtlsRequestInit,
	type MtlsResponse,
	type TlsClientOptions,
} from '../../../emulator/connect/client';
import { connectEmulatorOptions, generateTestPki, type TestPki } from '../../../support/pki';

export { PONTO_SAMPLES as SAMPLES, sampleText } from '../../../support/fixtures';
import { sampleText } from '../../../support/fixtures';
export const sample = <T>(name: string): T => JSON.parse(sampleText(name)) as T;

export let pki: TestPki;
export let emu: ConnectEmulator;

beforeAll(async () => {
	pki = await generateTestPki();
});
afterEach(async () => {
	await emu?.close();
});

export type BootOptions = EmulatorOptions & { connectOptions?: Partial<ConnectOptions> };

export async function bootConnect(options: BootOptions = {}): Promise<ConnectEmulator> {
	const { connectOptions, ...rest } = options;
	emu = await startEmulator({
		...rest,
		connect: connectEmulatorOptions(pki, { ...connectOptions }),
	});
	return emu;
}

/** The app's TLS pair, trusted by the emulator. */
export const appTls = (): TlsClientOptions => ({
	ca: pki.ca.cert,
	cert: pki.client.cert,
	key: pki.client.key,
});
export const api = (path: string): string => `${emu.connect.apiBaseUrl}${path}`;

/** Request to the API with the app certificate; path relative to /ponto-connect unless absolute. */
export function call<T = Record<string, unknown>>(
	path: string,
	init: Partial<MtlsRequestInit> = {},
): Promise<MtlsResponse<T>> {
	return mtlsRequest<T>(path.startsWith('http') ? path : api(path), { tls: appTls(), ...init });
}

export interface TokenBody {
	access_token: string;
	expires_in: number;
	refresh_token?: string;
	scope: string;
	token_type: string;
	error?: string;
	error_description?: string;
}

export const token = (form: Record<string, string>) =>
	postForm<TokenBody>(api('/oauth2/token'), form, appTls());

/** Browser leg + code exchange: a user token pair. */
export async function login(
	scope = 'offline_access ai pi name',
): Promise<{ access: string; refresh?: string; body: TokenBody }> {
	const c = await consent(emu.authorizationUrl, { scope });
	const res = await token({
		grant_type: 'authorization_code',
		code: c.code,
		redirect_uri: c.redirectUri,
		code_verifier: c.verifier,
		client_id: 'test-connect-client-id',
	});
	if (res.status !== 200) throw new Error(`code exchange failed: ${res.text}`);
	return { access: res.body.access_token, refresh: res.body.refresh_token, body: res.body };
}
