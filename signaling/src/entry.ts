// The bundle's entry point (signaling/build.mjs): runs main() on the process's arguments.
import { main } from './main.js';

process.exit(await main(process.argv.slice(2)));
