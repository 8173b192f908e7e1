import type { ErrorDocument, ListDocument, SingleDocument } from '../../../emulator/client';
import { DEFAULT_INTEGRATION_ID } from '../../../emulator';
import { bootConnect, call, emu, login, sample } from './context';

type Userinfo = Record<string, unknown>;
const json = (body: unknown) => ({
	method: 'POST',
	body: JSON.stringify(body),
	headers: { 'content-type': 'application/vnd.api+json' },
});

describe('Ponto Connect resources', () => {
	it('serves the custom-flavour resources under /ponto-connect with links on that base', async () => {
		await bootConnect();
		const { access } = await login();
		const list = await call<ListDocument>('/accounts', { token: access });
		expect(list.status).toBe(200);
		expect(list.body.data[0].relationships!.transactions.links!.related).toBe(
			`${emu.url}/ponto-connect/accounts/${list.body.data[0].id}/transactions`,
		);
		expect((await call<{ links: Record<string, unknown> }>('/')).body.links.userinfo).toBe(
			`${emu.url}/ponto-connect/userinfo`,
		);
		expect((await call(`${emu.url}/accounts`, { token: access })).status).toBe(404);
	});

	it('GET /userinfo: flat JSON like userinfo.json, name only with the name scope', async () => {
		await bootConnect({
			connectOptions: { userinfo: { name: 'Acme BV', paymentsActivated: true } },
		});
		const shape = sample<Userinfo>('userinfo.json');
		const withName = await call<Userinfo>('/userinfo', { token: (await login('ai name')).access });
		expect(withName.status).toBe(200);
		expect(withName.headers['content-type']).toMatch(/^application\/json/);
		expect(withName.body).toEqual({
			sub: emu.dataset.organizationId,
			name: 'Acme BV',
			paymentsActivated: true,
			paymentsActivationRequested: false,
			paymentRequestsActivated: false,
			paymentRequestsActivationRequested: false,
			onboardingComplete: true,
		});
		for (const key of [
			'sub',
			'name',
			'paymentsActivated',
			'paymentsActivationRequested',
			'onboardingComplete',
		])
			expect(typeof withName.body[key]).toBe(typeof shape[key]);
		const withoutName = await call<Userinfo>('/userinfo', { token: (await login('ai')).access });
		expect(withoutName.body.name).toBeUndefined();
		expect(withoutName.body.sub).toBe(emu.dataset.organizationId);
		emu.connect.setOptions({
			userinfo: {
				representativeOrganizationId: 'rep-1',
				representativeOrganizationName: 'Accountant',
			},
		});
		const rep = await call<Userinfo>('/userinfo', { token: (await login('ai name')).access });
		expect(rep.body).toMatchObject({
			representativeOrganizationId: 'rep-1',
			representativeOrganizationName: 'Accountant',
		});
		expect((await call('/userinfo')).status).toBe(401);
	});

	it('DELETE /accounts/{id} removes the account from the integration', async () => {
		await bootConnect();
		const { access } = await login();
		const id = emu.dataset.accounts[1].id;
		const removed = await call<SingleDocument>(`/accounts/${id}`, {
			method: 'DELETE',
			token: access,
		});
		expect(removed.status).toBe(200);
		expect(removed.body).toEqual({ data: { type: 'account', id } });
		expect(
			(await call<ErrorDocument>(`/accounts/${id}`, { token: access })).body.errors[0].code,
		).toBe('resourceNotFound');
		expect((await call(`/accounts/${id}/transactions`, { token: access })).status).toBe(404);
		expect((await call(`/accounts/${id}`, { method: 'DELETE', token: access })).status).toBe(404);
		expect(
			(await call<ListDocument>('/accounts', { token: access })).body.data.map((a) => a.id),
		).not.toContain(id);
	});

	it('POST reauthorization-requests answers a link to the authorization host that renews the consent', async () => {
		let now = Date.now();
		await bootConnect({ now: () => new Date(now), tokenLifetimeSeconds: 86_400 });
		const { access } = await login();
		const account = emu.dataset.accounts[0];
		const path = `/accounts/${account.id}/reauthorization-requests`;
		const missing = await call<ErrorDocument>(path, {
			...json({ data: { type: 'reauthorizationRequest', attributes: {} } }),
			token: access,
		});
		expect(missing.status).toBe(400);
		expect(missing.body.errors[0]).toMatchObject({
			code: 'validationError',
			meta: { attribute: 'redirectUri' },
		});
		expect(
			(
				await call<ErrorDocument>(path, {
					...json({ data: { type: 'payment', attributes: { redirectUri: 'https://x.example' } } }),
					token: access,
				})
			).body.errors[0].meta.attribute,
		).toBe('type');
		expect(
			(
				await call(`/accounts/nope/reauthorization-requests`, {
					...json({
						data: {
							type: 'reauthorizationRequest',
							attributes: { redirectUri: 'https://x.example' },
						},
					}),
					token: access,
				})
			).status,
		).toBe(404);
		const created = await call<{ data: { type: string; id: string; links: { redirect: string } } }>(
			path,
			{
				...json({
					data: {
						type: 'reauthorizationRequest',
						attributes: { redirectUri: 'https://app.example/done' },
					},
				}),
				token: access,
			},
		);
		expect(created.status).toBe(201);
		const { id, links } = created.body.data;
		expect(created.body.data.type).toBe('reauthorizationRequest');
		const origin = new URL(emu.authorizationUrl).origin;
		expect(links.redirect).toBe(
			`${origin}/organizations/${emu.dataset.organizationId}/sandbox/integrations/${DEFAULT_INTEGRATION_ID}/accounts/${account.id}/reauthorization-requests/${id}`,
		);
		now += 3_600_000;
		const visit = await fetch(links.redirect, { redirect: 'manual' });
		expect(visit.status).toBe(302);
		expect(visit.headers.get('location')).toBe('https://app.example/done');
		expect(account.attributes.authorizedAt).toBe(new Date(now).toISOString());
		expect(Date.parse(account.attributes.authorizationExpirationExpectedAt)).toBe(
			now + 90 * 86_400_000,
		);
	});
});

