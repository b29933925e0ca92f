// The update:* request handlers over whatever updates the app (electron-updater in the
// installed app; "not here" in tests and the preview).
import type { UpdateState } from '../common/update';
import { ok } from '../common/result';
import type { RequestHandlers } from '../ipc/dispatcher';

export interface UpdateControl {
  getState(): UpdateState;
  checkNow(): Promise<unknown>;
  installNow(): unknown;
  setCheckAutomatically?(enabled: boolean): void;
}

export const noUpdates: UpdateControl = {
  getState: () => ({ state: 'disabled', message: 'Updates apply to the installed desktop app.' }),
  checkNow: async () => undefined,
  installNow: () => undefined,
};

export type UpdateHandlers = Pick<RequestHandlers, 'update:get-state' | 'update:check' | 'update:install'>;

export function updateHandlers(updates: UpdateControl): UpdateHandlers {
  return {
    'update:get-state': () => ok(updates.getState()),
    'update:check': async () => {
      await updates.checkNow();
      return ok(updates.getState());
    },
    'update:install': () => {
      updates.installNow();
      return ok(null);
    },
  };
}
