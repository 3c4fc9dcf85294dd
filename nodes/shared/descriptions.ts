import type { INodeProperties } from 'n8n-workflow';

/** "Download Video" and its binary field: Get, Wait, Create with wait, and the trigger. */
export const downloadOptions: INodeProperties[] = [
	{
		displayName: 'Download Video',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the finished video as binary data (video/mp4). Video links expire after 24 hours, so download what you keep. In queue mode n8n keeps binary data in its database by default and cannot read back a file of 256 MiB or more: for big videos set N8N_DEFAULT_BINARY_DATA_MODE to s3, or to filesystem on storage all n8n processes share.',
	},
	{
		displayName: 'Put Output in Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		description: 'The binary field that receives the video',
		displayOptions: { show: { download: [true] } },
	},
];
