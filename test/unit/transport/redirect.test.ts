import { describeFailure } from '../../../nodes/Ponto/helpers/errors';
import {
	failureFromError,
	isRedirect,
	redirectTarget,
} from '../../../nodes/Ponto/transport/failure';

/** Issue 13 finding 1: how a 3xx is read from what n8n 2.x and 1.x throw, and worded. */
const axios302 = (location?: string) => ({
	name: 'AxiosError',
	message: 'Request failed with status code 302',
	response: { status: 302, headers: location === undefined ? {} : { location }, data: '' },
});

test('n8n 2.x: the AxiosError (or a NodeApiError around it) gives the origin of the Location, never its path', () => {
	const direct = failureFromError(axios302('https://evil.example:8443/steal?token=abc'));
	expect(direct).toMatchObject({ status: 302, redirectTo: 'https://evil.example:8443' });
	expect(JSON.stringify(direct)).not.toContain('token=abc');
	const wrapped = failureFromError(
		Object.assign(new Error('Request failed with status code 302'), {
			httpCode: '302',
			cause: axios302('https://evil.example/x'),
		}),
	);
	expect(wrapped).toMatchObject({ status: 302, redirectTo: 'https://evil.example' });
	expect(describeFailure(wrapped).message).toBe(
		'Ponto answered with a redirect to https://evil.example; the node never follows redirects with credentials',
	);
});

test('n8n 1.x: a NodeApiError that kept only the status code is still a redirect, worded without an address', () => {
	const failure = failureFromError(
		Object.assign(new Error('Request failed with status code 307'), { httpCode: '307' }),
	);
	expect(failure).toEqual({ status: 307 });
	expect(isRedirect(failure)).toBe(true);
	expect(describeFailure(failure)).toEqual({
		message:
			'Ponto answered with a redirect to another address; the node never follows redirects with credentials',
		description: expect.stringMatching(
			/^Following it could hand the access token or the client secret to another server[\s\S]*API Base URL/,
		),
	});
});

test.each([
	[undefined, 'an address it did not name'],
	['/maintenance', 'another path on the same server'],
	['ftp://files.example/x', 'an address that is not a web address'],
	['http://127.0.0.1:9/a?b', 'http://127.0.0.1:9'],
])('Location %p is named as %p', (location, named) => {
	expect(redirectTarget(location)).toBe(named);
});
