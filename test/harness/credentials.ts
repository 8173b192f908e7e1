import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialsHelper,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/**
 * A credentials store for tests that does what n8n's own CredentialsHelper does on the paths
 * the Ponto node uses: defaults of the credential type (and its parents) applied, `$self`
 * expressions such as the token URL resolved, OAuth2 token data persisted on refresh, and a
 * type's preAuthentication run when its expirable field is empty or expired. It stands in for
 * n8n's database-backed helper; the real one is exercised by the e2e suite.
 */
export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** The part of n8n's base oAuth2Api credential that our credentials rely on. */
const OAUTH2_BASE: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	],
};

export class TestCredentialsHelper implements ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>([[OAUTH2_BASE.name, OAUTH2_BASE]]);

	readonly store = new Map<string, StoredCredential>();

	/** How many times n8n persisted new OAuth token data (first fetch and each renewal). */
	tokenUpdates = 0;

	constructor(
		types: ICredentialType[],
		private readonly nodeTypes: INodeTypes,
	) {
		for (const type of types) this.types.set(type.name, type);
	}

	add(credential: StoredCredential): void {
		this.store.set(credential.id, structuredClone(credential));
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.types.get(type);
		if (!credentialType) throw new Error(`Unknown credential type ${type}`);
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends ?? []) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the node');
	}

	private stored(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		const credential = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!credential || credential.type !== type) {
			throw new Error(`No credential of type ${type} with id ${String(nodeCredentials.id)}`);
		}
		return credential;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: unknown,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = structuredClone(this.stored(nodeCredentials, type).data);
		if (raw) return original;
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as unknown as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;
		if (expressionResolveValues) {
			data = expressionResolveValues.workflow.expression.getParameterValue(
				data as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				{},
				executeData as never,
				false,
				data,
			) as unknown as ICredentialDataDecryptedObject;
		} else {
			const node: INode = {
				id: 'credential',
				name: 'credential',
				type: 'credential',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: this.nodeTypes,
			});
			data = workflow.expression.getComplexParameterValue(
				node,
				data as INodeParameters,
				mode,
				{},
				undefined,
				undefined,
				data,
			) as unknown as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.stored(nodeCredentials, type).data = structuredClone(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credential = this.stored(nodeCredentials, type);
		credential.data.oauthTokenData = structuredClone(data.oauthTokenData);
		this.tokenUpdates++;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.types.get(typeName)?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate)
			throw new Error('Generic authenticate objects are not supported by the test harness');
		return requestOptions as IHttpRequestOptions;
	}

	/** Times a credential type's preAuthentication ran, and times n8n persisted its output. */
	preAuthenticationCalls = 0;

	preAuthenticationWrites = 0;

	/**
	 * As n8n 2.41.1's CredentialsHelper.preAuthentication (and 1.123's): the hook runs when the
	 * expirable field is '' or the request got a 401 (or on the editor's test node); its output
	 * counts only if it carries the expirable field, and is then merged into the stored data.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.get(typeName);
		const expirable = type?.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!type?.preAuthentication || !expirable) return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials)
			return undefined;
		this.preAuthenticationCalls++;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (!details) return undefined;
		const stored = this.stored(details, typeName);
		stored.data = { ...stored.data, ...structuredClone(output) };
		this.preAuthenticationWrites++;
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}
}
