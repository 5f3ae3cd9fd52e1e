import type { InspectedState } from '../api';

/** `user:<open_id>` or `app:<app_id>` as a person reads it: the user's name, or the app's id. */
export function who(key: string, users: InspectedState['users']): string {
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'user') return users.find((user) => user.open_id === id)?.name ?? id;
  return `app ${id}`;
}

export const inputValue = (event: Event) => (event.currentTarget as HTMLInputElement).value;
