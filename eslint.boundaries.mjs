// Which projects may import which (by the tags in each project.json), enforced by @nx/enforce-module-boundaries.
// type:app   apps/*: deployables; never imported, never importing other apps, the model generator or tests.
// type:lib   libs/*: the code the apps are built from.
// type:model models/: the model generator and exporter (dev-time tools that write ONNX files the apps load).
// type:test / type:tool: integration tests and scripts, which may use everything and nothing imports.
// scope:browser code (the dashboard) may only use scope:shared libs (no Node, no native modules).
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:lib', 'type:model'] },
  {
    sourceTag: 'type:test',
    onlyDependOnLibsWithTags: ['type:lib', 'type:model', 'type:app', 'type:tool', 'type:test'],
  },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:model', 'type:app', 'type:tool'] },
  { sourceTag: 'type:workspace', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:browser', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
];
