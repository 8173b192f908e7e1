import { VersionedNodeType } from 'n8n-workflow';
import type { INodeTypeBaseDescription } from 'n8n-workflow';

import { PontoTriggerV1 } from './PontoTriggerV1';
import { PontoTriggerV2 } from './PontoTriggerV2';

/**
 * Ponto Trigger: each new booked or pending transaction once. Version 1 is an n8n polling node;
 * version 2 (the default for new nodes) schedules its own polls and hands each batch to n8n with
 * a deduplication key, kept until n8n confirms the execution (docs/reliability.md).
 */
export class PontoTrigger extends VersionedNodeType {
	constructor() {
		/** The parts of the description n8n shows before a version is chosen. */
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Ponto Trigger',
			name: 'pontoTrigger',
			icon: { light: 'file:../Ponto/ponto.svg', dark: 'file:../Ponto/ponto.dark.svg' },
			group: ['trigger'],
			// n8n shows this for its one Ponto entry (this trigger merged with the Ponto node), also in
			// "What happens next?", so it names both the actions and the trigger.
			description:
				'Read Ponto (Isabel Group) bank accounts, transactions and statements, or start a workflow on each new booked or pending transaction',
			defaultVersion: 2,
		};

		super(
			{ 1: new PontoTriggerV1(baseDescription), 2: new PontoTriggerV2(baseDescription) },
			baseDescription,
		);
	}
}
