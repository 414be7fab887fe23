// Runs autocannon in its own process (so the load generator can be pinned to another core than
// the server: `taskset -c 1 node autocannon-child.js '<options json>'`) and prints its result
// as one JSON line. The options go to autocannon as they are; it stops after `duration`.
const autocannon = require('autocannon');

const options = JSON.parse(process.argv[2]);
autocannon(options, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