describe('sandbox financial-institution accounts and transactions', () => {
	it('mirrors each account, validates and creates transactions that surface after a sync', async () => {
		let now = Date.now();
		await bootConnect({ now: () => new Date(now), tokenLifetimeSeconds: 86_400 });
		const { access } = await login();
		const account = emu.dataset.accounts[0];
		const fiId = account.financialInstitutionId;
		const base = `/sandbox/financial-institutions/${fiId}/financial-institution-accounts`;
		const list = await call<ListDocument>(base, { token: access });
		expect(list.status).toBe(200);
		const fiAccount = list.body.data.find(
			(a) => a.attributes.reference === account.attributes.reference,
		)!;
		expect(fiAccount).toMatchObject({
			type: 'financialInstitutionAccount',
			id: emu.connect.sandboxAccountId(account.id),
		});
		expect(fiAccount.id).not.toBe(account.id);
		expect(fiAccount.attributes).toMatchObject({
			currency: account.attributes.currency,
			subtype: account.attributes.subtype,
			referenceType: 'IBAN',
		});
		expect(
			(await call<SingleDocument>(`${base}/${fiAccount.id}`, { token: access })).body.data.id,
		).toBe(fiAccount.id);
		expect(
			(
				await call(`/sandbox/financial-institutions/nope/financial-institution-accounts`, {
					token: access,
				})
			).status,
		).toBe(404);
		expect((await call(`${base}/nope`, { token: access })).status).toBe(404);

		const txPath = `${base}/${fiAccount.id}/financial-institution-transactions`;
		const attributes = {
			valueDate: '2024-03-01T00:00:00.000Z',
			executionDate: '2024-03-01T00:00:00.000Z',
			amount: 84.42,
			currency: 'EUR',
			counterpartName: 'Otro Bank',
			counterpartReference: 'BE25123456789012',
			description: 'Small Cotton Chair',
			remittanceInformation: 'Aspernatur et quibusdam.',
			remittanceInformationType: 'unstructured',
		};
		const post = (attrs: Record<string, unknown>) =>
			call<SingleDocument & ErrorDocument>(txPath, {
				...json({ data: { type: 'financialInstitutionTransaction', attributes: attrs } }),
				token: access,
			});
		for (const name of [
			'valueDate',
			'executionDate',
			'amount',
			'currency',
			'description',
			'remittanceInformationType',
		]) {
			const res = await post({ ...attributes, [name]: undefined });
			expect(res.status).toBe(400);
			expect(res.body.errors[0]).toMatchObject({
				code: 'validationError',
				meta: { attribute: name },
			});
		}
		expect((await post({ ...attributes, amount: 'lots' })).body.errors[0].meta.attribute).toBe(
			'amount',
		);
		expect((await post({ ...attributes, valueDate: 'soon' })).body.errors[0].meta.attribute).toBe(
			'valueDate',
		);
		expect(
			(await post({ ...attributes, remittanceInformationType: 'free' })).body.errors[0].meta
				.attribute,
		).toBe('remittanceInformationType');
		const created = await post(attributes);
		expect(created.status).toBe(201);
		expect(created.body.data).toMatchObject({
			type: 'financialInstitutionTransaction',
			attributes: { ...attributes, createdAt: expect.any(String) },
		});
		const fiTxId = created.body.data.id;
		expect(
			(await call<ListDocument>(txPath, { token: access })).body.data.map((t) => t.id),
		).toEqual([fiTxId]);
		expect(
			(await call<SingleDocument>(`${txPath}/${fiTxId}`, { token: access })).body.data.id,
		).toBe(fiTxId);
		const patched = await call<SingleDocument>(`${txPath}/${fiTxId}`, {
			...json({
				data: { type: 'financialInstitutionTransaction', attributes: { description: 'Edited' } },
			}),
			method: 'PATCH',
			token: access,
		});
		expect(patched.body.data.attributes.description).toBe('Edited');

		const before = account.transactions.length;
		expect(
			account.transactions.some(
				(t) => t.attributes.remittanceInformation === attributes.remittanceInformation,
			),
		).toBe(false);
		const sync = await call<SingleDocument>('/synchronizations', {
			...json({
				data: {
					type: 'synchronization',
					attributes: {
						resourceType: 'account',
						resourceId: account.id,
						subtype: 'accountTransactions',
						customerIpAddress: '203.0.113.7',
					},
				},
			}),
			token: access,
		});
		expect(sync.status).toBe(201);
		now += 10_000;
		const updated = await call<ListDocument>(
			`/synchronizations/${sync.body.data.id}/updated-transactions`,
			{ token: access },
		);
		expect(updated.body.data).toHaveLength(1);
		expect(updated.body.data[0].attributes).toMatchObject({
			amount: 84.42,
			counterpartName: 'Otro Bank',
			remittanceInformation: attributes.remittanceInformation,
			description: 'Small Cotton Chair',
		});
		expect(account.transactions).toHaveLength(before + 1);
	});
});
