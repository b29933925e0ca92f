// Electron glue for notifications: the only notifications file importing electron.
import { Notification } from 'electron';
import type { Notifier } from './notification-service';

export function electronNotifier(): Notifier {
  // Electron drops the click handler of a notification that was garbage-collected (notably on
  // Windows); keep shown ones alive until they are clicked or closed.
  const live = new Set<Notification>();
  return {
    isSupported: () => Notification.isSupported(),
    show(notification, onClick) {
      const native = new Notification({ title: notification.title, body: notification.body, silent: notification.kind !== 'rollout-failed' });
      live.add(native);
      native.on('click', () => {
        live.delete(native);
        onClick();
      });
      native.on('close', () => live.delete(native));
      native.show();
    },
  };
}
