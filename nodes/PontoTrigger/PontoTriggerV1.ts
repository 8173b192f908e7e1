import type {
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { loadOptions, readSettings, versionDescription } from './description';
import { pollNewTransactions } from './poll';

/**
 * Version 1: an n8n polling node (n8n adds Poll Times and runs each poll). Kept for the
 * workflows built with it; new nodes get version 2, whose hand-over survives n8n failing or
 * dying between saving the trigger's state and storing the execution (docs/reliability.md).
 */
export class PontoTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(base: INodeTypeBaseDescription) {
		this.description = versionDescription(base, 1, { polling: true });
	}

	methods = { loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNewTransactions.call(this, readSettings.call(this));
	}
}
