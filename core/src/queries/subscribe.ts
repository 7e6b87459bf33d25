import { CommandError } from '../errors.ts';
import type { Actor } from '../policy.ts';
import { firestoreProblem } from '../store/evaluate.ts';
import { parseOrThrow } from '../validation.ts';
import { catalogueByName, type Reader, type Target } from './catalogue.ts';

/**
 * Resolves a subscription request into what to evaluate, or throws: an
 * unknown query, bad parameters, parameters the actor may not use, or a
 * query Firestore itself would refuse. Both backends call this.
 */
export const resolveSubscription = async (actor: Actor, name: string, rawParams: unknown, read: Reader): Promise<Target> => {
  const entry = catalogueByName.get(name);
  if (!entry) throw new CommandError('invalid-argument', `Unknown query "${name}"`, [{ path: 'query', message: 'not in the catalogue' }]);
  const params = parseOrThrow(entry.params, rawParams ?? {}, `parameters for ${name}`);
  const decision = await entry.authorize(actor, params, read);
  if (decision !== true) throw new CommandError('permission-denied', decision);
  const target = entry.target(params, actor);
  if (target.kind === 'query') {
    const problem = firestoreProblem(target.spec);
    if (problem) throw new CommandError('invalid-argument', `Query ${name} cannot run: ${problem}`);
  }
  return target;
};
