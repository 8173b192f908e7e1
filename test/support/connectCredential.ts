import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONNECT_CLIENT } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import type { TestPki } from './pki';

/**
 * The data of a Ponto Connect credential for the emulator's default client, with the test PKI's
 * client certificate (encrypted key + passphrase), CA and signing key. Not linked: tokens and
 * the authorization response are empty unless `extra` sets them.
 */
export function connectCredentialData(
	emulator: ConnectEmulator,
	pki: TestPki,
	extra: IDataObject = {},
): IDataObject {
	return {
		environment: 'sandbox',
		baseUrl: emulator.url,
		authorizationUrl: emulator.authorizationUrl,
		clientId: DEFAULT_CONNECT_CLIENT.clientId,
		clientSecret: DEFAULT_CONNECT_CLIENT.clientSecret,
		redirectUri: 'http://127.0.0.1/callback',
		certificate: pki.client.cert,
		privateKey: pki.client.encryptedKey,
		passphrase: pki.client.passphrase,
		ca: pki.ca.cert,
		signatureCertificateId: pki.signing.keyId,
		signingPrivateKey: pki.signing.privateKey,
		applicationId: emulator.connect.applicationId,
		accessToken: '',
		refreshToken: '',
		...extra,
	};
}
