import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import {
	DEFAULT_BINARY_PROPERTY,
	DEFAULT_TIMEOUT_SECONDS,
	DEFAULT_TOOL_WAIT_SECONDS,
	MAX_TOOL_WAIT_SECONDS,
} from '../../shared/constants';
import { invalidField } from '../../shared/errors';
import { isAgentTool } from '../../shared/output';

// How to wait, checked per item before anything is sent (Wait, Create with wait, the callback resume).

export interface WaitSettings {
	timeoutMs: number;
	onTimeout: 'error' | 'output';
	onFailure: 'error' | 'output';
	download: boolean;
	binaryProperty: string;
	mode: 'poll' | 'callback';
}

const MAX_TIMEOUT_SECONDS = 24 * 3600;

/**
 * The waiting options of one item, whatever the node version: version 1 keeps them (download
 * included) in "Wait Options", version 2 in "Options" with Download Video beside them.
 */
export function waitOptionsOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return waitingParameters(ctx.getNode(), (name, fallback) =>
		ctx.getNodeParameter(name, itemIndex, fallback),
	);
}

/** The same from any context: `param` reads a parameter of the right item. */
export function waitingParameters(
	node: INode,
	param: (name: string, fallback: unknown) => unknown,
	collection = 'waitOptions',
): IDataObject {
	if (node.typeVersion < 2) return (param(collection, {}) ?? {}) as IDataObject;
	const options = (param('options', {}) ?? {}) as IDataObject;
	return { ...options, download: param('download', true) as boolean };
}

/** Checks the waiting options of one item (waitOptionsOf). */
export function readWaitSettings(
	node: INode,
	options: IDataObject,
	itemIndex: number,
): WaitSettings {
	const timeout = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
	if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS) {
		throw invalidField(
			node,
			itemIndex,
			'Timeout (Seconds)',
			`must be a number from 1 to ${MAX_TIMEOUT_SECONDS}`,
			timeout,
		);
	}
	const binaryProperty = options.binaryProperty ?? DEFAULT_BINARY_PROPERTY;
	if (typeof binaryProperty !== 'string' || binaryProperty.trim() === '') {
		throw invalidField(
			node,
			itemIndex,
			'Put Output in Field',
			'must be a field name',
			binaryProperty,
		);
	}
	const toolWait = options.toolWaitSeconds ?? DEFAULT_TOOL_WAIT_SECONDS;
	if (typeof toolWait !== 'number' || !(toolWait >= 1) || toolWait > MAX_TOOL_WAIT_SECONDS) {
		throw invalidField(
			node,
			itemIndex,
			'Agent Tool Wait (Seconds)',
			`must be a number from 1 to ${MAX_TOOL_WAIT_SECONDS}`,
			toolWait,
		);
	}
	const settings: WaitSettings = {
		timeoutMs: timeout * 1000,
		onTimeout: options.onTimeout === 'output' ? 'output' : 'error',
		onFailure: options.onFailure === 'output' ? 'output' : 'error',
		download: options.download === true,
		binaryProperty: binaryProperty.trim(),
		mode: options.waitMode === 'callback' ? 'callback' : 'poll',
	};
	if (!isAgentTool(node)) return settings;
	// An agent gets text, not binary, and cannot be parked: answer within the bound, always.
	return {
		...settings,
		timeoutMs: Math.min(settings.timeoutMs, toolWait * 1000),
		onTimeout: 'output',
		onFailure: 'output',
		download: false,
		mode: 'poll',
	};
}
