import type { ErrorDocument, ListDocument, SingleDocument } from '../../../emulator/client';
import { bootConnect, call, emu, login, pki, sample } from './context';

/** The payment routes of the Connect flavour (docs/ponto-api.md §3, §4.9) as a client sees them. */
const json = (body: unknown, headers: Record<string, string> = {}) => ({
	method: 'POST',
	body: JSON.stringify(body),
	headers: { 'content-type': 'application/vnd.api+json', ...headers },
});
const TRANSFER = {
	amount: 12.5,
	currency: 'EUR',
	creditorName: 'Alex Creditor',
	creditorAccountReference: 'BE68539007547034',
	creditorAccountReferenceType: 'IBAN',
	remittanceInformation: 'Invoice 2024-001',
	remittanceInformationType: 'unstructured',
	endToEndId: 'INV-2024-001',
};
type Doc = SingleDocument & ErrorDocument;

let now = Date.now();
async function activatedSession(): Promise<{ access: string; accountId: string }> {
	now = Date.now();
	await bootConnect({
		now: () => new Date(now),
		tokenLifetimeSeconds: 86_400,
		connectOptions: { userinfo: { paymentsActivated: true, paymentRequestsActivated: true } },
	});
	const { access } = await login();
	return { access, accountId: emu.dataset.accounts[0].id };
}

