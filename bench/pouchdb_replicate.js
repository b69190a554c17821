// pouchdb_replicate.js: the CouchDB-style side of bench/push_from_outside.sh's
// comparison (issue 13: "against pouchdb-server replicating the same records").
//
//   node pouchdb_replicate.js CHILDREN.jsonl SERVER_URL WORK_DIR
//
// A device's PouchDB (LevelDB in WORK_DIR) is given the children as one document
// each, as Sotay's import gives them one record each; then it replicates them to
// SERVER_URL/children (the push), and a fresh PouchDB replicates them back (the
// pull). Both with PouchDB's defaults, as an app built on it would run. Prints one
// JSON line: seconds and documents of each.
'use strict';
const fs = require('fs');
const PouchDB = require('pouchdb');

async function main() {
  const [jsonl, url, dir] = process.argv.slice(2);
  const lines = fs.readFileSync(jsonl, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const docs = lines.map((l, i) => ({ _id: `child-${String(i).padStart(7, '0')}`, form: 'child_profile', ...JSON.parse(l) }));
  const device = new PouchDB(`${dir}/device`);
  for (let i = 0; i < docs.length; i += 1000) await device.bulkDocs(docs.slice(i, i + 1000));
  const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
  let t0 = process.hrtime.bigint();
  const up = await device.replicate.to(`${url}/children`);
  const push = seconds(t0);
  const fresh = new PouchDB(`${dir}/fresh`);
  t0 = process.hrtime.bigint();
  const down = await fresh.replicate.from(`${url}/children`);
  const pull = seconds(t0);
  if (up.docs_written !== docs.length || down.docs_written !== docs.length) {
    throw new Error(`replicated ${up.docs_written} up and ${down.docs_written} down of ${docs.length}`);
  }
  console.log(JSON.stringify({ docs: docs.length, push_s: push, pull_s: pull }));
}

main().catch((e) => {
  console.error(`pouchdb_replicate: ${e.message}`);
  process.exit(1);
});
