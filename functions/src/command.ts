import { CommandError, commandRegistry, executeCommand, runTemplateSync, TEMPLATE_SYNC } from '@atende/core';
import { sendingReplies, type Carriers } from './outbox.ts';
import { graphUrl, performHttp } from './channels.ts';
import { z } from 'zod';
import { actorOf } from './actor.ts';
import { runnerOf, type CallerAuth, type Deps } from './deps.ts';
import { beginUpload, UPLOAD_BEGIN } from './uploads.ts';
import { startWidgetSession, WIDGET_SESSION } from './widgetSession.ts';
import { beginQuickReplyUpload, copyQuickReplyFile, QUICK_REPLY_FILE_BEGIN, QUICK_REPLY_FILE_COPY } from './quickReplyFiles.ts';
import { setUserPassword, USER_SET_PASSWORD } from './passwords.ts';
import { fileKeyFor, FILES_KEY } from './fileKeys.ts';
import { guardCustomer, requireAppCheck } from './quotas.ts';

const CallInput = z.object({ name: z.string().min(1).max(100), input: z.unknown().optional() });

/**
 * The `command` callable: `{name, input}` → the command's result. Throws CommandError.
 * `carriers` (production: every channel's): the replies the command creates are sent by this invocation right
 * after its commit, under a lease taken by the creating transaction itself, so sending one writes only its
 * outcome (core `sendingAfterCommit`); the `deliver` trigger leaves them, and the scheduled retries take any
 * this invocation could not send once the lease runs out. Without carriers the trigger sends them.
 */
export const handleCommand = async (deps: Deps, auth: CallerAuth | undefined, data: unknown, carriers?: Carriers): Promise<unknown> => {
  const call = CallInput.safeParse(data);
  if (!call.success)
    throw new CommandError('invalid-argument', 'Call the command function with {name, input}', call.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })));
  if (call.data.name === WIDGET_SESSION) {
    requireAppCheck(deps, auth);
    return startWidgetSession(deps, auth, call.data.input ?? {});
  }
  const actor = await actorOf(deps, auth);
  if (actor.kind === 'customer') {
    requireAppCheck(deps, auth);
    await guardCustomer(deps, auth!, actor, call.data.name);
  }
  if (call.data.name === UPLOAD_BEGIN) return beginUpload(deps, actor, call.data.input ?? {});
  if (call.data.name === QUICK_REPLY_FILE_BEGIN) return beginQuickReplyUpload(deps, actor, call.data.input ?? {});
  if (call.data.name === QUICK_REPLY_FILE_COPY) return copyQuickReplyFile(deps, actor, call.data.input ?? {});
  if (call.data.name === FILES_KEY) return fileKeyFor(deps, actor);
  // template.sync fetches the provider's list first (core checks the admin before any request leaves).
  if (call.data.name === TEMPLATE_SYNC) return runTemplateSync(runnerOf(deps), actor, call.data.input ?? {}, { baseUrl: graphUrl(), fetch: performHttp });
  if (call.data.name === USER_SET_PASSWORD) return setUserPassword(deps, actor, call.data.input ?? {});
  return sendingReplies(deps, carriers, (runner) => executeCommand(commandRegistry, runner, actor, call.data.name, call.data.input ?? {}));
};
