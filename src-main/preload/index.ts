// Preload (sandboxed, CommonJS): exposes exactly the contract-derived bridge as
// window.releaseBoard and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge';

contextBridge.exposeInMainWorld('releaseBoard', createPreloadBridge(ipcRenderer));
