// HTTPS listener with client certificates (mutual TLS) for the Ponto Connect flavour
// (docs/ponto-api.md §2.1: every api.ibanity.com request carries the app's TLS certificate).
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Listener } from './http';

export interface TlsSettings {
	/** Server certificate (PEM) for 127.0.0.1. */
	cert: string;
	/** Its private key (PEM). */
	key: string;
	/** CA certificate(s) (PEM) that must have signed the client certificates. */
	ca: string | string[];
}

/**
 * How a request without a valid client certificate fails:
 * - 'handshake' (default): rejectUnauthorized, the TLS handshake is refused (the client sees a TLS
 *   alert or a reset); no HTTP request exists, the attempt is recorded in connect.tlsRejections.
 * - 'reset': the handshake completes, the request is logged (clientCertificate: false), then the
 *   connection is destroyed without an HTTP answer.
 * - 'http': the request is logged and answered 401: JSON:API `clientCertificateRequired` on the API,
 *   OAuth's invalid_client "A valid TLS client certificate is required" on the OAuth endpoints [infer: the
 *   real host's HTTP-level answer, if any, is not documented].
 */
export type ClientCertificateFailure = 'handshake' | 'reset' | 'http';

export interface TlsRejection {
	at: string;
	/** Node's error code, e.g. ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE, or ECONNRESET. */
	reason: string;
}

export function createTlsListener(
	settings: TlsSettings,
	failure: ClientCertificateFailure,
	handler: (req: IncomingMessage, res: ServerResponse) => void,
	onRejection: (error: NodeJS.ErrnoException) => void,
): Listener {
	const server = https.createServer(
		{
			cert: settings.cert,
			key: settings.key,
			ca: settings.ca,
			requestCert: true,
			rejectUnauthorized: failure === 'handshake',
			keepAliveTimeout: 5_000,
		},
		handler,
	);
	const sockets = new Set<Socket>();
	// 'connection' gives the raw TCP socket: tracking it lets close() end TLS sockets too.
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('tlsClientError', (error: NodeJS.ErrnoException) => onRejection(error));
	return { server, sockets };
}

export interface PeerCertificateInfo {
	/** A certificate was presented and chains to the configured CA. */
	authorized: boolean;
	/** A certificate was presented at all. */
	presented: boolean;
	cn?: string;
	/** Why it is not authorized (e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE). */
	error?: string;
}

export function peerCertificate(req: IncomingMessage): PeerCertificateInfo {
	const socket = req.socket as Partial<TLSSocket>;
	if (typeof socket.getPeerCertificate !== 'function')
		return { authorized: false, presented: false, error: 'not TLS' };
	const cert = socket.getPeerCertificate();
	const presented = Boolean(cert && Object.keys(cert).length > 0);
	const cnValue = presented ? cert.subject?.CN : undefined;
	const cn = Array.isArray(cnValue) ? cnValue.join(',') : cnValue;
	const authorizationError = socket.authorizationError;
	return {
		authorized: Boolean(socket.authorized) && presented,
		presented,
		cn,
		error: authorizationError
			? String(authorizationError)
			: presented
				? undefined
				: 'no client certificate',
	};
}
