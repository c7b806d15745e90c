// extension.js: run `ttdb --dap` for debug sessions of type "ttdb".
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('ttdb', {
      createDebugAdapterDescriptor() {
        const ttdb = vscode.workspace.getConfiguration('ttdb').get('path') || 'ttdb';
        return new vscode.DebugAdapterExecutable(ttdb, ['--dap']);
      },
    }));
}

function deactivate() {}

module.exports = { activate, deactivate };
