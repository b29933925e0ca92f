import { describe, expect, it, vi } from 'vitest';
import { contextMenuTemplate } from './context-menu';

const base = { selectionText: '', linkURL: '', isEditable: false, x: 3, y: 4 };
const actions = () => ({ copyText: vi.fn(), inspect: vi.fn() });

describe('context menu', () => {
  it('offers Copy for a selection and Copy Link for a web link, without Inspect in an installed app', () => {
    const a = actions();
    const items = contextMenuTemplate({ ...base, selectionText: 'checkout', linkURL: 'https://github.com/acme/pull/1' }, { isPackaged: true, actions: a });
    expect(items.map((i) => i.role ?? i.id)).toEqual(['copy', 'copy-link']);
    items[1]!.click!({} as never, undefined, {} as never);
    expect(a.copyText).toHaveBeenCalledWith('https://github.com/acme/pull/1');
  });

  it('never offers to copy a non-web link', () => {
    const items = contextMenuTemplate({ ...base, linkURL: 'javascript:alert(1)' }, { isPackaged: true, actions: actions() });
    expect(items).toEqual([]);
  });

  it('offers cut, copy and paste in a text field', () => {
    const items = contextMenuTemplate({ ...base, isEditable: true }, { isPackaged: true, actions: actions() });
    expect(items.map((i) => i.role)).toEqual(['cut', 'copy', 'paste']);
  });

  it('adds Inspect Element at the clicked point in development', () => {
    const a = actions();
    const items = contextMenuTemplate(base, { isPackaged: false, actions: a });
    expect(items.map((i) => i.id)).toEqual(['inspect']);
    items[0]!.click!({} as never, undefined, {} as never);
    expect(a.inspect).toHaveBeenCalledWith(3, 4);
  });
});
