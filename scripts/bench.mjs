#!/usr/bin/env node
// Placeholder: the load generator and benchmarks of DESIGN §10 land with issue 6.
console.log('npm run bench: the benchmarks land with issue 6 (see DESIGN.md §10); nothing to run yet.');