describe('Ponto Connect payments in the emulator', () => {
	it('creates a payment shaped like payment-create.json, gets it, signs it, and the debit books at the next sync', async () => {
		const { access, accountId } = await activatedSession();
		const created = await call<Doc>(`/accounts/${accountId}/payments`, {
			...json({
				data: {
					type: 'payment',
					attributes: { ...TRANSFER, redirectUri: 'https://example.com/done' },
				},
			}),
			token: access,
		});
		expect(created.status).toBe(201);
		const shape = sample<{
			data: { attributes: Record<string, unknown>; links: Record<string, unknown> };
		}>('payment-create.json').data;
		expect(created.body.data).toMatchObject({
			type: 'payment',
			attributes: { status: 'pending', amount: '12.5', creditorName: 'Alex Creditor' },
		});
		for (const key of [
			'status',
			'currency',
			'creditorName',
			'creditorAccountReference',
			'amount',
			'endToEndId',
		])
			expect(typeof created.body.data.attributes[key]).toBe(typeof shape.attributes[key]);
		const link = String(created.body.data.links!.redirect);
		expect(link).toMatch(
			new RegExp(
				`/organizations/${emu.dataset.organizationId}/sandbox/integrations/[^/]+/accounts/${accountId}/payments/${created.body.data.id}$`,
			),
		);
		const got = await call<Doc>(`/accounts/${accountId}/payments/${created.body.data.id}`, {
			token: access,
		});
		expect(got.body.data.attributes.status).toBe('pending');

		const signed = await fetch(link, { redirect: 'manual' });
		expect(signed.status).toBe(302);
		expect(signed.headers.get('location')).toBe('https://example.com/done');
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/payments/${created.body.data.id}`, {
					token: access,
				})
			).body.data.attributes.status,
		).toBe('accepted');
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/payments/${created.body.data.id}`, {
					method: 'DELETE',
					token: access,
				})
			).status,
		).toBe(400);

		const account = emu.dataset.accounts[0];
		const before = account.transactions.length;
		const sync = await call<SingleDocument>('/synchronizations', {
			...json({
				data: {
					type: 'synchronization',
					attributes: {
						resourceType: 'account',
						resourceId: accountId,
						subtype: 'accountTransactions',
						customerIpAddress: '203.0.113.7',
					},
				},
			}),
			token: access,
		});
		now += 10_000;
		const updated = await call<ListDocument>(
			`/synchronizations/${sync.body.data.id}/updated-transactions`,
			{ token: access },
		);
		expect(updated.body.data.map((t) => t.attributes)).toEqual([
			expect.objectContaining({
				amount: -12.5,
				counterpartName: 'Alex Creditor',
				counterpartReference: 'BE68539007547034',
				endToEndId: 'INV-2024-001',
			}),
		]);
		expect(account.transactions).toHaveLength(before + 1);
	});

	it('refuses what Ponto refuses (§4.9), naming the attribute', async () => {
		const { access, accountId } = await activatedSession();
		const post = (attributes: Record<string, unknown>) =>
			call<Doc>(`/accounts/${accountId}/payments`, {
				...json({ data: { type: 'payment', attributes } }),
				token: access,
			});
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ ...TRANSFER, amount: undefined }, 'amount'],
			[{ ...TRANSFER, amount: 0 }, 'amount'],
			[{ ...TRANSFER, amount: 1.234 }, 'amount'],
			[{ ...TRANSFER, currency: 'USD' }, 'currency'],
			[{ ...TRANSFER, creditorName: 'Café' }, 'creditorName'],
			[{ ...TRANSFER, creditorName: 'A'.repeat(61) }, 'creditorName'],
			[{ ...TRANSFER, creditorAccountReference: 'BE68539007547035' }, 'creditorAccountReference'],
			[{ ...TRANSFER, creditorAccountReferenceType: 'BBAN' }, 'creditorAccountReferenceType'],
			[{ ...TRANSFER, remittanceInformation: 'x'.repeat(141) }, 'remittanceInformation'],
			[{ ...TRANSFER, remittanceInformation: 'a & b' }, 'remittanceInformation'],
			[{ ...TRANSFER, creditorAgent: 'NOPE', creditorAgentType: 'BIC' }, 'creditorAgent'],
			[{ ...TRANSFER, requestedExecutionDate: 'soon' }, 'requestedExecutionDate'],
			[{ ...TRANSFER, redirectUri: 'not a uri' }, 'redirectUri'],
		];
		for (const [attributes, attribute] of cases) {
			const res = await post(attributes);
			expect([res.status, res.body.errors?.[0]?.meta.attribute]).toEqual([400, attribute]);
		}
		expect(emu.connect.payments).toHaveLength(0);
	});

	it('needs activation: 403 until the activation link is followed; userinfo shows the flags', async () => {
		await bootConnect();
		const { access } = await login();
		const accountId = emu.dataset.accounts[0].id;
		const refused = await call<Doc>(`/accounts/${accountId}/payments`, {
			...json({ data: { type: 'payment', attributes: TRANSFER } }),
			token: access,
		});
		expect([refused.status, refused.body.errors[0].code]).toEqual([403, 'paymentsNotActivated']);
		const request = await call<Doc>('/payment-activation-requests', {
			...json({
				data: {
					type: 'paymentActivationRequest',
					attributes: { redirectUri: 'https://example.com/activated' },
				},
			}),
			token: access,
		});
		expect(request.status).toBe(201);
		expect(
			(await call<Record<string, unknown>>('/userinfo', { token: access })).body,
		).toMatchObject({ paymentsActivated: false, paymentsActivationRequested: true });
		const followed = await fetch(String(request.body.data.links!.redirect), { redirect: 'manual' });
		expect(followed.headers.get('location')).toBe('https://example.com/activated');
		expect(
			(await call<Record<string, unknown>>('/userinfo', { token: access })).body,
		).toMatchObject({ paymentsActivated: true });
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/payments`, {
					...json({ data: { type: 'payment', attributes: TRANSFER } }),
					token: access,
				})
			).status,
		).toBe(201);
		const noPi = await login('ai name');
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/payments`, {
					...json({ data: { type: 'payment', attributes: TRANSFER } }),
					token: noPi.access,
				})
			).body.errors[0].code,
		).toBe('paymentScopeMissing');
	});

	it('replays an idempotency key, even when the first answer was a 500 after acceptance', async () => {
		const { access, accountId } = await activatedSession();
		emu.queueFaults({ match: /\/payments$/, method: 'POST', acceptThenFail: 500 });
		const body = json(
			{ data: { type: 'payment', attributes: TRANSFER } },
			{ 'ibanity-idempotency-key': 'b7f9d3a0-5c1e-4f1a-9a51-1f2c3d4e5f60' },
		);
		const first = await call<Doc>(`/accounts/${accountId}/payments`, { ...body, token: access });
		expect(first.status).toBe(500);
		expect(emu.connect.payments).toHaveLength(1);
		const second = await call<Doc>(`/accounts/${accountId}/payments`, { ...body, token: access });
		expect(second.status).toBe(201);
		expect(second.body.data.id).toBe(emu.connect.payments[0].id);
		expect(emu.connect.payments).toHaveLength(1);
		expect(emu.log.map((e) => [e.fault, e.idempotentReplay])).toEqual(
			expect.arrayContaining([
				['queued:accepted-then-500', undefined],
				[undefined, true],
			]),
		);
	});

	it('bulk payments: unsigned, limit, rejection; deleting before signing', async () => {
		const { access, accountId } = await activatedSession();
		emu.connect.setOptions({ payments: { bulkInstructionsLimit: 2 } });
		const bulk = (payments: unknown[]) =>
			json({
				data: {
					type: 'bulkPayment',
					attributes: { reference: 'Bills March', batchBookingPreferred: true, payments },
				},
			});
		const tooMany = await call<Doc>(`/accounts/${accountId}/bulk-payments`, {
			...bulk([TRANSFER, TRANSFER, TRANSFER]),
			token: access,
		});
		expect([tooMany.status, tooMany.body.errors[0].meta.attribute]).toEqual([400, 'payments']);
		const badItem = await call<Doc>(`/accounts/${accountId}/bulk-payments`, {
			...bulk([TRANSFER, { ...TRANSFER, currency: 'GBP' }]),
			token: access,
		});
		expect(badItem.body.errors[0].meta.attribute).toBe('payments[1].currency');
		const created = await call<Doc>(`/accounts/${accountId}/bulk-payments`, {
			...bulk([TRANSFER, { ...TRANSFER, amount: 3 }]),
			token: access,
		});
		expect(created.body.data).toMatchObject({
			type: 'bulkPayment',
			attributes: { status: 'unsigned', reference: 'Bills March', batchBookingPreferred: true },
		});
		const rejected = await fetch(`${String(created.body.data.links!.redirect)}?decision=reject`);
		expect(rejected.status).toBe(200);
		expect(emu.connect.payments[0].attributes.status).toBe('rejected');
		const other = await call<Doc>(`/accounts/${accountId}/bulk-payments`, {
			...bulk([TRANSFER]),
			token: access,
		});
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/bulk-payments/${other.body.data.id}`, {
					method: 'DELETE',
					token: access,
				})
			).status,
		).toBe(200);
		expect(
			(
				await call<Doc>(`/accounts/${accountId}/bulk-payments/${other.body.data.id}`, {
					token: access,
				})
			).status,
		).toBe(404);
	});

	it('payment requests: signing URI, signed then closed; payment routes can demand a signature', async () => {
		const { access, accountId } = await activatedSession();
		const created = await call<Doc>(`/accounts/${accountId}/payment-requests`, {
			...json({
				data: {
					type: 'paymentRequest',
					attributes: {
						amount: 20,
						currency: 'EUR',
						remittanceInformation: 'Order 7',
						remittanceInformationType: 'unstructured',
					},
				},
			}),
			token: access,
		});
		expect(created.body.data.attributes).toMatchObject({
			status: 'unsigned',
			signingUri: expect.stringMatching(/\/pay\//),
			signedAt: null,
			closedAt: null,
		});
		emu.connect.decidePayment(created.body.data.id, 'sign');
		const closed = emu.connect.decidePayment(created.body.data.id, 'close');
		expect(closed.attributes).toMatchObject({
			status: 'closed',
			signedAt: expect.any(String),
			closedAt: expect.any(String),
		});

		emu.connect.setOptions({
			payments: { requireSignature: true },
			signature: { required: false, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
		});
		const unsigned = await call<Doc>(`/accounts/${accountId}/payments`, {
			...json({ data: { type: 'payment', attributes: TRANSFER } }),
			token: access,
		});
		expect([unsigned.status, unsigned.body.errors[0].code]).toEqual([401, 'invalidSignature']);
		const signed = await call<Doc>(`/accounts/${accountId}/payments`, {
			...json({ data: { type: 'payment', attributes: TRANSFER } }),
			token: access,
			sign: { keyId: pki.signing.keyId, privateKey: pki.signing.privateKey },
		});
		expect(signed.status).toBe(201);
	});
});
