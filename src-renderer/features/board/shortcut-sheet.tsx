// The keyboard shortcuts, one press of ? away.
import { Modal } from '../../components/modal';
import { useAppStore } from '../../store/store';
import './shortcut-sheet.css';

const shortcuts: [string, string][] = [
  ['/', 'Search'],
  ['← → ↑ ↓', 'Move between environments and pipelines'],
  ['Home / End', 'First / last pipeline'],
  ['Enter', 'Open the environment’s targets'],
  ['p', 'Promote the focused environment into the next one'],
  ['x, or Ctrl/Shift-click', 'Select the environment for a batch promotion'],
  ['b', 'Review the selected promotions as one batch'],
  ['Space on a version', 'Pick it up; arrows move, Space drops, Esc cancels'],
  ['Ctrl/⌘ K', 'Command palette: jump to a pipeline, toggle filters'],
  ['i', 'Toggle the pending-promotions inbox'],
  ['r', 'Roll the focused environment back to its previous version'],
  ['l', 'Toggle the release log'],
  ['Esc', 'Close a panel or dialog'],
  ['?', 'This list'],
];

export function ShortcutSheet() {
  const open = useAppStore((s) => s.overlay === 'shortcuts');
  const setOverlay = useAppStore((s) => s.setOverlay);
  if (!open) return null;
  return (
    <Modal labelledBy="shortcuts-title" onClose={() => setOverlay(null)} className="shortcuts" testId="shortcut-sheet">
      <h2 id="shortcuts-title" className="modal__title">
        Keyboard shortcuts
      </h2>
      <table className="shortcuts__table">
        <tbody>
          {shortcuts.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="modal__actions">
        <button type="button" className="button" onClick={() => setOverlay(null)}>
          Close
        </button>
      </div>
    </Modal>
  );
}
