// HTTP plumbing: the listener factory, body reading, response writing, JSON:API errors.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const JSON_API = 'application/vnd.api+json';
export const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Default application/vnd.api+json. */
	contentType?: string;
}

export interface Listener {
	server: http.Server;
	sockets: Set<Socket>;
}

/**
 * Plain HTTP: the custom-integration flavour, and the authorization host of Ponto Connect. The
 * Connect API listener (HTTPS with client certificates) is tls.ts; the socket tracking works the
 * same for both.
 */
export function createListener(handler: http.RequestListener): Listener {
	const server = http.createServer({ keepAliveTimeout: 5_000 }, handler);
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return { server, sockets };
}

export function listen(listener: Listener, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const onError = (error: Error): void => reject(error);
		listener.server.once('error', onError);
		listener.server.listen(port, HOST, () => {
			listener.server.off('error', onError);
			resolve((listener.server.address() as AddressInfo).port);
		});
	});
}

export function closeListener(listener: Listener): Promise<void> {
	return new Promise((resolve) => {
		listener.server.close(() => resolve());
		for (const socket of listener.sockets) socket.destroy();
		listener.server.closeAllConnections();
	});
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** ibanity-request-id values look like 43 upper-case hex characters in the fixtures. */
export function createRequestIdFactory(): () => string {
	const prefix = randomBytes(8).toString('hex').toUpperCase();
	let counter = 0;
	return () => `0007${prefix}${(++counter).toString(16).toUpperCase().padStart(23, '0')}`;
}

/** JSON:API error body as in error-*.json: {errors:[{code, detail, meta:{requestId, ...}}]}. */
export function apiError(
	requestId: string,
	status: number,
	code: string,
	detail: string,
	meta: Record<string, unknown> = {},
): ApiResponse {
	return { status, body: { errors: [{ code, detail, meta: { requestId, ...meta } }] } };
}

export function writeResponse(
	res: http.ServerResponse,
	response: ApiResponse,
	requestId: string,
): void {
	const payload = response.body === undefined ? '' : JSON.stringify(response.body);
	writePayload(
		res,
		response.status,
		response.contentType ?? JSON_API,
		payload,
		requestId,
		response.headers,
	);
}

/** Any payload as is (the hostile modes send text that is not JSON, or bytes). */
export function writePayload(
	res: http.ServerResponse,
	status: number,
	contentType: string,
	payload: string | Buffer,
	requestId: string,
	headers: Record<string, string> = {},
): void {
	if (res.writableEnded || res.destroyed) return;
	res.writeHead(status, {
		'content-type': contentType,
		'content-length': String(Buffer.byteLength(payload)),
		'ibanity-request-id': requestId,
		...headers,
	});
	res.end(payload);
}
