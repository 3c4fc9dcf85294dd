// The example workflows a user imports run as they are, through n8n's engine, against the simulator.
import type { INode } from 'n8n-workflow';

import chainedClips from '../examples/three-chained-clips.json';
import twoImages from '../examples/two-images-first-to-last-frame.json';
import { binaryBytes, runWorkflow, WAN_VIDEO } from './helpers/engine';
import { useSimulator } from './helpers/fixtures';
import { binaryFiles, makeJpeg, makePng } from './helpers/media';

const { sim, credentials } = useSimulator({ taskMs: 300 });

/** The example's nodes, the Wan Video ones on the simulator's credential, the trigger left out. */
function nodesOf(example: { nodes: unknown[] }): INode[] {
	return (example.nodes as INode[])
		.filter((node) => node.type === WAN_VIDEO)
		.map((node) => ({
			...node,
			credentials: { evoLinkApi: { id: 'cred-1', name: 'EvoLink API' } },
		}));
}

describe('examples', () => {
	it('three chained clips: each continues the last by its URL, 5 → 10 → 15 s, the last downloaded', async () => {
		const nodes = nodesOf(chainedClips);
		const result = await runWorkflow({
			nodes,
			connections: chainedClips.connections as never,
			start: nodes[0].name,
			credentials: credentials(),
		});
		expect(result.error()).toBeUndefined();
		const posts = sim.requestsTo('POST', '/v1/videos/generations');
		expect(posts.map((post) => post.status)).toEqual([200, 200, 200]);
		expect(posts.map((post) => (post.body as { duration: number }).duration)).toEqual([5, 10, 15]);
		expect((posts[1].body as { video_urls: string[] }).video_urls).toEqual([
			`${sim.baseUrl}/files/${posts[0].taskId}.mp4`,
		]);
		const [last] = result.output(nodes[2].name);
		expect(last.json.status).toBe('completed');
		expect((await binaryBytes(last.binary!.data)).length).toBeGreaterThan(0);
		expect(sim.requestsTo('GET', '/files/')).toHaveLength(1);
	});

	it('two images: a Wan 3.0 video from the first uploaded frame to the last', async () => {
		const [create] = nodesOf(twoImages);
		const result = await runWorkflow({
			nodes: [create],
			start: create.name,
			input: [
				{
					...binaryFiles({
						First: [makePng(1280, 720), 'image/png', 'bud.png'],
						Last: [makeJpeg(1280, 720), 'image/jpeg', 'flower.jpg'],
					}),
					json: { Prompt: 'The bud opens into a flower' },
				},
			],
			credentials: credentials(),
		});
		expect(result.error()).toBeUndefined();
		const [post] = sim.requestsTo('POST', '/v1/videos/generations');
		expect(post.body).toMatchObject({
			model: 'wan3.0-image-to-video',
			prompt: 'The bud opens into a flower',
			image_start: expect.stringMatching(/\/uploads\/.*\.png$/),
			image_end: expect.stringMatching(/\/uploads\/.*\.jpg$/),
		});
		expect(result.output(create.name)[0].binary?.data.mimeType).toBe('video/mp4');
	});
});
