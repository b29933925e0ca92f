// Turns an untrusted (channel, payload) pair into a validated call of the right handler
// and always answers with a Result: exceptions never cross to the renderer. Shared by the
// Electron IPC registration and by anything else that carries the same contract.
import type { RequestChannel, RequestPayload, RequestValue } from '../common/ipc-contract';
import { isRequestChannel } from '../common/ipc-contract';
import { err, type Result } from '../common/result';
import type { Logger } from '../log/logger';
import { requestSchemas, type RequestSchemas } from './schemas';

export type RequestHandler<C extends RequestChannel> = (payload: RequestPayload<C>) => Result<RequestValue<C>> | Promise<Result<RequestValue<C>>>;

/** One handler per channel; leaving one out is a compile error. */
export type RequestHandlers = { [C in RequestChannel]: RequestHandler<C> };

export interface Dispatcher {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>;
}

export function createDispatcher(handlers: RequestHandlers, options: { logger: Logger; schemas?: RequestSchemas }): Dispatcher {
  const schemas = options.schemas ?? requestSchemas;
  const { logger } = options;
  return {
    async dispatch(channel, payload) {
      if (!isRequestChannel(channel)) {
        logger.warn('ipc', `rejected request on unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
        return err('unknown-channel', 'This request is not part of the app’s contract.');
      }
      const parsed = schemas[channel].safeParse(payload);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
        logger.warn('ipc', `rejected invalid payload on ${channel}: ${detail}`);
        return err('invalid-payload', `Invalid request for ${channel}: ${detail}`);
      }
      try {
        const handler = handlers[channel] as RequestHandler<typeof channel>;
        return await handler(parsed.data as RequestPayload<typeof channel>);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.error('ipc', `handler for ${channel} failed: ${message}`);
        return err('internal', `Release Board hit an unexpected error while handling ${channel}: ${message}`);
      }
    },
  };
}
