// Validates Kubernetes objects that no Maven library models against the @kubernetes-models packages pinned in
// package.json (generated from the upstream CRDs). Reads a JSON array of objects on stdin; prints a JSON array of
// problems, one string per problem.
const packages = { "external-secrets.io/v1": "@kubernetes-models/external-secrets/external-secrets.io/v1/" };
let input = "";
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const object of JSON.parse(input)) {
  const where = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const base = packages[object.apiVersion];
  if (!base) {
    problems.push(`${where}: no schema for apiVersion ${object.apiVersion}`);
    continue;
  }
  try {
    const module = await import(base + object.kind);
    new module[object.kind](object).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
}
console.log(JSON.stringify(problems));
