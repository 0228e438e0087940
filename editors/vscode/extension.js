// The whole client: VS Code starts `river lsp` and speaks LSP to it over stdio; river does the rest.
const { workspace } = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

exports.activate = async function activate() {
  const config = workspace.getConfiguration("river");
  const [command, ...args] = config.get("command", ["river"]);
  client = new LanguageClient(
    "river",
    "Alloy (river)",
    { command, args: [...args, "lsp"], transport: TransportKind.stdio },
    {
      documentSelector: [{ language: "alloy" }],
      initializationOptions: { fragment: config.get("fragment", false) },
      // Other files of a directory and imported modules count: tell the server when they change on disk.
      synchronize: { fileEvents: workspace.createFileSystemWatcher("**/*.alloy") },
    },
  );
  await client.start();
};

exports.deactivate = function deactivate() {
  return client?.stop();
};
