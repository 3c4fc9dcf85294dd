import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BINARY_PROPERTY } from './constants';

/** "Download Video": a toggle of its own in Wan Video version 2, an option elsewhere. */
export const downloadField: INodeProperties = {
	displayName: 'Download Video',
	name: 'download',
	type: 'boolean',
	default: false,
	description:
		'Whether to attach the finished video as binary data (video/mp4). Video links expire after 24 hours.',
};

/** The binary field that receives the video. */
export const binaryPropertyField: INodeProperties = {
	displayName: 'Put Output in Field',
	name: 'binaryProperty',
	type: 'string',
	default: DEFAULT_BINARY_PROPERTY,
	description: 'The binary field that receives the video',
};

/** "Download Video" and its binary field, as options: Wan Video version 1 and the trigger. */
export const downloadOptions: INodeProperties[] = [
	downloadField,
	{ ...binaryPropertyField, displayOptions: { show: { download: [true] } } },
];
