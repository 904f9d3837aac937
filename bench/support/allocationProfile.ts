/**
 * V8's sampling heap profiler on this process, counting the objects a GC already collected
 * as well, so a bench can say how many bytes a code path allocates and where: a figure that
 * does not depend on the machine's load, unlike CPU time. Every allocation bench shares it.
 */
import { Session } from 'node:inspector';

export interface AllocationSites {
  /** Sampled bytes allocated between start and stop. */
  total: number;
  /** `function file:line  ← caller`, largest first. */
  sites: Array<[site: string, bytes: number]>;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/**
 * Starts sampling (one sample per `intervalBytes` allocated on average); the returned
 * function stops it and sums the samples per allocation site.
 */
export async function startAllocationSampling(intervalBytes: number): Promise<() => Promise<AllocationSites>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  return async () => {
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
    session.disconnect();
    return sitesOf(profile.head);
  };
}

function sitesOf(head: ProfileNode): AllocationSites {
  const sites = new Map<string, number>();
  let total = 0;
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '')}:${n.callFrame.lineNumber + 1}`;
  const walk = (n: ProfileNode, parent: string) => {
    if (n.selfSize > 0) {
      const key = `${name(n)}  ← ${parent}`;
      sites.set(key, (sites.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, name(n));
  };
  walk(head, '(root)');
  return { total, sites: [...sites].sort((a, b) => b[1] - a[1]) };
}
