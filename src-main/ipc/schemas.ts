// A zod schema for the payload of every request channel. Main validates everything it
// receives: the renderer is treated as untrusted input. The mapped type makes a channel
// without a schema a compile error.
import { z } from 'zod';
import type { RequestChannel, RequestPayload } from '../common/ipc-contract';

export type RequestSchemas = { [C in RequestChannel]: z.ZodType<RequestPayload<C>> };

export const requestSchemas: RequestSchemas = {
  'app:get-info': z.undefined(),
  'board:subscribe': z.undefined(),
};
